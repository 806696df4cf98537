import { daysBetween, type IsoDate } from '../../core/dates';

// Training hours (DOMAIN.md §1): at least 60 hours a year per officer in 公共法律知识, 业务知识 and 行政执法技能.
// Pure: records, the year's rule and the date are passed in.

export type TrainingCategory = 'public_law' | 'business' | 'skills';

export const CATEGORY_LABEL: Record<TrainingCategory, string> = {
  public_law: '公共法律知识',
  business: '业务知识',
  skills: '行政执法技能',
};
export const CATEGORIES = Object.keys(CATEGORY_LABEL) as TrainingCategory[];

export interface TrainingRule {
  year: number;
  requiredHours: number;
  /** Minimum hours per category where a province sets one (local). */
  perCategory: Partial<Record<TrainingCategory, number>>;
  /** "At risk" when the rest of the year would need more than this many times the normal pace. */
  atRiskPaceFactor: number;
}

export function defaultRule(year: number): TrainingRule {
  return { year, requiredHours: 60, perCategory: {}, atRiskPaceFactor: 3 };
}

export interface HoursRecord {
  date: IsoDate;
  category: TrainingCategory;
  hours: number;
  status: 'pending' | 'confirmed' | 'rejected';
}

export type TrainingStatus = 'met' | 'on_track' | 'behind' | 'at_risk';

export const STATUS_WORDS: Record<TrainingStatus, string> = {
  met: '达标',
  on_track: '正常',
  behind: '落后',
  at_risk: '高风险',
};

/** Hours come in steps of 0.5, more than 0 and at most 24 for one record. */
export function checkHours(hours: number): string | undefined {
  if (!Number.isFinite(hours) || hours <= 0) return '学时应大于 0';
  if (hours > 24) return '单条记录不超过 24 学时';
  if (Math.round(hours * 2) !== hours * 2) return '学时以 0.5 为单位';
  return undefined;
}

export interface Totals {
  total: number;
  byCategory: Record<TrainingCategory, number>;
}

/** What counts toward `year`: confirmed records dated in that year with valid hours. */
export function countHours(records: HoursRecord[], year: number): Totals {
  const byCategory: Record<TrainingCategory, number> = { public_law: 0, business: 0, skills: 0 };
  for (const r of records) {
    if (r.status !== 'confirmed' || Number(r.date.slice(0, 4)) !== year || checkHours(r.hours)) continue;
    byCategory[r.category] += r.hours;
  }
  return { total: CATEGORIES.reduce((sum, c) => sum + byCategory[c], 0), byCategory };
}

export function daysInYear(year: number): number {
  return daysBetween(`${year}-01-01`, `${year + 1}-01-01`);
}

/** Hours an officer on an even pace would have by the end of `asOf` (pro rata, whole days). */
export function expectedHours(rule: TrainingRule, asOf: IsoDate): number {
  const elapsed = Math.min(Math.max(daysBetween(`${rule.year}-01-01`, asOf) + 1, 0), daysInYear(rule.year));
  return (rule.requiredHours * elapsed) / daysInYear(rule.year);
}

/** Hours still needed: the total shortfall, or the category shortfalls if those add up to more. */
export function hoursLeft(rule: TrainingRule, totals: Totals): number {
  const categoryGap = CATEGORIES.reduce(
    (sum, c) => sum + Math.max((rule.perCategory[c] ?? 0) - totals.byCategory[c], 0),
    0,
  );
  return Math.max(rule.requiredHours - totals.total, categoryGap, 0);
}

export function trainingStatus(rule: TrainingRule, totals: Totals, asOf: IsoDate): TrainingStatus {
  const left = hoursLeft(rule, totals);
  if (left === 0) return 'met';
  const daysRemaining = Math.max(daysBetween(asOf, `${rule.year}-12-31`), 0); // days after asOf
  const normalPace = rule.requiredHours / daysInYear(rule.year);
  if (left > normalPace * daysRemaining * rule.atRiskPaceFactor) return 'at_risk';
  return totals.total < expectedHours(rule, asOf) - 1e-9 ? 'behind' : 'on_track';
}

/** Days left in the training year after `asOf` (0 on 31 December). */
export function daysLeftInYear(year: number, asOf: IsoDate): number {
  return Math.max(daysBetween(asOf, `${year}-12-31`), 0);
}

/** Checkpoints of the training year (default: quarter ends, 1 Nov, 1 Dec, 20 Dec), sorted. */
export function checkpoints(
  year: number,
  monthDays = ['03-31', '06-30', '09-30', '11-01', '12-01', '12-20', '12-31'],
): IsoDate[] {
  return monthDays.map((md) => `${year}-${md}`).sort();
}

export function isQuarterEnd(date: IsoDate): boolean {
  return ['03-31', '06-30', '09-30', '12-31'].includes(date.slice(5));
}

/** 全员轮训: a named training that listed units must all attend by a deadline (data, not code). */
export interface RotationCampaign {
  name: string;
  course: string;
  deadline: IsoDate;
  units: string[];
}

export function attendedCampaign(
  campaign: RotationCampaign,
  records: Array<HoursRecord & { course: string }>,
): boolean {
  return records.some((r) => r.status === 'confirmed' && r.course === campaign.course && r.date <= campaign.deadline);
}
