import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../support/shipped-calendar';
import {
  CLOSED,
  EXAMPLE_THRESHOLDS,
  REFERRAL_STEPS,
  checkCriminalReport,
  checkOutsideAct,
  missingDocuments,
  planReferralStep,
  policeDecisionClock,
  recordedActStart,
  referralStep,
  resolveStepClock,
  thresholdReached,
  type ClockFacts,
  type ReferralKind,
} from '../../src/processes/referral/rules';
import { canSendBack, chaseSchedule, needsNotice, workingDaysLate } from '../../src/processes/referral/leads';
import { checkPause, dueAfterPauses, type Pause } from '../../src/processes/referral/pauses';

// The real 2025/2026 calendar (prisma/seed/calendar): 2025 国庆中秋 10/1–10/8 with 9/28 (Sun) and 10/11 (Sat) worked;
// 2026 春节 2/15–2/23 with 2/14 (Sat) and 2/28 (Sat) worked. All times below are Beijing time (+08:00).

const cal = shippedCalendar();
const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
/** 24:00 of a local date (where day-counted deadlines end), as an ISO instant. */
const endOf = (date: string) => new Date(at(`${date}T00:00`).getTime() + 86_400_000).toISOString();

describe('step clocks across the real calendar', () => {
  it.each<[string, ReferralKind, string, ClockFacts, string, string]>([
    // Tuesday 2025-09-30 10:00, the eve of 国庆: 3 days, 24 hours and 3 working days from the same start.
    ['310 head decides: 3 days', 'criminal', 'headDecision', {}, '2025-09-30T10:00', endOf('2025-10-03')],
    ['310 send to police: 24 hours', 'criminal', 'send', {}, '2025-09-30T10:00', at('2025-10-01T10:00').toISOString()],
    [
      '案件移送, ordinary: 3 working days (9, 10, Sat 11 调休)',
      'interAgency',
      'send',
      { matterKind: 'tax' },
      '2025-09-30T10:00',
      endOf('2025-10-11'),
    ],
    [
      '案件移送, food: 24 hours',
      'interAgency',
      'send',
      { matterKind: 'food' },
      '2025-09-30T10:00',
      at('2025-10-01T10:00').toISOString(),
    ],
    // Friday 2025-09-26 15:00: the 调休 Sunday 9/28 counts as a working day.
    ['3 days from a Friday', 'criminal', 'handover', {}, '2025-09-26T15:00', endOf('2025-09-29')],
    ['24 hours from a Friday', 'criminal', 'send', {}, '2025-09-26T15:00', at('2025-09-27T15:00').toISOString()],
    [
      '3 working days from a Friday (Sun 28 调休, 29, 30)',
      'interAgency',
      'send',
      { matterKind: 'tax' },
      '2025-09-26T15:00',
      endOf('2025-09-30'),
    ],
    // Friday 2026-02-13 16:00, before 春节: Saturday 2/14 is worked, then nine days off.
    ['3 days into 春节', 'criminal', 'reconsiderationRequest', {}, '2026-02-13T16:00', endOf('2026-02-16')],
    ['24 hours into 春节', 'criminal', 'send', {}, '2026-02-13T16:00', at('2026-02-14T16:00').toISOString()],
    [
      '3 working days across 春节 (Sat 14, 24, 25)',
      'interAgency',
      'send',
      { matterKind: 'tax' },
      '2026-02-13T16:00',
      endOf('2026-02-25'),
    ],
    ['指定管辖: 5 working days across 春节', 'interAgency', 'designation', {}, '2026-02-13T16:00', endOf('2026-02-27')],
    // Police decision from receipt on 2025-09-30 10:00: the crime type sets the clock.
    [
      'police, ordinary: 3 days',
      'criminal',
      'policeDecision',
      { crimeType: 'ordinary' },
      '2025-09-30T10:00',
      endOf('2025-10-03'),
    ],
    [
      'police, economic: 3 days',
      'criminal',
      'policeDecision',
      { crimeType: 'economic' },
      '2025-09-30T10:00',
      endOf('2025-10-03'),
    ],
    [
      'police, economic extended: 10 days',
      'criminal',
      'policeDecision',
      { crimeType: 'economic', policeExtended: true },
      '2025-09-30T10:00',
      endOf('2025-10-10'),
    ],
    [
      'police, complex: 30 days',
      'criminal',
      'policeDecision',
      { crimeType: 'complex' },
      '2025-09-30T10:00',
      endOf('2025-10-30'),
    ],
    [
      'police, complex extended: 30 + 30 days',
      'criminal',
      'policeDecision',
      { crimeType: 'complex', policeExtended: true },
      '2025-09-30T10:00',
      endOf('2025-11-29'),
    ],
    // A lead dispatched on Friday 2026-11-20 at 19:30: every clock from dispatch.
    ['lead sign-by: 1 working day', 'lead', 'sign', {}, '2026-11-20T19:30', endOf('2026-11-23')],
    [
      'lead urgent: 24 hours',
      'lead',
      'reply',
      { leadType: 'urgent' },
      '2026-11-20T19:30',
      at('2026-11-21T19:30').toISOString(),
    ],
    [
      'lead question: 3 working days',
      'lead',
      'reply',
      { leadType: 'question' },
      '2026-11-20T19:30',
      endOf('2026-11-25'),
    ],
    [
      'lead complaint: 13 working days',
      'lead',
      'reply',
      { leadType: 'complaint' },
      '2026-11-20T19:30',
      endOf('2026-12-09'),
    ],
    // A lead dispatched on Friday 2025-09-26 at 19:30, before 国庆: signed by the 调休 Sunday.
    ['lead sign-by before 国庆: Sun 28 调休', 'lead', 'sign', {}, '2025-09-26T19:30', endOf('2025-09-28')],
    ['lead question before 国庆', 'lead', 'reply', { leadType: 'question' }, '2025-09-26T19:30', endOf('2025-09-30')],
    ['lead complaint across 国庆', 'lead', 'reply', { leadType: 'complaint' }, '2025-09-26T19:30', endOf('2025-10-21')],
  ])('%s', (_, kind, key, facts, start, due) => {
    const plan = planReferralStep(cal, referralStep(kind, key), at(start), facts, TZ);
    expect(plan?.dueAt).toBe(due);
  });

  it.each<[string, ReferralKind, string, ClockFacts, boolean]>([
    ['310 send', 'criminal', 'send', {}, true],
    ['310 head decision', 'criminal', 'headDecision', {}, false],
    ['urgent 案件移送', 'interAgency', 'send', { matterKind: 'safety' }, true],
    ['ordinary 案件移送', 'interAgency', 'send', { matterKind: 'tax' }, false],
    ['urgent lead', 'lead', 'reply', { leadType: 'urgent' }, true],
    ['complaint lead', 'lead', 'reply', { leadType: 'complaint' }, false],
  ])('%s: quiet hours exempt = %s', (_, kind, key, facts, expected) => {
    expect(resolveStepClock(referralStep(kind, key), facts)?.statutory24h).toBe(expected);
  });

  it('lets a county list its own urgent kinds, and needs the facts a clock depends on', () => {
    const rules = {
      urgentKinds: ['tax'],
      urgentClock: { unit: 'hours', amount: 24 },
      normalClock: { unit: 'workingDays', amount: 3 },
    } as const;
    expect(
      resolveStepClock(referralStep('interAgency', 'send'), { matterKind: 'tax', interAgencyRules: rules })?.clock,
    ).toEqual({ unit: 'hours', amount: 24 });
    expect(() => resolveStepClock(referralStep('criminal', 'policeDecision'), {})).toThrow(/crime type/);
    expect(() => resolveStepClock(referralStep('lead', 'reply'), { leadType: 'gossip' })).toThrow(/unknown lead type/);
    expect(() => policeDecisionClock('ordinary', true)).toThrow(RangeError);
    expect(resolveStepClock(referralStep('criminal', 'report'))).toBeUndefined();
  });

  it("starts the clock after an outside act on the act's date, not when the liaison records it", () => {
    // The police filed on 9/30; the liaison records it on 10/2: the handover is still due 10/3 24:00.
    const start = recordedActStart({ date: '2025-09-30', documentNo: '某公立字〔2025〕12号', outcome: 'filed' }, TZ);
    expect(planReferralStep(cal, referralStep('criminal', 'handover'), start, {}, TZ)?.dueAt).toBe(endOf('2025-10-03'));
  });
});

