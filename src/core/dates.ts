// Calendar dates in the county's time zone. A date is 'YYYY-MM-DD'; all arithmetic is on whole days, so a
// deadline never drifts with the server's own time zone.

export type IsoDate = string;

// Building a DateTimeFormat costs more than formatting with one (measured on the 学时 path): keep one per zone.
const formats = new Map<string, Intl.DateTimeFormat>();

export function dateIn(timeZone: string, at: Date): IsoDate {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }); // en-CA: YYYY-MM-DD
    formats.set(timeZone, format);
  }
  return format.format(at);
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A DATE column read by Prisma arrives as UTC midnight of that date. */
export function isoDateOf(dbDate: Date): IsoDate {
  return dbDate.toISOString().slice(0, 10);
}

/** One year of the working-day calendar: the days that break the weekday/weekend rule. */
export interface CalendarYearData {
  year: number;
  holidays: IsoDate[];
  workdays: IsoDate[];
}
