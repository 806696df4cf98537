import type { PrismaClient } from '../../platform/db/database';
import { addDays } from '../../core/calendar';
import { daysBetween, isoDateOf, type IsoDate } from '../../core/dates';
import type { GrantForm } from './rules';
import { readRegister, type StoredGrant } from './store';

// What chat shows of the register: the bureau's county ledger (赋权台账) and a township's own matters (赋权).
// The ledger is aggregate SQL over each township's version in force, so it stays one round trip per figure
// however many matters the county has (bench/empowerment-ledger.ts).

export interface LedgerRow {
  township: string;
  form: GrantForm;
  grants: number;
  matters: number;
  /** Matters whose last evaluation found no case in its period (零办件). */
  zeroCases: number;
  /** Matters never evaluated yet. */
  unevaluated: number;
}

export interface TermEnding {
  township: string;
  documentNo: string;
  department: string;
  termEnd: IsoDate;
  daysLeft: number;
  matters: number;
}

export interface RoundInProgress {
  workflowId: string;
  township: string;
  period: string;
  stage: string;
  dueOn?: IsoDate;
  /** The open steps of the round on the desk, with their owners and deadlines. */
  steps: Array<{ title: string; owner: string; dueAt: Date }>;
}

export interface Ledger {
  asOf: IsoDate;
  rows: LedgerRow[];
  termsEnding: TermEnding[];
  rounds: RoundInProgress[];
}

/** Terms ending within this many days are listed (the first term notice goes out at 90). */
export const TERM_HORIZON_DAYS = 90;

export async function countyLedger(prisma: PrismaClient, asOf: IsoDate): Promise<Ledger> {
  const at = new Date(`${asOf}T00:00:00Z`);
  const horizon = new Date(`${addDays(asOf, TERM_HORIZON_DAYS)}T00:00:00Z`);
  const [rows, terms, rounds] = await Promise.all([
    prisma.$queryRaw<
      Array<{ township: string; form: GrantForm; grants: bigint; matters: bigint; zero: bigint; unevaluated: bigint }>
    >`
      WITH cur AS (
        SELECT DISTINCT ON (township) id, township FROM empowerment_version
        WHERE valid_from <= ${at}::date ORDER BY township, valid_from DESC, version DESC)
      SELECT cur.township, g.form::text AS form, count(DISTINCT g.id) AS grants, count(m.id) AS matters,
             count(m.id) FILTER (WHERE m.last_cases = 0) AS zero, count(m.id) FILTER (WHERE m.evaluated_on IS NULL) AS unevaluated
      FROM cur JOIN empowerment_grant g ON g.version_id = cur.id JOIN empowerment_matter m ON m.grant_id = g.id
      GROUP BY cur.township, g.form ORDER BY cur.township, g.form`,
    prisma.$queryRaw<
      Array<{ township: string; document_no: string; department: string; term_end: Date; matters: bigint }>
    >`
      WITH cur AS (
        SELECT DISTINCT ON (township) id, township FROM empowerment_version
        WHERE valid_from <= ${at}::date ORDER BY township, valid_from DESC, version DESC)
      SELECT cur.township, g.document_no, g.department, g.term_end, (SELECT count(*) FROM empowerment_matter m WHERE m.grant_id = g.id) AS matters
      FROM cur JOIN empowerment_grant g ON g.version_id = cur.id
      WHERE g.form = 'entrusted' AND g.term_end <= ${horizon}::date
      ORDER BY g.term_end, cur.township`,
    openRounds(prisma),
  ]);
  return {
    asOf,
    rows: rows.map((r) => ({
      township: r.township,
      form: r.form,
      grants: Number(r.grants),
      matters: Number(r.matters),
      zeroCases: Number(r.zero),
      unevaluated: Number(r.unevaluated),
    })),
    termsEnding: terms.map((t) => ({
      township: t.township,
      documentNo: t.document_no,
      department: t.department,
      termEnd: isoDateOf(t.term_end),
      daysLeft: daysBetween(asOf, isoDateOf(t.term_end)),
      matters: Number(t.matters),
    })),
    rounds,
  };
}

export async function openRounds(prisma: PrismaClient, township?: string): Promise<RoundInProgress[]> {
  const rounds = await prisma.empowermentRound.findMany({
    where: { closedAt: null, ...(township ? { township } : {}) },
    orderBy: [{ township: 'asc' }, { startedAt: 'asc' }],
  });
  if (!rounds.length) return [];
  const items = await prisma.deadlineItem.findMany({
    where: { workflowId: { in: rounds.map((r) => r.workflowId) }, state: 'open' },
    select: { workflowId: true, stepTitle: true, ownerName: true, dueAt: true },
    orderBy: { dueAt: 'asc' },
  });
  return rounds.map((r) => ({
    workflowId: r.workflowId,
    township: r.township,
    period: r.period,
    stage: r.stage,
    ...(r.dueOn ? { dueOn: isoDateOf(r.dueOn) } : {}),
    steps: items
      .filter((i) => i.workflowId === r.workflowId)
      .map((i) => ({ title: i.stepTitle, owner: i.ownerName, dueAt: i.dueAt })),
  }));
}

export interface TownshipView {
  township: string;
  version?: number;
  validFrom?: IsoDate;
  grants: StoredGrant[];
  byField: Array<{ field: string; delegated: number; entrusted: number }>;
  lastEvaluated?: IsoDate;
  rounds: RoundInProgress[];
}

export async function townshipView(prisma: PrismaClient, township: string, asOf: IsoDate): Promise<TownshipView> {
  const [register, rounds] = await Promise.all([readRegister(prisma, township, asOf), openRounds(prisma, township)]);
  const grants = register?.grants ?? [];
  const fields = new Map<string, { field: string; delegated: number; entrusted: number }>();
  let lastEvaluated: IsoDate | undefined;
  for (const g of grants) {
    for (const m of g.matters) {
      const row = fields.get(m.field) ?? { field: m.field, delegated: 0, entrusted: 0 };
      row[g.form]++;
      fields.set(m.field, row);
      if (m.evaluatedOn && (!lastEvaluated || m.evaluatedOn > lastEvaluated)) lastEvaluated = m.evaluatedOn;
    }
  }
  return {
    township,
    grants,
    rounds,
    ...(register ? { version: register.version, validFrom: register.validFrom } : {}),
    byField: [...fields.values()].sort((a, b) => b.delegated + b.entrusted - (a.delegated + a.entrusted)),
    ...(lastEvaluated ? { lastEvaluated } : {}),
  };
}