describe('step tables', () => {
  it.each(Object.entries(REFERRAL_STEPS))(
    '%s: outcomes lead to known steps; 24-hour steps are hour clocks and never pause',
    (_, steps) => {
      const keys = steps.map((s) => s.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const step of steps) {
        for (const outcome of step.outcomes) expect([...keys, CLOSED]).toContain(outcome.next);
        if (step.clockFrom) expect(keys).toContain(step.clockFrom);
        if (step.statutory24h) expect([step.clock, step.pausable]).toEqual([{ unit: 'hours', amount: 24 }, false]);
      }
    },
  );
});

describe('lead send-back (退单)', () => {
  const lead = { dispatchedAt: at('2026-11-20T19:30').toISOString(), sendBacks: 0 };
  it.each<[string, typeof lead & { repliedAt?: string }, string, string, boolean]>([
    ['within 2 working days', lead, '不属本单位职责', '2026-11-24T17:00', true],
    ['after 2 working days', lead, '不属本单位职责', '2026-11-25T09:00', false],
    ['a second time', { ...lead, sendBacks: 1 }, '不属本单位职责', '2026-11-23T09:00', false],
    ['without reasons', lead, '  ', '2026-11-23T09:00', false],
    [
      'after the reply',
      { ...lead, repliedAt: at('2026-11-23T09:00').toISOString() },
      '不属本单位职责',
      '2026-11-23T10:00',
      false,
    ],
    [
      'during 国庆 from a 9/30 dispatch',
      { dispatchedAt: at('2025-09-30T10:00').toISOString(), sendBacks: 0 },
      '不属本单位职责',
      '2025-10-08T10:00',
      true,
    ],
    [
      'on the 调休 Saturday after it (window ended 10/10)',
      { dispatchedAt: at('2025-09-30T10:00').toISOString(), sendBacks: 0 },
      '不属本单位职责',
      '2025-10-11T09:00',
      false,
    ],
  ])('%s: allowed %s', (_, state, reason, now, ok) => {
    expect(canSendBack(cal, state, reason, at(now), TZ).ok).toBe(ok);
  });
});

