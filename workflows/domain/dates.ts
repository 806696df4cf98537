// Calendar dates in the county's time zone. A date is 'YYYY-MM-DD'; all arithmetic is on whole days, so a
// deadline never drifts with the server's own time zone.

export type IsoDate = string;

export function dateIn(timeZone: string, at: Date): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A DATE column read by Prisma arrives as UTC midnight of that date. */
export function isoDateOf(dbDate: Date): IsoDate {
  return dbDate.toISOString().slice(0, 10);
}
