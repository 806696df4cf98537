import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  batches,
  departmentOf,
  readSelfAssessment,
  registerDecisions,
  selfAssessmentFields,
  type Proposal,
  type RoundMatter,
} from '../../src/processes/empowerment/round-rules';

// The round's card rules: batches, field names unique per card, answers read back, the leader's override lines,
// and what reaches the register (an 'adjust' with no new content keeps the matter as it is).

const matter = (code: string, form: RoundMatter['form'] = 'delegated'): RoundMatter => ({
  form,
  documentNo: 'W1',
  code,
  name: `事项${code}`,
  field: '市场监管',
  department: '县市场监管局',
});

describe('empowerment round rules', () => {
  it.each([
    [150, 10, 15],
    [7, 10, 1],
    [21, 10, 3],
  ])('%i matters in batches of %i → %i cards', (n, size, cards) => {
    expect(
      batches(
        Array.from({ length: n }, (_, i) => i),
        size,
      ),
    ).toHaveLength(cards);
  });

  it('field names are unique per card; township questions only on the first', () => {
    const fields = selfAssessmentFields([matter('A1'), matter('A2')], true);
    expect(new Set(fields.map((f) => f.name)).size).toBe(fields.length);
    expect(fields.map((f) => f.name)).toContain('staff');
    expect(selfAssessmentFields([matter('A3')], false).map((f) => f.name)).toEqual(['m0_cases', 'm0_wish', 'problems']);
  });

  it('reads the answers back per matter, with the township-wide ones', () => {
    const township = { staff: 0, certified: 0, equipment: '', problems: [] as string[] };
    const read = readSelfAssessment(
      [matter('A1'), matter('A2')],
      {
        staff: '8',
        certified: '5',
        equipment: '车',
        m0_cases: '3',
        m0_wish: 'keep',
        m1_cases: '0',
        m1_wish: 'return',
        problems: 'A2 无人办',
      },
      township,
    );
    expect(read).toMatchObject([
      { matterCode: 'A1', casesReported: 3, wish: 'keep', staff: 8, certifiedOfficers: 5 },
      { matterCode: 'A2', casesReported: 0, wish: 'return' },
    ]);
    expect(township.problems).toEqual(['A2 无人办']);
  });

  it.each([
    ['entrusted', '县城管局', '市场监管', {}, '县城管局'],
    ['delegated', undefined, '自然资源', { 自然资源: '县自然资源局' }, '县自然资源局'],
    ['delegated', undefined, '水利', {}, '水利原主管部门'],
  ] as const)('%s matter → its department', (form, dept, field, map, expected) => {
    expect(departmentOf(form, dept, field, map)).toBe(expected);
  });

  it.each([
    ['A1 保留', { A1: 'keep' }, []],
    ['a2 收回\nA1:调整', { A1: 'adjust', A2: 'withdraw' }, []],
    ['A9 保留;A1 撤销', { A1: 'withdraw' }, ['A9 保留', 'A1 撤销']],
  ])('overrides %j', (text, outcomes, unread) => {
    const proposals: Proposal[] = [
      { matter: matter('A1'), outcome: 'withdraw' },
      { matter: matter('A2'), outcome: 'keep' },
    ];
    const result = applyOverrides(proposals, text);
    for (const [code, outcome] of Object.entries(outcomes))
      expect(result.proposals.find((p) => p.matter.code === code)!.outcome).toBe(outcome);
    expect(result.unread).toEqual(unread);
  });

  it('an adjust without new content does not reach the register; one with a new name does', () => {
    const decisions = registerDecisions('城关镇', [
      { matter: matter('A1'), outcome: 'adjust' },
      { matter: matter('A2'), outcome: 'adjust', newName: '新名称' },
      { matter: matter('A3', 'entrusted'), outcome: 'withdraw' },
    ]);
    expect(decisions).toEqual([
      {
        township: '城关镇',
        form: 'delegated',
        documentNo: 'W1',
        matterCode: 'A2',
        outcome: 'adjust',
        changes: { name: '新名称' },
      },
      { township: '城关镇', form: 'entrusted', documentNo: 'W1', matterCode: 'A3', outcome: 'withdraw' },
    ]);
  });
});