describe('lateness, 催办 and 通报', () => {
  it.each([
    [endOf('2026-11-25'), '2026-11-25T18:00', 0, false],
    [endOf('2026-11-25'), '2026-11-26T10:00', 1, false],
    [endOf('2026-11-25'), '2026-11-28T10:00', 2, false], // Saturday adds nothing
    [endOf('2026-11-25'), '2026-12-01T18:00', 4, false],
    [endOf('2026-11-25'), '2026-12-02T09:00', 5, true],
    [endOf('2025-09-30'), '2025-10-08T12:00', 0, false], // 国庆
    [endOf('2025-09-30'), '2025-10-13T10:00', 4, false], // 9, 10, Sat 11 调休, 13
    [endOf('2025-09-30'), '2025-10-14T10:00', 5, true],
    [at('2026-11-21T19:30').toISOString(), '2026-11-23T10:00', 1, false], // a 24-hour clock due on Saturday evening
  ])('due %s, now %s: %i working days late, 通报 %s', (dueAt, now, late, notice) => {
    expect(workingDaysLate(cal, dueAt, at(now), TZ)).toBe(late);
    expect(needsNotice(cal, dueAt, at(now), TZ)).toBe(notice);
  });

  it.each([
    [
      'question lead of Friday evening',
      '2026-11-20T19:30',
      endOf('2026-11-25'),
      ['2026-11-24T09:00', '2026-11-26T09:00', '2026-12-02T09:00'],
    ],
    // The working day before a Monday due date is the dispatch Friday itself: remind on Monday morning instead.
    [
      'sign-by of the same lead',
      '2026-11-20T19:30',
      endOf('2026-11-23'),
      ['2026-11-23T09:00', '2026-11-24T09:00', '2026-11-30T09:00'],
    ],
    [
      'due on the eve of 国庆',
      '2025-09-26T19:30',
      endOf('2025-09-30'),
      ['2025-09-29T09:00', '2025-10-09T09:00', '2025-10-14T09:00'],
    ],
    [
      'due on the Friday before 春节',
      '2026-02-10T10:00',
      endOf('2026-02-13'),
      ['2026-02-12T09:00', '2026-02-14T09:00', '2026-02-27T09:00'],
    ],
  ])('%s', (_, start, dueAt, expected) => {
    const events = chaseSchedule(cal, at(start), dueAt, TZ);
    expect(events.map((e) => e.kind)).toEqual(['remind', 'chase', 'notice']);
    expect(events.map((e) => e.at)).toEqual(expected.map((t) => at(t).toISOString()));
    expect(events[2]!.notify).toEqual(['unitHead', 'bureau']);
  });

  it('drops a reminder that has no working morning left before an hour-clock deadline', () => {
    const events = chaseSchedule(cal, at('2026-11-20T19:30'), at('2026-11-21T19:30').toISOString(), TZ);
    expect(events.map((e) => e.kind)).toEqual(['chase', 'notice']);
    expect(events[0]!.at).toBe(at('2026-11-23T09:00').toISOString());
  });
});

