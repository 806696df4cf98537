import { describe, expect, it } from 'vitest';
import { demoRecords, demoTotal } from '../../prisma/seed/demo-training';
import {
  attendedCampaign,
  checkHours,
  countHours,
  defaultRule,
  expectedHours,
  hoursLeft,
  trainingStatus,
  type HoursRecord,
} from '../../src/processes/training/rules';

/** `hours` as records of at most 24 hours each, in January. */
const recordsOf = (hours: number): HoursRecord[] =>
  Array.from({ length: Math.ceil(hours / 24) }, (_, i) =>
    rec(`2026-01-${String(10 + i).padStart(2, '0')}`, Math.min(24, hours - 24 * i)),
  );

const rec = (
  date: string,
  hours: number,
  category: HoursRecord['category'] = 'business',
  status: HoursRecord['status'] = 'confirmed',
): HoursRecord => ({ date, hours, category, status });

describe('which records count', () => {
  it.each([
    [[rec('2026-12-31', 4)], 4], // last day of the year counts
    [[rec('2027-01-01', 4)], 0], // first day of the next year does not
    [[rec('2025-12-31', 4)], 0],
    [[rec('2026-06-01', 2.5), rec('2026-06-02', 0.5)], 3],
    [[rec('2026-06-01', 4, 'skills', 'pending')], 0],
    [[rec('2026-06-01', 4, 'skills', 'rejected')], 0],
    [[rec('2026-06-01', 0.3)], 0], // not a 0.5 step
    [[rec('2026-06-01', 25)], 0], // over 24 in one record
  ])('%j → %d hours in 2026', (records, total) => {
    expect(countHours(records, 2026).total).toBe(total);
  });

  it.each([
    [0, '学时应大于 0'],
    [-1, '学时应大于 0'],
    [24.5, '单条记录不超过 24 学时'],
    [1.25, '学时以 0.5 为单位'],
    [0.5, undefined],
    [24, undefined],
  ])('checkHours(%d) = %s', (hours, message) => {
    expect(checkHours(hours)).toBe(message);
  });
});

describe('expected hours and status', () => {
  const rule = defaultRule(2026);
  it.each([
    ['2026-01-01', 60 / 365],
    ['2026-07-02', (60 * 183) / 365],
    ['2026-12-31', 60],
  ])('expected by %s: %d', (date, hours) => {
    expect(expectedHours(rule, date)).toBeCloseTo(hours, 6);
  });

  it('uses 366 days in a leap year', () => {
    expect(expectedHours(defaultRule(2028), '2028-02-29')).toBeCloseTo((60 * 60) / 366, 6);
  });

  it.each([
    [60, '2026-03-01', 'met'],
    [35, '2026-07-01', 'on_track'], // expected ≈ 29.9
    [20, '2026-07-01', 'behind'],
    [10, '2026-12-01', 'at_risk'], // 50 h in 30 days: more than 3× the normal pace
    [59.5, '2026-12-31', 'at_risk'], // no days left
  ] as const)('%d hours on %s → %s', (hours, asOf, status) => {
    expect(trainingStatus(rule, countHours(recordsOf(hours), 2026), asOf)).toBe(status);
  });

  it('adds per-category minimums where a province sets them', () => {
    const strict = { ...defaultRule(2026), perCategory: { public_law: 20 } };
    const totals = countHours([rec('2026-02-01', 24), rec('2026-02-02', 24), rec('2026-02-03', 12)], 2026); // 60 h, all 业务知识
    expect(hoursLeft(strict, totals)).toBe(20);
    expect(trainingStatus(strict, totals, '2026-03-01')).not.toBe('met');
    expect(trainingStatus(defaultRule(2026), totals, '2026-03-01')).toBe('met');
  });
});

describe('rotation campaigns (全员轮训)', () => {
  const campaign = {
    name: '2026 年全员轮训',
    course: '行政执法三项制度',
    deadline: '2026-06-30',
    units: ['县市场监管局'],
  };
  it('counts only a confirmed attendance by the deadline', () => {
    expect(attendedCampaign(campaign, [{ ...rec('2026-06-30', 4), course: '行政执法三项制度' }])).toBe(true);
    expect(attendedCampaign(campaign, [{ ...rec('2026-07-01', 4), course: '行政执法三项制度' }])).toBe(false);
    expect(
      attendedCampaign(campaign, [{ ...rec('2026-06-01', 4, 'business', 'pending'), course: '行政执法三项制度' }]),
    ).toBe(false);
  });
});

describe('demo county training seed', () => {
  // Early in the year nobody can be at risk yet (even 0 h can be made up at 3× the normal pace).
  it.each([
    ['2026-03-02', 'behind'],
    ['2026-07-15', 'behind'],
    ['2026-11-22', 'at_risk'],
  ] as const)('puts people in the status they were meant for on %s', (today, lowest) => {
    for (const status of ['met', 'on_track', 'behind', 'at_risk'] as const) {
      const records = demoRecords(demoTotal(status, today, 1), today, 1);
      const totals = countHours(
        records.map((r) => ({ date: r.date, category: r.category, hours: r.halfHours / 2, status: 'confirmed' })),
        2026,
      );
      expect(trainingStatus(defaultRule(2026), totals, today), status).toBe(status === 'at_risk' ? lowest : status);
      expect(records.every((r) => r.date >= '2026-01-01' && r.date <= today)).toBe(true);
    }
  });
});
