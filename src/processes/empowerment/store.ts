import type { PrismaClient } from '../../platform/db/database';
import { grantKey, type Grant, type Matter } from './rules';
import { appendVersion, type DecisionOutcome, type RegisterDecision, type RegisterVersion } from './register';
import { isoDateOf, type IsoDate } from '../../core/dates';

// The empowerment register in the database (issue #7): one row per version per township, its grants and
// matters copied into each version so any date's register is one read, never a replay. The rules (what a
// version may change) stay in src/processes/empowerment/register.ts; this file only stores and reads.

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Db = PrismaClient | Tx;

/** A matter as stored: the register's content plus its last evaluation, carried from version to version. */
export interface StoredMatter extends Matter {
  evaluatedOn?: IsoDate;
  lastOutcome?: DecisionOutcome;
  lastCases?: number;
}

export type StoredGrant = Grant & { matters: StoredMatter[] };

export interface TownshipRegister {
  township: string;
  version: number;
  versionId: number;
  validFrom: IsoDate;
  decision: RegisterDecision;
  grants: StoredGrant[];
}

const day = (d: IsoDate) => new Date(`${d}T00:00:00Z`);
/** Read as of this date, the register is its latest version: versions never start before the one they follow. */
export const LATEST: IsoDate = '9999-12-31';
const iso = (d: Date | null) => (d ? isoDateOf(d) : undefined);

/** The version in force on `asOf` for each township (or one township): the latest valid_from on or before it. */
export async function registerVersionsAsOf(
  db: Db,
  asOf: IsoDate,
  township?: string,
): Promise<Array<{ id: number; township: string; version: number; validFrom: IsoDate; decision: RegisterDecision }>> {
  const rows = await db.$queryRaw<
    Array<{ id: number; township: string; version: number; valid_from: Date; decision: RegisterDecision }>
  >`
    SELECT DISTINCT ON (township) id, township, version, valid_from, decision
    FROM empowerment_version
    WHERE valid_from <= ${day(asOf)}::date AND (${township ?? null}::text IS NULL OR township = ${township ?? null}::text)
    ORDER BY township, valid_from DESC, version DESC`;
  return rows.map((r) => ({
    id: r.id,
    township: r.township,
    version: r.version,
    validFrom: isoDateOf(r.valid_from),
    decision: r.decision,
  }));
}

export async function readRegister(db: Db, township: string, asOf: IsoDate): Promise<TownshipRegister | undefined> {
  const [head] = await registerVersionsAsOf(db, asOf, township);
  if (!head) return undefined;
  return {
    township,
    version: head.version,
    versionId: head.id,
    validFrom: head.validFrom,
    decision: head.decision,
    grants: await grantsOfVersion(db, head.id, township),
  };
}

export async function grantsOfVersion(db: Db, versionId: number, township: string): Promise<StoredGrant[]> {
  const grants = await db.empowermentGrant.findMany({
    where: { versionId },
    include: { matters: { orderBy: { code: 'asc' } } },
    orderBy: [{ form: 'asc' }, { documentNo: 'asc' }],
  });
  return grants.map((g): StoredGrant => {
    const matters = g.matters.map((m): StoredMatter => ({
      code: m.code,
      name: m.name,
      field: m.field,
      legalBasis: m.legalBasis,
      ...(m.evaluatedOn ? { evaluatedOn: isoDateOf(m.evaluatedOn) } : {}),
      ...(m.lastOutcome ? { lastOutcome: m.lastOutcome as DecisionOutcome } : {}),
      ...(m.lastCases !== null ? { lastCases: m.lastCases } : {}),
    }));
    if (g.form === 'delegated')
      return { form: 'delegated', township, documentNo: g.documentNo, published: iso(g.published)!, matters };
    return {
      form: 'entrusted',
      township,
      documentNo: g.documentNo,
      department: g.department!,
      authority: g.authority!,
      termStart: iso(g.termStart)!,
      termEnd: iso(g.termEnd)!,
      ...(g.filed ? { filed: iso(g.filed)! } : {}),
      ...(g.published ? { published: iso(g.published)! } : {}),
      matters,
    };
  });
}

/** Per matter key: what an evaluation decided (written on the new version's matter rows). */
export type Evaluations = Map<string, { evaluatedOn: IsoDate; outcome: DecisionOutcome; cases?: number }>;

