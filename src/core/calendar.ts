import { type CalendarYearData, type IsoDate } from './dates';
import { provisionalYear } from './statutory-holidays';

// The working-day calendar (《行政处罚法》第85条: the law's days are 工作日). Weekends are rest days except
// make-up working days (调休上班); public holidays are rest days. Years are data, loaded per year from the State
// Council's notice. A year with no data is, by choice of the caller, either an error (`strict`, for judgements
// that must not be guessed) or planned provisionally on weekends and the statutory holidays
// (statutory-holidays.ts), so a case never waits for a notice; `isProvisional` says which days were.

export type { CalendarYearData };

export class CalendarGapError extends Error {
  constructor(readonly year: number) {
    super(
      `没有 ${year} 年的节假日数据: 请用 npm run cli -- calendar load 文件 导入国务院办公厅公布的 ${year} 年放假安排`,
    );
    this.name = 'CalendarGapError';
  }
}

type YearDays = { holidays: Set<IsoDate>; workdays: Set<IsoDate> };

export class WorkingCalendar {
  private readonly years = new Map<number, YearDays>();
  /** Years planned on the statutory holidays alone, made when first asked for. */
  private readonly provisional = new Map<number, YearDays>();
  private readonly strict: boolean;

  /** `provisional`: plan a year with no data on weekends and the statutory holidays instead of throwing. */
  constructor(data: CalendarYearData[], options: { provisional?: boolean } = {}) {
    for (const y of data) this.years.set(y.year, { holidays: new Set(y.holidays), workdays: new Set(y.workdays) });
    this.strict = !options.provisional;
  }

  get loadedYears(): number[] {
    return [...this.years.keys()].sort();
  }

  isLoaded(year: number): boolean {
    return this.years.has(year);
  }

  /** The day's year has no loaded notice: whether it is a working day is provisional (暂定). */
  isProvisional(date: IsoDate): boolean {
    return !this.years.has(Number(date.slice(0, 4)));
  }

  isWorkingDay(date: IsoDate): boolean {
    const year = this.yearOf(Number(date.slice(0, 4)));
    if (year.workdays.has(date)) return true;
    if (year.holidays.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The date `n` working days after `start`. The start day itself is not counted (期间开始之日不计算在内),
   * so a 3-working-day deadline from a Friday ends on Wednesday's close.
   */
  addWorkingDays(start: IsoDate, n: number): IsoDate {
    let date = start;
    let left = n;
    while (left > 0) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) left--;
    }
    return date;
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) if (this.isWorkingDay(date)) count++;
    return count;
  }

  /** The first working day on or after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }
  private yearOf(year: number): YearDays {
    const loaded = this.years.get(year);
    if (loaded) return loaded;
    if (this.strict) throw new CalendarGapError(year);
    let made = this.provisional.get(year);
    if (!made) {
      const data = provisionalYear(year);
      made = { holidays: new Set(data.holidays), workdays: new Set(data.workdays) };
      this.provisional.set(year, made);
    }
    return made;
  }
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Rows of a calendar file (date, kind, name) grouped into years; kind is 休/holiday or 班/workday. */
export function calendarYearsFromRows(rows: Array<{ date: IsoDate; kind: 'holiday' | 'workday' }>): CalendarYearData[] {
  const byYear = new Map<number, CalendarYearData>();
  for (const row of rows) {
    const year = Number(row.date.slice(0, 4));
    const entry = byYear.get(year) ?? { year, holidays: [], workdays: [] };
    (row.kind === 'holiday' ? entry.holidays : entry.workdays).push(row.date);
    byYear.set(year, entry);
  }
  return [...byYear.values()];
}

/** From 1 November the bureau is reminded to load next year's notice (published in early November). */
export const REMIND_NEXT_YEAR_FROM_MONTH = 11;

/**
 * The year whose notice is missing and wanted on `day`: the day's own year when it has none (the reminder goes on
 * into January), next year from 1 November; undefined when nothing is missing.
 */
export function calendarYearWanted(day: IsoDate, loadedYears: number[]): number | undefined {
  const year = Number(day.slice(0, 4));
  if (!loadedYears.includes(year)) return year;
  if (Number(day.slice(5, 7)) >= REMIND_NEXT_YEAR_FROM_MONTH && !loadedYears.includes(year + 1)) return year + 1;
  return undefined;
}
