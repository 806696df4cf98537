import { describe, expect, it } from 'vitest';
import { addDays, calendarYearWanted, WorkingCalendar } from '../../src/core/calendar';
import { planDeadline } from '../../src/core/deadlines';
import { LAST_TABLE_YEAR, provisionalYear, statutoryHolidays } from '../../src/core/statutory-holidays';
import { shippedCalendar, shippedCalendarData } from '../support/shipped-calendar';

// The 13 statutory holidays of 《全国年节及纪念日放假办法》 (2024 amendment), the lunar ones from a table: they must be
// holidays in every notice LawDesk ships, and match the known dates of the years to come.

const TZ = 'Asia/Shanghai';
const dates = (year: number) => statutoryHolidays(year).map((h) => `${h.date} ${h.name}`);

describe('statutory holidays', () => {
  it.each(shippedCalendarData().map((y) => [y.year, y] as const))(
    '%i agrees with the shipped notice: its 13 days are holidays there, only 调休 workdays are missing',
    (year, notice) => {
      const loaded = new WorkingCalendar([notice]);
      const provisional = new WorkingCalendar([provisionalYear(year)]);
      const statutory = statutoryHolidays(year);
      expect(statutory).toHaveLength(13);
      expect(statutory.filter((h) => loaded.isWorkingDay(h.date))).toEqual([]);
      const days = Array.from({ length: 365 }, (_, i) => addDays(`${year}-01-01`, i));
      // A provisional year works on fewer days than the notice only where the notice moves a weekend (调休上班) …
      expect(days.filter((d) => loaded.isWorkingDay(d) && !provisional.isWorkingDay(d))).toEqual(
        [...notice.workdays].sort(),
      );
      // … and rests less only on the notice's bridging days, never on a statutory holiday.
      const bridging = days.filter((d) => !loaded.isWorkingDay(d) && provisional.isWorkingDay(d));
      expect(bridging.every((d) => notice.holidays.includes(d) && !statutory.some((h) => h.date === d))).toBe(true);
    },
  );

  it.each([
    [
      2025,
      [
        '2025-01-01 元旦',
        '2025-01-28 春节',
        '2025-01-29 春节',
        '2025-01-30 春节',
        '2025-01-31 春节',
        '2025-04-04 清明节',
        '2025-05-01 劳动节',
        '2025-05-02 劳动节',
        '2025-05-31 端午节',
        '2025-10-01 国庆节',
        '2025-10-02 国庆节',
        '2025-10-03 国庆节',
        '2025-10-06 中秋节',
      ],
    ],
    [
      2026,
      [
        '2026-01-01 元旦',
        '2026-02-16 春节',
        '2026-02-17 春节',
        '2026-02-18 春节',
        '2026-02-19 春节',
        '2026-04-05 清明节',
        '2026-05-01 劳动节',
        '2026-05-02 劳动节',
        '2026-06-19 端午节',
        '2026-09-25 中秋节',
        '2026-10-01 国庆节',
        '2026-10-02 国庆节',
        '2026-10-03 国庆节',
      ],
    ],
    [
      2027,
      [
        '2027-01-01 元旦',
        '2027-02-05 春节',
        '2027-02-06 春节',
        '2027-02-07 春节',
        '2027-02-08 春节',
        '2027-04-05 清明节',
        '2027-05-01 劳动节',
        '2027-05-02 劳动节',
        '2027-06-09 端午节',
        '2027-09-15 中秋节',
        '2027-10-01 国庆节',
        '2027-10-02 国庆节',
        '2027-10-03 国庆节',
      ],
    ],
    // 2028: 中秋 falls on 3 Oct, inside 国庆: one day, listed once (the law gives no extra day).
    [
      2028,
      [
        '2028-01-01 元旦',
        '2028-01-25 春节',
        '2028-01-26 春节',
        '2028-01-27 春节',
        '2028-01-28 春节',
        '2028-04-04 清明节',
        '2028-05-01 劳动节',
        '2028-05-02 劳动节',
        '2028-05-28 端午节',
        '2028-10-01 国庆节',
        '2028-10-02 国庆节',
        '2028-10-03 国庆节、中秋节',
      ],
    ],
    [
      2029,
      [
        '2029-01-01 元旦',
        '2029-02-12 春节',
        '2029-02-13 春节',
        '2029-02-14 春节',
        '2029-02-15 春节',
        '2029-04-04 清明节',
        '2029-05-01 劳动节',
        '2029-05-02 劳动节',
        '2029-06-16 端午节',
        '2029-09-22 中秋节',
        '2029-10-01 国庆节',
        '2029-10-02 国庆节',
        '2029-10-03 国庆节',
      ],
    ],
    [
      2030,
      [
        '2030-01-01 元旦',
        '2030-02-02 春节',
        '2030-02-03 春节',
        '2030-02-04 春节',
        '2030-02-05 春节',
        '2030-04-05 清明节',
        '2030-05-01 劳动节',
        '2030-05-02 劳动节',
        '2030-06-05 端午节',
        '2030-09-12 中秋节',
        '2030-10-01 国庆节',
        '2030-10-02 国庆节',
        '2030-10-03 国庆节',
      ],
    ],
  ])('%i', (year, expected) => {
    expect(dates(year)).toEqual(expected);
  });

  it('knows the lunar holidays to 2100 and the fixed ones beyond', () => {
    expect(LAST_TABLE_YEAR).toBe(2100);
    for (let year = 2025; year <= 2100; year++) {
      const names = statutoryHolidays(year).map((h) => h.name);
      expect(names.filter((n) => n.includes('春节'))).toHaveLength(4);
      expect(
        names.some((n) => n.includes('清明节')) &&
          names.some((n) => n.includes('端午节')) &&
          names.some((n) => n.includes('中秋节')),
      ).toBe(true);
    }
    expect(dates(2101)).toEqual([
      '2101-01-01 元旦',
      '2101-05-01 劳动节',
      '2101-05-02 劳动节',
      '2101-10-01 国庆节',
      '2101-10-02 国庆节',
      '2101-10-03 国庆节',
    ]);
  });
});

