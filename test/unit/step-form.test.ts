import { describe, expect, it } from 'vitest';
import { checkStepAnswer, describeValue } from '../../src/processes/casework/step-form';
import { stepOutcomes, type StepField } from '../../src/processes/casework/contract';

// What a step's owner sends back from a card is checked by the workflow before it counts.

const FIELDS: StepField[] = [
  { name: 'date', label: '立案日期', type: 'date', required: true },
  { name: 'docNo', label: '文书编号', type: 'text', required: true },
  {
    name: 'kind',
    label: '案件类型',
    type: 'select',
    options: [
      { value: 'economic', label: '经济犯罪' },
      { value: 'ordinary', label: '一般' },
    ],
  },
  {
    name: 'docs',
    label: '随附材料',
    type: 'multiselect',
    options: [
      { value: 'letter', label: '移送书' },
      { value: 'report', label: '调查报告' },
    ],
  },
  { name: 'amount', label: '涉案金额', type: 'number' },
];
const RECORD = {
  outcomes: [
    { key: 'filed', label: '已立案' },
    { key: 'not_filed', label: '不予立案', needsReason: true },
  ],
  fields: FIELDS,
};
const GOOD = { date: '2026-11-23', docNo: '公立字〔2026〕12号' };

describe('a step answer', () => {
  it.each([
    [{ outcome: 'filed', values: GOOD }, undefined],
    [
      { outcome: 'filed', values: { ...GOOD, kind: 'economic', docs: ['letter', 'report'], amount: '52000.5' } },
      undefined,
    ],
    [{ outcome: 'approved', values: GOOD }, '这一步不能这样处理'],
    [{ outcome: 'not_filed', values: GOOD }, '「不予立案」时请填写理由'],
    [{ outcome: 'not_filed', comment: '  ', values: GOOD }, '「不予立案」时请填写理由'],
    [{ outcome: 'filed', values: { docNo: 'x' } }, '请填写「立案日期」'],
    [
      { outcome: 'filed', values: { ...GOOD, date: '2026/11/23' } },
      '「立案日期」应为日期(如 2026-03-05),收到「2026/11/23」',
    ],
    [{ outcome: 'filed', values: { ...GOOD, kind: 'murder' } }, '「案件类型」不是可选的一项:「murder」'],
    [{ outcome: 'filed', values: { ...GOOD, kind: ['economic', 'ordinary'] } }, '「案件类型」只能填一个'],
    [{ outcome: 'filed', values: { ...GOOD, docs: ['letter', 'photo'] } }, '「随附材料」不是可选的一项:「photo」'],
    [{ outcome: 'filed', values: { ...GOOD, amount: '五万' } }, '「涉案金额」应为数字,收到「五万」'],
  ])('%o → %s', (answer, problem) => {
    expect(checkStepAnswer(RECORD, answer)).toBe(problem);
  });

  it('approve and confirm steps keep their usual buttons; a record step must name its own', () => {
    expect(stepOutcomes({ kind: 'approve' }).map((o) => [o.key, o.needsReason ?? false])).toEqual([
      ['approved', false],
      ['rejected', true],
    ]);
    expect(stepOutcomes({ kind: 'confirm' }).map((o) => o.key)).toEqual(['confirmed']);
    expect(() => stepOutcomes({ kind: 'record' })).toThrow();
    expect(checkStepAnswer({ outcomes: stepOutcomes({ kind: 'approve' }) }, { outcome: 'rejected' })).toBe(
      '「驳回」时请填写理由',
    );
  });

  it('reads choices by their labels', () => {
    expect(describeValue(FIELDS[3]!, ['letter', 'report'])).toBe('移送书、调查报告');
    expect(describeValue(FIELDS[0]!, '2026-11-23')).toBe('2026-11-23');
  });
});
