import { addDays, type WorkingCalendar } from '../../core/calendar';
import { dateIn, type IsoDate } from '../../core/dates';
import { localTime } from '../../core/deadlines';

// The leaders' desk: how urgent an open step is (a colour), which days carry a digest, and what one
// leader's digest says. Pure: the calendar and the instant are passed in.

export type Colour = 'red' | 'orange' | 'yellow' | 'green';
export const COLOURS: readonly Colour[] = ['red', 'orange', 'yellow', 'green'];
export const COLOUR_LABEL: Record<Colour, string> = {
  red: '红 · 已超期',
  orange: '橙 · 1个工作日内到期',
  yellow: '黄 · 3个工作日内到期',
  green: '正常',
};
export const COLOUR_DOT: Record<Colour, string> = { red: '🔴', orange: '🟠', yellow: '🟡', green: '🟢' };

export interface ColourThresholds {
  /** 橙: due by the end of this many working days from today (1: today's or the next working day's close). */
  orangeWorkingDays: number;
  yellowWorkingDays: number;
}

export const DEFAULT_THRESHOLDS: ColourThresholds = { orangeWorkingDays: 1, yellowWorkingDays: 3 };

/**
 * 红 when past due; 橙 when due before the end of the Nth working day after today (N = 1), 黄 within 3;
 * else 绿. Counted in working days so a Friday item due Monday is 橙 on Friday, not 黄.
 */
export function colourOf(
  dueAt: string | Date,
  asOf: Date,
  calendar: WorkingCalendar,
  timeZone: string,
  thresholds = DEFAULT_THRESHOLDS,
): Colour {
  const due = new Date(dueAt);
  if (due.getTime() <= asOf.getTime()) return 'red';
  const today = dateIn(timeZone, asOf);
  const endOfNthWorkingDay = (n: number) =>
    localTime(addDays(calendar.addWorkingDays(today, n), 1), 0, timeZone).getTime();
  if (due.getTime() <= endOfNthWorkingDay(thresholds.orangeWorkingDays)) return 'orange';
  if (due.getTime() <= endOfNthWorkingDay(thresholds.yellowWorkingDays)) return 'yellow';
  return 'green';
}

/** Digests go out on working days only: none on a public holiday or a weekend that is not a 调休 working day. */
export function isDigestDay(calendar: WorkingCalendar, day: IsoDate): boolean {
  return calendar.isWorkingDay(day);
}

/** The unit ranking goes out on the week's first working day (Monday, or later when Monday is a holiday). */
export function isRankingDay(calendar: WorkingCalendar, day: IsoDate): boolean {
  if (!calendar.isWorkingDay(day)) return false;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  for (let d = 1; d <= weekday; d++) if (calendar.isWorkingDay(addDays(day, -d))) return false;
  return true;
}

/** Whole working days an item is late as of `asOf` (0 on the day it fell due). */
export function workingDaysOverdue(
  dueAt: string | Date,
  asOf: Date,
  calendar: WorkingCalendar,
  timeZone: string,
): number {
  const lastDay = dateIn(timeZone, new Date(new Date(dueAt).getTime() - 1));
  return calendar.workingDaysBetween(lastDay, dateIn(timeZone, asOf));
}

export interface DeskItem {
  id: number;
  process: string;
  caseLabel: string;
  subject: string;
  stepTitle: string;
  unitName: string;
  ownerName: string;
  dueAt: string;
  /** Counted through a year whose holiday notice is not loaded yet (暂定). */
  provisional?: boolean;
}

export interface LeaderDigest {
  counts: Record<Colour, number>;
  byProcess: Array<{ caseLabel: string; counts: Record<Colour, number> }>;
  overdue: Array<DeskItem & { daysOverdue: number }>;
  /** Worth a message: something is 红, 橙 or 黄. A leader with only 绿 items (or none) hears nothing. */
  worthSending: boolean;
}

export function digestFor(
  items: DeskItem[],
  asOf: Date,
  calendar: WorkingCalendar,
  timeZone: string,
  thresholds = DEFAULT_THRESHOLDS,
): LeaderDigest {
  const counts = zeroCounts();
  const byLabel = new Map<string, Record<Colour, number>>();
  const overdue: LeaderDigest['overdue'] = [];
  for (const item of items) {
    const colour = colourOf(item.dueAt, asOf, calendar, timeZone, thresholds);
    counts[colour]++;
    const perProcess = byLabel.get(item.caseLabel) ?? zeroCounts();
    perProcess[colour]++;
    byLabel.set(item.caseLabel, perProcess);
    if (colour === 'red')
      overdue.push({ ...item, daysOverdue: workingDaysOverdue(item.dueAt, asOf, calendar, timeZone) });
  }
  overdue.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id - b.id);
  return {
    counts,
    byProcess: [...byLabel]
      .map(([caseLabel, c]) => ({ caseLabel, counts: c }))
      .sort((a, b) => a.caseLabel.localeCompare(b.caseLabel, 'zh')),
    overdue,
    worthSending: counts.red + counts.orange + counts.yellow > 0,
  };
}

function zeroCounts(): Record<Colour, number> {
  return { red: 0, orange: 0, yellow: 0, green: 0 };
}

export interface UnitRankingInput {
  unitName: string;
  /** Officers who met the year's requirement so far / all officers. */
  trainingMet: number;
  officers: number;
  /** Steps decided in the period, and how many of them on time. */
  decided: number;
  decidedOnTime: number;
}

export interface UnitRanking {
  unitName: string;
  trainingRate: number;
  onTimeRate: number | null;
  score: number;
}

/** Units ranked by the mean of training completion and on-time rate (a unit with no decisions ranks on training alone). */
export function rankUnits(units: UnitRankingInput[]): UnitRanking[] {
  return units
    .map((u) => {
      const trainingRate = u.officers ? u.trainingMet / u.officers : 0;
      const onTimeRate = u.decided ? u.decidedOnTime / u.decided : null;
      return {
        unitName: u.unitName,
        trainingRate,
        onTimeRate,
        score: onTimeRate === null ? trainingRate : (trainingRate + onTimeRate) / 2,
      };
    })
    .sort((a, b) => b.score - a.score || a.unitName.localeCompare(b.unitName, 'zh'));
}