describe('pauses', () => {
  const reply = referralStep('lead', 'reply');
  const approved = (from: string, to?: string): Pause => ({
    reason: 'awaitingExpertOpinion',
    requestedBy: 'ou_unit',
    approvedBy: 'ou_head',
    from: at(from).toISOString(),
    to: to && at(to).toISOString(),
  });

  it.each<[string, string, 'hours' | 'days' | 'workingDays', Pause[], string, string]>([
    [
      'two working days paused',
      endOf('2026-11-25'),
      'workingDays',
      [approved('2026-11-23T10:00', '2026-11-25T10:00')],
      '2026-11-26T10:00',
      endOf('2026-11-27'),
    ],
    [
      'over a weekend: only Monday counts',
      endOf('2026-11-25'),
      'workingDays',
      [approved('2026-11-20T20:00', '2026-11-23T09:00')],
      '2026-11-23T10:00',
      endOf('2026-11-26'),
    ],
    [
      'still paused: counts up to now',
      endOf('2026-11-25'),
      'workingDays',
      [approved('2026-11-23T10:00')],
      '2026-11-24T10:00',
      endOf('2026-11-26'),
    ],
    [
      'overlapping pauses count once',
      endOf('2026-11-25'),
      'workingDays',
      [approved('2026-11-23T10:00', '2026-11-25T10:00'), approved('2026-11-24T10:00', '2026-11-25T10:00')],
      '2026-11-26T10:00',
      endOf('2026-11-27'),
    ],
    [
      'across 国庆',
      endOf('2025-09-30'),
      'workingDays',
      [approved('2025-09-29T10:00', '2025-10-09T10:00')],
      '2025-10-09T11:00',
      endOf('2025-10-10'),
    ],
    [
      'a day clock',
      endOf('2025-10-03'),
      'days',
      [approved('2025-10-01T10:00', '2025-10-02T10:00')],
      '2025-10-02T11:00',
      endOf('2025-10-04'),
    ],
    [
      'an hour clock',
      at('2026-11-21T19:30').toISOString(),
      'hours',
      [approved('2026-11-20T22:00', '2026-11-21T01:00')],
      '2026-11-21T02:00',
      at('2026-11-21T22:30').toISOString(),
    ],
    [
      'not approved',
      endOf('2026-11-25'),
      'workingDays',
      [{ ...approved('2026-11-23T10:00', '2026-11-25T10:00'), approvedBy: undefined }],
      '2026-11-26T10:00',
      endOf('2026-11-25'),
    ],
    [
      'approved by the requester',
      endOf('2026-11-25'),
      'workingDays',
      [{ ...approved('2026-11-23T10:00', '2026-11-25T10:00'), approvedBy: 'ou_unit' }],
      '2026-11-26T10:00',
      endOf('2026-11-25'),
    ],
    [
      'begun after the deadline',
      endOf('2026-11-25'),
      'workingDays',
      [approved('2026-11-26T10:00', '2026-11-30T10:00')],
      '2026-11-30T11:00',
      endOf('2026-11-25'),
    ],
  ])('%s', (_, dueAt, unit, pauses, now, expected) => {
    expect(dueAfterPauses(cal, dueAt, { unit, amount: 3 }, pauses, at(now), TZ)).toBe(expected);
  });

  it.each<[string, Parameters<typeof checkPause>[0], Pause, boolean]>([
    ['a lead reply awaiting an expert opinion', reply, approved('2026-11-23T10:00'), true],
    ['the 24-hour send of 310', referralStep('criminal', 'send'), approved('2026-11-23T10:00'), false],
    ['310 head decision', referralStep('criminal', 'headDecision'), approved('2026-11-23T10:00'), false],
    ['no approver', reply, { ...approved('2026-11-23T10:00'), approvedBy: undefined }, false],
    ['an unknown reason', reply, { ...approved('2026-11-23T10:00'), reason: 'busy' }, false],
    ['"other" without details', reply, { ...approved('2026-11-23T10:00'), reason: 'other' }, false],
    ['after the deadline', reply, approved('2026-11-26T10:00'), false],
  ])('%s: allowed %s', (_, step, pause, ok) => {
    expect(checkPause(step, pause, endOf('2026-11-25')).ok).toBe(ok);
  });
});

