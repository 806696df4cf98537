import { describe, expect, it } from 'vitest';
import { CRIMINAL_STEPS, INTER_AGENCY_STEPS, REVERSE_STEPS } from '../../src/processes/referral/rules';
import { FOLLOW_UP_CLOCKS, referralFields, referralOutcomes } from '../../src/processes/referral/form';
import { ledgerRows, percent, type LedgerReferral } from '../../src/processes/referral/ledger';
import { LEAD_STEPS } from '../../src/processes/referral/leads';
import { checkStepAnswer } from '../../src/processes/casework/step-form';

// The ledger's arithmetic and how referral steps become step cards (buttons, reasons, forms).

const row = (over: Partial<LedgerReferral>): LedgerReferral => ({
  workflowId: 'w',
  kind: 'criminal',
  unitName: '甲局',
  status: 'closed',
  stepsDone: 0,
  stepsLate: 0,
  refusals: 0,
  sendBacks: 0,
  ...over,
});
const now = new Date('2026-03-10T10:00:00+08:00');

describe('移送台账 rows', () => {
  it('counts per unit: open, overdue by the open step, on-time over decided steps, refusals, bounced leads', () => {
    const rows = ledgerRows(
      [
        row({ workflowId: 'a', stepsDone: 4, stepsLate: 1, refusals: 1 }),
        row({ workflowId: 'b', status: 'open', stepsDone: 1 }),
        row({ workflowId: 'c', status: 'open', kind: 'lead', sendBacks: 1, stepsDone: 1, stepsLate: 0 }),
        row({ workflowId: 'd', unitName: '乙局', status: 'open' }),
      ],
      new Map([
        ['b', new Date('2026-03-09T16:00:00Z')],
        ['c', new Date('2026-03-12T16:00:00Z')],
        ['d', new Date('2026-03-12T16:00:00Z')],
      ]),
      now,
    );
    expect(rows).toEqual([
      { unitName: '甲局', total: 3, open: 2, overdue: 1, onTimeRate: 5 / 6, refusals: 1, bouncedLeads: 1 },
      { unitName: '乙局', total: 1, open: 1, overdue: 0, onTimeRate: undefined, refusals: 0, bouncedLeads: 0 },
    ]);
    expect([percent(5 / 6), percent(undefined)]).toEqual(['83%', '—']);
  });
});

describe('referral steps as step cards', () => {
  const all = [...CRIMINAL_STEPS, ...INTER_AGENCY_STEPS, ...REVERSE_STEPS, ...LEAD_STEPS];

  it("every step that runs has a clock: the rule's, or a follow-up clock of ours (the report is the start itself)", () => {
    for (const step of all.filter((s) => s.key !== 'report'))
      expect(step.clock ?? FOLLOW_UP_CLOCKS[step.key], step.key).toBeDefined();
  });

  it.each([
    ['headDecision', 'rejected', true],
    ['headDecision', 'approved', false],
    ['reconsiderationRequest', 'accepted', true],
  ])('%s → %s needs a reason: %s', (key, outcome, needs) => {
    const step = CRIMINAL_STEPS.find((s) => s.key === key)!;
    expect(referralOutcomes(step).find((o) => o.key === outcome)!.needsReason).toBe(needs);
  });

  it('an outside act is recorded with date and number, no reason asked; a refusal to receive needs one', () => {
    const decision = CRIMINAL_STEPS.find((s) => s.key === 'policeDecision')!;
    const card = { outcomes: referralOutcomes(decision), fields: referralFields(decision) };
    expect(checkStepAnswer(card, { outcome: 'refused', values: { date: '2026-03-05' } })).toBe('请填写「文书编号」');
    expect(
      checkStepAnswer(card, { outcome: 'refused', values: { date: '2026-03-05', documentNo: '不立1' } }),
    ).toBeUndefined();
    const acceptance = INTER_AGENCY_STEPS.find((s) => s.key === 'acceptance')!;
    expect(checkStepAnswer({ outcomes: referralOutcomes(acceptance) }, { outcome: 'refused' })).toBe(
      '「拒收(说明理由)」时请填写理由',
    );
    expect(checkStepAnswer({ outcomes: referralOutcomes(acceptance) }, { outcome: 'accepted' })).toBeUndefined();
  });

  it('sending to the police needs all four documents of 310 第6条 and the copy to the procuratorate', () => {
    const send = CRIMINAL_STEPS.find((s) => s.key === 'send')!;
    const card = { outcomes: referralOutcomes(send), fields: referralFields(send) };
    const all4 = {
      letterNo: '移1',
      referralLetter: 'attached',
      investigationReport: 'attached',
      itemList: 'attached',
      expertReport: 'attached',
      procuratorateCopy: 'sent',
    };
    expect(checkStepAnswer(card, { outcome: 'sent', values: all4 })).toBeUndefined();
    expect(checkStepAnswer(card, { outcome: 'sent', values: { ...all4, expertReport: '' } })).toBe(
      '请填写「有关检验报告或者鉴定意见」',
    );
    expect(checkStepAnswer(card, { outcome: 'sent', values: { ...all4, procuratorateCopy: '' } })).toBe(
      '请填写「抄送同级人民检察院」',
    );
  });

  it('a lead with its send-back used up offers no 退单 button', () => {
    const sign = LEAD_STEPS.find((s) => s.key === 'sign')!;
    expect(referralOutcomes(sign).map((o) => o.key)).toEqual(['signed', 'sentBack']);
    expect(referralOutcomes(sign, ['sentBack']).map((o) => o.key)).toEqual(['signed']);
  });
});
