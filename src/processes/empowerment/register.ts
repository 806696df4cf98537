import type { IsoDate } from '../../core/dates';
import { FORM_LABEL, grantKey, type Grant, type GrantForm, type Matter } from './rules';

// The empowerment register's history (issue #7): every change is a new version that records the decision
// producing it, so the register as it stood on any date can be shown. Versions are never edited: a mistake
// is corrected by a later version of kind 'correction'. Pure: the caller stores versions.

/** expiry: a 委托's term ended (written by the daily term watch, never by hand). */
export type RegisterDecisionKind = 'import' | 'evaluation' | 'grant' | 'correction' | 'expiry';

export interface RegisterDecision {
  kind: RegisterDecisionKind;
  /** The decision's 文号, or the imported file's name. */
  reference: string;
  decidedBy: string;
  decidedOn: IsoDate;
  note?: string;
}

export interface RegisterVersion {
  /** 1, 2, 3… in the order versions were recorded. */
  version: number;
  /** The date from which this content is the register. */
  validFrom: IsoDate;
  grants: Grant[];
  decision: RegisterDecision;
}

/** The version in force on `date`: the latest validFrom on or before it; same day, the later-recorded wins. */
export function registerAsOf(versions: RegisterVersion[], date: IsoDate): RegisterVersion | undefined {
  let best: RegisterVersion | undefined;
  for (const v of versions) {
    if (v.validFrom > date) continue;
    if (!best || v.validFrom > best.validFrom || (v.validFrom === best.validFrom && v.version > best.version)) best = v;
  }
  return best;
}

export type AppendResult = { ok: true; version: RegisterVersion } | { ok: false; problems: string[] };

/**
 * The next version after `versions`, or why it cannot be recorded: it may not start before the latest
 * version (history is not rewritten), and a 委托 already on the register may not change its term — renewal is
 * a new 委托 with its own letter number and filing, never a silent extension.
 */
export function appendVersion(versions: RegisterVersion[], next: Omit<RegisterVersion, 'version'>): AppendResult {
  const latest = versions.reduce<RegisterVersion | undefined>(
    (a, v) => (!a || v.version > a.version ? v : a),
    undefined,
  );
  const problems: string[] = [];
  if (latest && next.validFrom < latest.validFrom)
    problems.push(`新版本生效日 ${next.validFrom} 早于当前版本(${latest.validFrom}),历史版本不能改写`);
  const before = new Map((latest?.grants ?? []).map((g) => [grantKey(g), g]));
  for (const grant of next.grants) {
    const old = before.get(grantKey(grant));
    if (grant.form !== 'entrusted' || old?.form !== 'entrusted') continue;
    if (old.termStart !== grant.termStart || old.termEnd !== grant.termEnd) {
      problems.push(
        `${grant.township} 委托书 ${grant.documentNo} 的期限不能直接改动(${old.termStart}至${old.termEnd});续期应登记新的委托并重新备案`,
      );
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, version: { ...next, version: (latest?.version ?? 0) + 1 } };
}

// ---- Evaluation decisions (保留 / 调整 / 收回 per matter) -------------------------------------------------

export type DecisionOutcome = 'keep' | 'adjust' | 'withdraw';

export const OUTCOME_LABEL: Record<DecisionOutcome, string> = { keep: '保留', adjust: '调整', withdraw: '收回' };

export interface MatterDecision {
  township: string;
  form: GrantForm;
  documentNo: string;
  matterCode: string;
  outcome: DecisionOutcome;
  /**
   * For 'adjust': the matter's new content. Only the matter changes; moving a matter to another body is a
   * withdrawal here plus a new grant there, and a 委托's term never changes (see appendVersion).
   */
  changes?: Partial<Omit<Matter, 'code'>>;
}

export type ApplyResult = { ok: true; grants: Grant[] } | { ok: false; problems: string[] };

/** The next version's content: the register with each decision applied; a grant left with no matters is dropped. */
export function applyDecisions(register: Grant[], decisions: MatterDecision[]): ApplyResult {
  const problems: string[] = [];
  const byMatter = new Map<string, MatterDecision>();
  for (const d of decisions) {
    const key = `${grantKey(d)}|${d.matterCode}`;
    const where = `${d.township} ${FORM_LABEL[d.form]} ${d.documentNo} 事项 ${d.matterCode}`;
    const grant = register.find((g) => grantKey(g) === grantKey(d));
    if (byMatter.has(key)) problems.push(`${where}: 同一事项有多个决定`);
    else if (!grant?.matters.some((m) => m.code === d.matterCode)) problems.push(`${where}: 登记簿中没有此事项`);
    else if (d.outcome === 'adjust' && !Object.values(d.changes ?? {}).some((v) => v?.trim()))
      problems.push(`${where}: 调整应写明调整后的内容`);
    byMatter.set(key, d);
  }
  if (problems.length) return { ok: false, problems };
  const grants: Grant[] = [];
  for (const grant of register) {
    const matters: Matter[] = [];
    for (const matter of grant.matters) {
      const d = byMatter.get(`${grantKey(grant)}|${matter.code}`);
      if (d?.outcome === 'withdraw') continue;
      matters.push(d?.outcome === 'adjust' ? { ...matter, ...definedTrimmed(d.changes!) } : matter);
    }
    if (matters.length) grants.push({ ...grant, matters });
  }
  return { ok: true, grants };
}

/** Matters of `township` on the register with no decision: a round's decision should cover them all. */
export function undecidedMatters(
  register: Grant[],
  township: string,
  decisions: MatterDecision[],
): Array<{ documentNo: string; form: GrantForm; matter: Matter }> {
  const decided = new Set(decisions.map((d) => `${grantKey(d)}|${d.matterCode}`));
  return register
    .filter((g) => g.township === township)
    .flatMap((g) =>
      g.matters
        .filter((m) => !decided.has(`${grantKey(g)}|${m.code}`))
        .map((matter) => ({ documentNo: g.documentNo, form: g.form, matter })),
    );
}

function definedTrimmed(changes: Partial<Omit<Matter, 'code'>>): Partial<Matter> {
  return Object.fromEntries(
    Object.entries(changes)
      .filter(([, v]) => v?.trim())
      .map(([k, v]) => [k, v!.trim()]),
  );
}
