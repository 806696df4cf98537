import type { CalendarYearData, IsoDate } from './dates';

// The public holidays of 《全国年节及纪念日放假办法》 as amended in 2024 (in force from 2025, 13 days):
// 元旦 1 (1 Jan), 春节 4 (农历除夕 and 正月初一至初三), 清明节 1 (the 清明 solar term), 劳动节 2 (1–2 May),
// 端午节 1 (农历五月初五), 中秋节 1 (农历八月十五), 国庆节 3 (1–3 Oct).
// They plan a deadline in a year whose State Council notice is not loaded yet: weekends plus these days. What a
// notice adds (bridging days, 调休 working weekends) cannot be computed, so such a plan is provisional (暂定)
// and is recomputed when the year is loaded. Pure and deterministic: workflow code may use it.

export const FIRST_TABLE_YEAR = 2025;

/**
 * One token a year from 2025: 除夕 (MMDD), 端午 (MMDD), 中秋 (MMDD), then the day of April of 清明.
 * Generated with lunar-javascript 1.7.7 (astronomical) and checked equal, every year to 2100, with solarlunar
 * 3.1.0 (table-based); test/unit/statutory-holidays.test.ts checks 2025 and 2026 against the shipped notices.
 */
const LUNAR_DATES = [
  '0128053110064 0216061909255 0205060909155 0125052810034 0212061609224 0202060509125 0122062410015 0210061209194',
  '0130060109084 0218062009275 0207061009165 0127053010044 0214061809244 0203060709135 0123052710025 0211061409204',
  '0131060309104 0121062209284 0209061109175 0129053110054 0216061909254 0205060809154 0125052910045 0213061509224',
  '0201060409114 0122062309304 0210061309195 0131060109074 0218062009264 0207061009164 0127053010055 0214061709244',
  '0203060609134 0123062510024 0211061409215 0201060309094 0120062209284 0208061109174 0128060110065 0216061909254',
  '0204060809154 0125052810034 0213061609235 0202060409114 0122062309294 0210061309194 0130060209085 0218062009264',
  '0206061009164 0126053010054 0214061709244 0204060609124 0123062410014 0211061409204 0201060409104 0121062209284',
  '0208061109174 0128060110064 0216061909264 0205060709144 0125052710034 0213061509224 0202060509114 0123062309294',
  '0209061309184 0129060209084 0217062109274 0206060909164 0126052910054 0214061709244 0204060609134 0124062409304',
  '0211061409204 0131060409094 0120062309294 0208061209185',
]
  .join(' ')
  .split(' ');

export const LAST_TABLE_YEAR = FIRST_TABLE_YEAR + LUNAR_DATES.length - 1;

export interface StatutoryHoliday {
  date: IsoDate;
  name: string;
}

/**
 * The statutory holidays of `year`, in date order. Outside the lunar table (before 2025 the law differed; after
 * 2100 nobody here will read this) only the fixed-date ones are known, and only those are returned.
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const day = (mmdd: string) => `${year}-${mmdd.slice(0, 2)}-${mmdd.slice(2, 4)}`;
  const fixed: StatutoryHoliday[] = [
    { date: day('0101'), name: '元旦' },
    { date: day('0501'), name: '劳动节' },
    { date: day('0502'), name: '劳动节' },
    { date: day('1001'), name: '国庆节' },
    { date: day('1002'), name: '国庆节' },
    { date: day('1003'), name: '国庆节' },
  ];
  const token = LUNAR_DATES[year - FIRST_TABLE_YEAR];
  if (!token || year < FIRST_TABLE_YEAR) return fixed;
  const eve = day(token.slice(0, 4));
  const lunar: StatutoryHoliday[] = [
    ...[0, 1, 2, 3].map((i) => ({ date: nextDays(eve, i), name: '春节' })),
    { date: day(`04${token.slice(12).padStart(2, '0')}`), name: '清明节' },
    { date: day(token.slice(4, 8)), name: '端午节' },
    { date: day(token.slice(8, 12)), name: '中秋节' },
  ];
  // 中秋 can fall on 1–3 Oct (2028: 3 Oct); the law then gives no extra day, so a date is listed once.
  const byDate = new Map<IsoDate, StatutoryHoliday>();
  for (const h of [...fixed, ...lunar]) {
    const known = byDate.get(h.date);
    byDate.set(h.date, known ? { date: h.date, name: `${known.name}、${h.name}` } : h);
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** A year with no loaded notice, as the calendar plans it: weekends and the statutory holidays, no 调休. */
export function provisionalYear(year: number): CalendarYearData {
  return { year, holidays: statutoryHolidays(year).map((h) => h.date), workdays: [] };
}

/** calendar.ts's addDays, repeated so the two files do not import each other. */
function nextDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