describe('a year with no notice', () => {
  const strict = shippedCalendar();
  const lenient = new WorkingCalendar(shippedCalendarData(), { provisional: true });

  it('is planned on weekends and the statutory holidays, and says so', () => {
    expect(lenient.isWorkingDay('2027-01-01')).toBe(false); // 元旦, a Friday
    expect(lenient.isWorkingDay('2027-01-04')).toBe(true); // Monday
    expect(lenient.isWorkingDay('2027-02-08')).toBe(false); // 正月初三, Monday
    expect(lenient.isWorkingDay('2027-02-09')).toBe(true); // no bridging days are guessed
    expect([lenient.isProvisional('2026-12-31'), lenient.isProvisional('2027-01-04')]).toEqual([false, true]);
    expect(() => strict.isWorkingDay('2027-01-04')).toThrow(/没有 2027 年的节假日数据/);
  });

  it('marks a working-day deadline that runs into it provisional, and one that does not, not', () => {
    // Wednesday 2026-12-30 10:00: 31 Dec, then 元旦 and a weekend, 4 and 5 Jan.
    const across = planDeadline(lenient, new Date('2026-12-30T02:00:00Z'), { unit: 'workingDays', amount: 3 }, TZ);
    expect(across).toMatchObject({ dueAt: '2027-01-05T16:00:00.000Z', provisional: true });
    const within = planDeadline(lenient, new Date('2026-12-24T02:00:00Z'), { unit: 'workingDays', amount: 3 }, TZ);
    expect(within.dueAt).toBe('2026-12-29T16:00:00.000Z');
    expect(within.provisional).toBeUndefined();
    // Calendar days end where they end whatever the notice says.
    expect(
      planDeadline(lenient, new Date('2026-12-30T02:00:00Z'), { unit: 'days', amount: 30 }, TZ).provisional,
    ).toBeUndefined();
  });

  it('is recomputed once the notice is loaded', () => {
    const notice = { year: 2027, holidays: ['2027-01-01', '2027-01-04'], workdays: [] }; // a notice that gives 4 Jan too
    const loaded = new WorkingCalendar([...shippedCalendarData(), notice], { provisional: true });
    const plan = planDeadline(loaded, new Date('2026-12-30T02:00:00Z'), { unit: 'workingDays', amount: 3 }, TZ);
    expect(plan.dueAt).toBe('2027-01-06T16:00:00.000Z');
    expect(plan.provisional).toBeUndefined();
  });
});

describe('which year the bureau is reminded to load', () => {
  it.each([
    ['2026-10-31', [2025, 2026], undefined],
    ['2026-11-01', [2025, 2026], 2027], // the notice is usually out in early November
    ['2026-12-31', [2025, 2026, 2027], undefined],
    ['2027-01-04', [2025, 2026], 2027], // January with the year still missing: its own year
    ['2027-06-01', [2026, 2027], undefined],
  ])('%s with %j loaded: %s', (day, loaded, expected) => {
    expect(calendarYearWanted(day, loaded)).toBe(expected);
  });
});
