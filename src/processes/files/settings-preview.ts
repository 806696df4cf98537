import type { PrismaClient } from '../../platform/db/database';
import { latestSetting } from '../../platform/db/bureau-settings';
import type { Sheet } from '../../platform/sheets/spreadsheet';
import { validateCampaignRows } from '../training/campaign-rows';
import { isoDateOf } from '../../core/dates';
import { validateDepartmentMapRows } from '../empowerment/rows';
import { validateEscalationRows } from '../../core/escalation-rows';
import { validateLeadRuleRows } from '../referral/lead-rule-rows';
import type { LeadRules } from '../referral/leads';
import { validateThresholdRows } from '../referral/threshold-rows';
import { readLeadRules } from '../referral/lead-rules';
import type { Preview } from './kinds';

// The bureau's settings sent as files in chat (escalation ladder, rotation campaigns, field → original
// department map, lead rules, prosecution thresholds): what loading one would change, read and written nowhere.
// All but campaigns are replaced whole by their loaders, so their previews also count what the file would
// remove; campaigns are upserted by name and never removed, so theirs does not.

type Counts = Omit<Preview, 'kind'>;

const nothing = (sheet: Sheet) => ({ rows: sheet.rows.length, added: 0, updated: 0, unchanged: 0 });

/** The same people in any order: the ladder tells them all at once, so order is no change. */
const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

interface Diff {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** Keyed entries of a file against the keyed entries in force; `same` says whether one entry changed. */
function diff<T>(incoming: Map<string, T>, current: Map<string, T>, same: (a: T, b: T) => boolean): Diff {
  let added = 0;
  let updated = 0;
  for (const [key, entry] of incoming) {
    const before = current.get(key);
    if (before === undefined) added++;
    else if (!same(before, entry)) updated++;
  }
  const removed = [...current.keys()].filter((key) => !incoming.has(key)).length;
  return { added, updated, unchanged: incoming.size - added - updated, removed };
}

/** Rungs by process + step + milestone (the table's key); a rung with other people to tell is updated. */
export async function previewEscalation(prisma: PrismaClient, sheet: Sheet): Promise<Counts> {
  const validated = validateEscalationRows(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...nothing(sheet), errors: validated.errors };
  const key = (r: { process: string; stepKey: string; milestone: string }) =>
    `${r.process}/${r.stepKey}/${r.milestone}`;
  const current = await prisma.escalationRule.findMany({
    select: { process: true, stepKey: true, milestone: true, notify: true },
  });
  const counts = diff(
    new Map(validated.rules.map((r) => [key(r), r.notify])),
    new Map(current.map((r) => [key(r), r.notify])),
    sameSet,
  );
  return { rows: validated.rules.length, ...counts, errors: [] };
}

/**
 * Campaigns by name, as the loader upserts them: updated when the course, deadline or units differ. A name
 * twice in one file counts once, with its last row, which is the one the loader leaves in place.
 */
export async function previewCampaigns(prisma: PrismaClient, sheet: Sheet): Promise<Counts> {
  const validated = validateCampaignRows(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...nothing(sheet), errors: validated.errors };
  const names = validated.campaigns.map((c) => c.name);
  const current = await prisma.trainingCampaign.findMany({
    where: { name: { in: names } },
    select: { name: true, course: true, deadline: true, units: true },
  });
  type Shape = { course: string; deadline: string; units: string[] };
  const same = (a: Shape, b: Shape) => a.course === b.course && a.deadline === b.deadline && sameSet(a.units, b.units);
  // Only the file's names are read, so nothing counts as removed: the loader removes none.
  const { added, updated, unchanged } = diff<Shape>(
    new Map(validated.campaigns.map((c) => [c.name, c])),
    new Map(current.map((c) => [c.name, { ...c, deadline: isoDateOf(c.deadline) }])),
    same,
  );
  return { rows: validated.campaigns.length, added, updated, unchanged, errors: [] };
}

/** 领域 against the map in force: another 原主管部门 is updated, a 领域 the file leaves out is removed. */
export async function previewDepartmentMap(prisma: PrismaClient, sheet: Sheet): Promise<Counts> {
  const validated = validateDepartmentMapRows(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...nothing(sheet), errors: validated.errors };
  const inForce = (await latestSetting<Record<string, string>>(prisma, 'original_departments')) ?? {};
  const counts = diff(new Map(Object.entries(validated.map)), new Map(Object.entries(inForce)), (a, b) => a === b);
  return { rows: Object.keys(validated.map).length, ...counts, errors: [] };
}

/**
 * Lead types against the rules in force (a type with another reply limit is updated, a type the file leaves out
 * is removed: the next dispatch form no longer offers it); 签收, 退单 and 通报 count as changed rules too.
 */
export async function previewLeadRules(prisma: PrismaClient, sheet: Sheet): Promise<Counts> {
  const validated = validateLeadRuleRows(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...nothing(sheet), errors: validated.errors };
  const entries = (r: LeadRules) =>
    new Map<string, string>([
      ...Object.values(r.replyClocks).map((t): [string, string] => [`type:${t.label}`, JSON.stringify(t.clock)]),
      ['sign', JSON.stringify(r.signClock)],
      ['sendBack', JSON.stringify(r.sendBackClock)],
      ['maxSendBacks', String(r.maxSendBacks)],
      ['notice', String(r.noticeAfterWorkingDays)],
    ]);
  const counts = diff(entries(validated.rules), entries(await readLeadRules(prisma)), (a, b) => a === b);
  return { rows: sheet.rows.length, ...counts, errors: [] };
}

/**
 * Thresholds by 案件类型 against the table in force: another 名称, amount or 依据 is updated, a type the file
 * leaves out is removed (登记案值 no longer offers it). A shipped example row loaded unchanged counts as
 * unchanged: the amount it checks is the same, only its 示例 mark goes.
 */
export async function previewThresholds(prisma: PrismaClient, sheet: Sheet): Promise<Counts> {
  const validated = validateThresholdRows(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...nothing(sheet), errors: validated.errors };
  type Shape = { title: string; amountYuan: number; basis: string };
  const current = await prisma.referralThreshold.findMany({
    select: { caseType: true, title: true, amountYuan: true, basis: true },
  });
  const same = (a: Shape, b: Shape) => a.title === b.title && a.amountYuan === b.amountYuan && a.basis === b.basis;
  const counts = diff<Shape>(
    new Map(validated.thresholds.map((t) => [t.caseType, t])),
    new Map(current.map((t) => [t.caseType, t])),
    same,
  );
  return { rows: validated.thresholds.length, ...counts, errors: [] };
}