describe('criminal referral checks', () => {
  const officer = (name: string, certNo: string, canEnforce = true) => ({ name, certNo, canEnforce });
  it.each([
    ['two certified officers', [officer('张三', 'HN001'), officer('李四', 'HN002')], true],
    ['one officer', [officer('张三', 'HN001')], false],
    ['the same officer twice', [officer('张三', 'HN001'), officer('张三', 'HN001')], false],
    ['one without a valid certificate', [officer('张三', 'HN001'), officer('李四', 'HN002', false)], false],
  ])('case team of %s: accepted %s', (_, caseTeam, ok) => {
    expect(checkCriminalReport({ caseTeam, summary: '销售伪劣产品,销售金额 8 万元' }).ok).toBe(ok);
  });

  it.each([
    [['referralLetter', 'investigationReport', 'itemList', 'expertReport'], []],
    [['referralLetter', 'investigationReport', 'itemList'], ['有关检验报告或者鉴定意见']],
    [[], ['涉嫌犯罪案件移送书', '涉嫌犯罪案件情况的调查报告', '涉案物品清单', '有关检验报告或者鉴定意见']],
  ])('attached %j: missing %j', (attached, missing) => {
    expect(missingDocuments(attached).map((d) => d.title)).toEqual(missing);
  });

  it.each([
    ['fakeProducts', 49_999, undefined],
    ['fakeProducts', 50_000, '刑法第140条'], // 以上 includes the amount itself
    ['counterfeitGoods', 120_000, '刑法第214条; 立案追诉标准'],
    ['parking', 1_000_000, undefined],
  ])('%s at %i yuan reaches %s', (caseType, amount, basis) => {
    expect(thresholdReached(caseType, amount, EXAMPLE_THRESHOLDS)?.basis).toBe(basis);
  });

  it.each([
    [{ date: '2025-10-02', documentNo: '某公立字〔2025〕12号', outcome: 'filed' }, true],
    [{ date: '2025-10-09', documentNo: '某公立字〔2025〕12号', outcome: 'filed' }, false], // in the future
    [{ date: '2025-10-02', documentNo: ' ', outcome: 'filed' }, false],
    [{ date: '2025-10-02', documentNo: '某公立字〔2025〕12号', outcome: 'maybe' }, false],
  ])('liaison records %j: accepted %s', (act, ok) => {
    expect(checkOutsideAct(referralStep('criminal', 'policeDecision'), act, '2025-10-03').ok).toBe(ok);
  });

  it('refuses to record an act of our own as an outside act', () => {
    expect(
      checkOutsideAct(
        referralStep('criminal', 'headDecision'),
        { date: '2025-10-02', documentNo: 'x', outcome: 'approved' },
        '2025-10-03',
      ).ok,
    ).toBe(false);
  });
});
