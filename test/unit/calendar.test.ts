import { describe, expect, it } from 'vitest';
import { CalendarGapError } from '../../src/core/calendar';
import { shippedCalendar } from '../support/shipped-calendar';
import { describeDue, planDeadline } from '../../src/core/deadlines';

const cal = shippedCalendar();
const TZ = 'Asia/Shanghai';

describe('working days (2025/2026 holidays and 调休)', () => {
  it.each([
    ['2026-01-01', false], // 元旦
    ['2026-01-04', true], // Sunday, 元旦调休上班
    ['2026-02-14', true], // Saturday, 春节调休上班
    ['2026-02-16', false], // Monday in 春节
    ['2026-02-28', true], // Saturday, 春节调休上班
    ['2026-05-09', true], // Saturday, 劳动节调休上班
    ['2026-10-08', true], // Thursday after 国庆 (7 days in 2026)
    ['2025-10-08', false], // 2025 国庆中秋 ran to the 8th
    ['2025-09-28', true], // Sunday, 调休上班
    ['2026-11-21', false], // an ordinary Saturday
    ['2026-11-23', true], // an ordinary Monday
  ])('%s is a working day: %s', (date, expected) => {
    expect(cal.isWorkingDay(date)).toBe(expected);
  });

  it.each([
    ['2026-11-20', 3, '2026-11-25'], // Friday + 3 → Wednesday
    ['2026-09-30', 3, '2026-10-10'], // across 国庆: 10-08, 10-09, then Saturday 10-10 (调休上班)
    ['2026-02-12', 3, '2026-02-24'], // Thu: 13 (Fri), 14 (Sat, 调休), then holiday to 23, 24
    ['2025-12-30', 2, '2026-01-04'], // 31 Dec, then 1–3 Jan off, 4 Jan (Sunday, 调休)
  ])('%s + %i working days = %s', (start, n, expected) => {
    expect(cal.addWorkingDays(start, n)).toBe(expected);
  });

  it('counts working days between dates', () => {
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-12')).toBe(4); // 8, 9, 10 (Sat 调休), 12
    expect(cal.workingDaysBetween('2026-11-23', '2026-11-23')).toBe(0);
  });

  it('refuses to guess for a year with no data', () => {
    expect(() => cal.addWorkingDays('2026-12-30', 3)).toThrow(CalendarGapError);
    expect(() => cal.isWorkingDay('2027-01-04')).toThrow(/没有 2027 年的节假日数据/);
  });
});

describe('deadlines', () => {
  it('ends a working-day deadline at 24:00 local of its last day and reminds at half time', () => {
    // Friday 2026-11-20 10:00 Beijing time.
    const plan = planDeadline(cal, new Date('2026-11-20T02:00:00Z'), { unit: 'workingDays', amount: 3 }, TZ);
    expect(plan.dueAt).toBe('2026-11-25T16:00:00.000Z'); // Wed 24:00 +08:00
    expect(plan.remindAt).toBe('2026-11-23T01:00:00.000Z'); // the midpoint is Mon 05:00: moved to 09:00
    expect(plan.label).toBe('3个工作日');
  });

  it('moves a half-time reminder off a holiday to 09:00 of the next working day', () => {
    // Wednesday 2026-09-30 09:00: due Saturday 2026-10-10 (调休上班) 24:00; the midpoint falls in 国庆.
    const plan = planDeadline(cal, new Date('2026-09-30T01:00:00Z'), { unit: 'workingDays', amount: 3 }, TZ);
    expect(plan.dueAt).toBe('2026-10-10T16:00:00.000Z');
    expect(plan.remindAt).toBe('2026-10-08T01:00:00.000Z');
  });

  it('counts clock hours straight through nights and holidays', () => {
    const plan = planDeadline(cal, new Date('2026-09-30T12:00:00Z'), { unit: 'hours', amount: 24 }, TZ);
    expect(plan.dueAt).toBe('2026-10-01T12:00:00.000Z');
    expect(plan.remindAt).toBe('2026-10-01T00:00:00.000Z');
  });

  it('describes time left and time overdue', () => {
    expect(describeDue('2026-11-25T16:00:00.000Z', new Date('2026-11-23T14:00:00Z'), TZ)).toBe(
      '11/25 24:00 前(剩 2天2小时)',
    );
    expect(describeDue('2026-11-25T16:00:00.000Z', new Date('2026-11-26T19:00:00Z'), TZ)).toBe(
      '11/25 24:00(已超期 1天3小时)',
    );
    expect(describeDue('2026-10-01T12:00:00.000Z', new Date('2026-10-01T02:00:00Z'), TZ)).toBe(
      '10/1 20:00 前(剩 10小时)',
    ); // a 24-hour clock
  });
});