export const matterKey = (grant: Pick<Grant, 'township' | 'form' | 'documentNo'>, code: string) =>
  `${grantKey(grant)}|${code}`;

export type RecordResult = { ok: true; versionId: number; version: number } | { ok: false; problems: string[] };

/**
 * Records the township's next version (the domain's appendVersion decides whether it may be). Matters keep
 * their last evaluation unless `evaluations` gives a new one. Call inside a transaction with the rest of the change.
 */
export async function recordVersion(
  tx: Tx,
  township: string,
  grants: Grant[],
  decision: RegisterDecision,
  validFrom: IsoDate,
  evaluations: Evaluations = new Map(),
  /** The latest version when the caller has just read it (readRegister at '9999-12-31'; null: none), saving the read. */
  known?: TownshipRegister | null,
): Promise<RecordResult> {
  const head = known !== undefined ? known : await readRegister(tx, township, LATEST);
  const latest: RegisterVersion[] = head
    ? [{ version: head.version, validFrom: head.validFrom, decision: head.decision, grants: head.grants }]
    : [];
  const appended = appendVersion(latest, { validFrom, grants, decision });
  if (!appended.ok) return appended;
  const carried = new Map<string, StoredMatter>();
  for (const g of (latest[0]?.grants ?? []) as StoredGrant[])
    for (const m of g.matters) carried.set(matterKey(g, m.code), m);
  const row = await tx.empowermentVersion.create({
    data: { township, version: appended.version.version, validFrom: day(validFrom), decision: decision as object },
  });
  // One INSERT for the grants and one for the matters, whatever the township's size: a whole-county import
  // holds the embedded database's one connection, so round trips are what everyone else waits for.
  const grantRows = await tx.empowermentGrant.createManyAndReturn({
    select: { id: true, form: true, documentNo: true },
    data: grants.map((g) => {
      const entrusted = g.form === 'entrusted' ? g : undefined;
      return {
        versionId: row.id,
        form: g.form,
        documentNo: g.documentNo,
        department: entrusted?.department ?? null,
        authority: entrusted?.authority ?? null,
        termStart: entrusted ? day(entrusted.termStart) : null,
        termEnd: entrusted ? day(entrusted.termEnd) : null,
        filed: entrusted?.filed ? day(entrusted.filed) : null,
        published: g.published ? day(g.published) : null,
      };
    }),
  });
  const grantId = new Map(
    grantRows.map((r) => [grantKey({ township, form: r.form as Grant['form'], documentNo: r.documentNo }), r.id]),
  );
  await tx.empowermentMatter.createMany({
    data: grants.flatMap((g) =>
      g.matters.map((m) => {
        const fresh = evaluations.get(matterKey(g, m.code));
        const old = carried.get(matterKey(g, m.code));
        return {
          grantId: grantId.get(grantKey(g))!,
          code: m.code,
          name: m.name,
          field: m.field,
          legalBasis: m.legalBasis,
          evaluatedOn: fresh ? day(fresh.evaluatedOn) : old?.evaluatedOn ? day(old.evaluatedOn) : null,
          lastOutcome: fresh?.outcome ?? old?.lastOutcome ?? null,
          lastCases: fresh ? (fresh.cases ?? null) : (old?.lastCases ?? null),
        };
      }),
    ),
  });
  return { ok: true, versionId: row.id, version: appended.version.version };
}

/** Content equality of two registers (order-free), so a re-import of the same file records nothing. */
export function sameRegister(a: Grant[], b: Grant[]): boolean {
  const norm = (grants: Grant[]) =>
    JSON.stringify(
      grants
        .map((g) => ({ ...g, matters: g.matters.map((m) => [m.code, m.name, m.field, m.legalBasis]).sort() }))
        .map((g) => {
          const { matters, ...rest } = g;
          return [
            grantKey(g),
            Object.entries(rest)
              .filter(([, v]) => v !== undefined)
              .sort(),
            matters,
          ];
        })
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  return norm(a) === norm(b);
}

export async function townshipsOnRegister(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.empowermentVersion.findMany({
    select: { township: true },
    distinct: ['township'],
    orderBy: { township: 'asc' },
  });
  return rows.map((r) => r.township);
}
