import { describe, expect, it } from 'vitest';
import { planDeadline } from '../../src/core/deadlines';
import {
  colourOf,
  digestFor,
  isDigestDay,
  isRankingDay,
  rankUnits,
  workingDaysOverdue,
} from '../../src/processes/desk/rules';
import {
  checkRule,
  outOfQuietHours,
  planMilestones,
  rulesForStep,
  type EscalationRuleRow,
} from '../../src/core/escalation';
import { shippedCalendar } from '../support/shipped-calendar';

const cal = shippedCalendar();
const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
/** 24:00 local at the end of `date`: where a day-counted deadline ends. */
const endOf = (date: string) => at(`${date}T00:00:00`).getTime() + 86_400_000;

const LADDER: EscalationRuleRow[] = [
  { process: '*', stepKey: '*', milestone: 'half', notify: ['owner'] },
  { process: '*', stepKey: '*', milestone: 'due', notify: ['owner', 'superior'] },
  { process: '*', stepKey: '*', milestone: 'due+1', notify: ['owner', 'superior'] },
  { process: '*', stepKey: '*', milestone: 'due+5', notify: ['owner', 'superior', 'bureau'] },
];

describe('colours on the working-day calendar (红 overdue, 橙 within 1 working day, 黄 within 3)', () => {
  // An item due at the end of Thursday 2026-11-26.
  const due = new Date(endOf('2026-11-26'));
  it.each([
    ['2026-11-20T08:30:00', 'green'], // Friday before: 4 working days ahead
    ['2026-11-23T08:30:00', 'yellow'], // Monday: due by the end of the 3rd working day
    ['2026-11-24T08:30:00', 'yellow'], // Tuesday: ends after Wednesday's close, so not yet 橙
    ['2026-11-25T08:30:00', 'orange'], // Wednesday: due by the end of the next working day
    ['2026-11-26T08:30:00', 'orange'], // the day itself
    ['2026-11-26T23:59:00', 'orange'],
    ['2026-11-27T00:00:00', 'red'], // past 24:00
    ['2026-11-30T08:30:00', 'red'],
  ])('as of %s → %s', (local, colour) => {
    expect(colourOf(due, at(local), cal, TZ)).toBe(colour);
  });

  it('counts working days, so a holiday keeps an item 黄 longer (2026 国庆: 10/1–10/7 off, 10/10 Saturday works)', () => {
    const afterHoliday = new Date(endOf('2026-10-09')); // Friday after the holiday
    expect(colourOf(afterHoliday, at('2026-09-30T08:30:00'), cal, TZ)).toBe('yellow'); // 9/30 → 10/8, 10/9: 2 working days
    expect(colourOf(afterHoliday, at('2026-10-08T08:30:00'), cal, TZ)).toBe('orange');
    expect(colourOf(afterHoliday, at('2026-10-10T09:00:00'), cal, TZ)).toBe('red');
  });

  it('thresholds are configurable', () => {
    expect(colourOf(due, at('2026-11-24T08:30:00'), cal, TZ, { orangeWorkingDays: 2, yellowWorkingDays: 5 })).toBe(
      'orange',
    );
    expect(colourOf(due, at('2026-11-19T08:30:00'), cal, TZ, { orangeWorkingDays: 2, yellowWorkingDays: 5 })).toBe(
      'yellow',
    );
  });

  it('days overdue are working days', () => {
    const friday = new Date(endOf('2026-11-20'));
    expect(workingDaysOverdue(friday, at('2026-11-21T10:00:00'), cal, TZ)).toBe(0); // Saturday
    expect(workingDaysOverdue(friday, at('2026-11-23T10:00:00'), cal, TZ)).toBe(1);
    expect(workingDaysOverdue(friday, at('2026-11-27T10:00:00'), cal, TZ)).toBe(5);
  });
});

describe('digest days', () => {
  it.each([
    ['2026-09-30', true, false], // Wednesday before the holiday
    ['2026-10-01', false, false],
    ['2026-10-05', false, false], // a Monday inside the holiday: no digest, no ranking
    ['2026-10-07', false, false],
    ['2026-10-08', true, true], // Thursday: the week's first working day carries the ranking
    ['2026-10-09', true, false],
    ['2026-10-10', true, false], // 调休 Saturday: a working day, a digest
    ['2026-10-11', false, false], // Sunday
    ['2026-10-12', true, true], // an ordinary Monday
    ['2026-09-20', true, false], // 调休 Sunday: last day of its ISO week, which had working days before it
  ])('%s: digest %s, ranking %s', (day, digest, ranking) => {
    expect(isDigestDay(cal, day)).toBe(digest);
    expect(isRankingDay(cal, day)).toBe(ranking);
  });
});

describe('the escalation ladder (data)', () => {
  const plan = planDeadline(cal, at('2026-09-29T10:00:00'), { unit: 'workingDays', amount: 3 }, TZ); // across 国庆

  it('half, the deadline held to 08:00 by quiet hours, then 09:00 one and five working days late', () => {
    expect(plan.dueAt).toBe(new Date(endOf('2026-10-09')).toISOString());
    expect(planMilestones(cal, plan, LADDER, TZ).map((m) => [m.milestone, m.at, m.kind, m.notify.join('+')])).toEqual([
      ['half', plan.remindAt, 'reminder', 'owner'],
      ['due', at('2026-10-10T08:00:00').toISOString(), 'escalation', 'owner+superior'], // 10/10 is a 调休 working Saturday
      ['due+1', at('2026-10-12T09:00:00').toISOString(), 'escalation', 'owner+superior'],
      ['due+5', at('2026-10-16T09:00:00').toISOString(), 'escalation', 'owner+superior+bureau'],
    ]);
  });

  it('a step opened late tells only the latest rung already passed, then the rest on time', () => {
    const late = planMilestones(cal, plan, LADDER, TZ, { now: at('2026-10-13T10:00:00') });
    expect(late.map((m) => m.milestone)).toEqual(['due+1', 'due+5']);
  });

  it('a 24-hour statutory deadline is not held by quiet hours', () => {
    const night = planDeadline(cal, at('2026-11-23T23:00:00'), { unit: 'hours', amount: 24 }, TZ);
    const [half, due] = planMilestones(cal, night, LADDER, TZ, { statutory: true });
    expect(half!.at).toBe(at('2026-11-24T11:00:00').toISOString());
    expect(due!.at).toBe(at('2026-11-24T23:00:00').toISOString());
    const held = planMilestones(cal, night, LADDER, TZ);
    expect(held[1]!.at).toBe(at('2026-11-25T08:00:00').toISOString());
  });

  it.each([
    ['2026-11-23T20:59:00', '2026-11-23T20:59:00'],
    ['2026-11-23T21:00:00', '2026-11-24T08:00:00'],
    ['2026-11-24T03:00:00', '2026-11-24T08:00:00'],
    ['2026-11-24T08:00:00', '2026-11-24T08:00:00'],
  ])('quiet hours: %s → %s', (from, to) => {
    expect(outOfQuietHours(at(from), TZ).toISOString()).toBe(at(to).toISOString());
  });

  it('the most specific level wins: a process step, then the process, then everything', () => {
    const rules: EscalationRuleRow[] = [
      ...LADDER,
      { process: 'referral', stepKey: '*', milestone: 'due', notify: ['owner', 'bureau'] },
      { process: 'referral', stepKey: 'head_decision', milestone: 'half', notify: ['superior'] },
    ];
    expect(rulesForStep(rules, 'referral', 'head_decision').map((r) => r.milestone)).toEqual(['half']);
    expect(rulesForStep(rules, 'referral', 'police_receipt').map((r) => r.notify.join('+'))).toEqual(['owner+bureau']);
    expect(rulesForStep(rules, 'certificate', 'unit_head')).toHaveLength(4);
  });

  it.each([
    [{ milestone: 'soon', notify: ['owner'] }, '时点应为'],
    [{ milestone: 'half+2', notify: ['owner'] }, '时点应为'],
    [{ milestone: 'due+3', notify: ['mayor'] }, 'mayor'],
    [{ milestone: 'due', notify: [] }, '没有通知对象'],
  ])('a bad rule is named: %o', (rule, message) => {
    expect(() => checkRule({ process: 'certificate', stepKey: 'bureau', ...rule })).toThrow(message);
  });
});

describe("a leader's digest", () => {
  const item = (id: number, dueLocalDate: string, caseLabel = '证件暂扣') => ({
    id,
    process: 'certificate',
    caseLabel,
    subject: `案件${id}`,
    stepTitle: '单位负责人审批',
    unitName: '县市场监管局',
    ownerName: '王局长',
    dueAt: new Date(endOf(dueLocalDate)).toISOString(),
  });
  const asOf = at('2026-11-25T08:30:00');

  it('counts by colour and process, lists the overdue with working days late, oldest first', () => {
    const digest = digestFor(
      [item(1, '2026-11-26'), item(2, '2026-11-20'), item(3, '2026-11-23', '学时登记'), item(4, '2026-12-15')],
      asOf,
      cal,
      TZ,
    );
    expect(digest.counts).toEqual({ red: 2, orange: 1, yellow: 0, green: 1 });
    expect(digest.byProcess).toEqual([
      { caseLabel: '学时登记', counts: { red: 1, orange: 0, yellow: 0, green: 0 } },
      { caseLabel: '证件暂扣', counts: { red: 1, orange: 1, yellow: 0, green: 1 } },
    ]);
    expect(digest.overdue.map((o) => [o.id, o.daysOverdue])).toEqual([
      [2, 3],
      [3, 2],
    ]);
    expect(digest.worthSending).toBe(true);
  });

  it('nothing due (only 绿, or nothing) → no message', () => {
    expect(digestFor([item(4, '2026-12-15')], asOf, cal, TZ).worthSending).toBe(false);
    expect(digestFor([], asOf, cal, TZ).worthSending).toBe(false);
  });

  it('ranks units by training completion and on-time rate', () => {
    expect(
      rankUnits([
        { unitName: '甲', trainingMet: 5, officers: 10, decided: 4, decidedOnTime: 4 },
        { unitName: '乙', trainingMet: 9, officers: 10, decided: 0, decidedOnTime: 0 },
        { unitName: '丙', trainingMet: 8, officers: 10, decided: 10, decidedOnTime: 5 },
      ]).map((r) => [r.unitName, r.score]),
    ).toEqual([
      ['乙', 0.9],
      ['甲', 0.75],
      ['丙', 0.65],
    ]);
  });
});
