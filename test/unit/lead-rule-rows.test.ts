import { describe, expect, it } from 'vitest';
import { validateLeadRuleRows } from '../../src/processes/referral/lead-rule-rows';
import { DEFAULT_LEAD_RULES } from '../../src/processes/referral/leads';
import { formatRowError } from '../../src/core/table-rows';

// The county's lead rules file: every rule named by the words a county uses, the shipped types keep their
// keys, the whole file checked before anything counts.

const rows = (lines: string[][]) => lines.map((cells, i) => ({ row: i + 2, cells }));
const SHIPPED = [
  ['签收', '1', '工作日'],
  ['退单', '2', '工作日'],
  ['退单次数', '1', '次'],
  ['超期通报', '5', '工作日'],
  ['紧急诉求', '24', '小时'],
  ['咨询', '3', '工作日'],
  ['投诉', '13', '工作日'],
];

describe('lead rules file', () => {
  it('the shipped rules written as a file read back as the shipped rules', () => {
    expect(validateLeadRuleRows(['项目', '时限', '单位'], rows(SHIPPED))).toEqual({
      ok: true,
      rules: DEFAULT_LEAD_RULES,
    });
  });

  it('a county type gets its own key; full-width digits and English headers are read', () => {
    const result = validateLeadRuleRows(
      ['item', 'limit', 'unit'],
      rows([...SHIPPED.slice(0, 4), ['投诉', '１０', '工作日'], ['求助', '2', '工作日']]),
    );
    expect(result.ok && result.rules.replyClocks).toEqual({
      complaint: { label: '投诉', clock: { unit: 'workingDays', amount: 10 } },
      求助: { label: '求助', clock: { unit: 'workingDays', amount: 2 } },
    });
  });

  it('says what and where for each bad row, and names the rules left out', () => {
    const bad = validateLeadRuleRows(
      ['项目', '时限', '单位'],
      rows([
        ['签收', '1', '天'],
        ['退单次数', '-1', '次'],
        ['投诉', '2.5', '工作日'],
        ['投诉', '13', '工作日'],
        ['超期通报', '5', '小时'],
        ['', '3', '工作日'],
      ]),
    );
    expect(bad.ok ? [] : bad.errors.map((e) => formatRowError('rules.csv', e))).toEqual([
      'rules.csv 第2行 列「单位」 值「天」: 「签收」的单位应为 工作日 或 小时',
      'rules.csv 第3行 列「时限」 值「-1」: 应为 0–5 之间的整数',
      'rules.csv 第4行 列「时限」 值「2.5」: 应为 1–60 之间的整数',
      'rules.csv 第5行 列「项目」 值「投诉」: 与第 4 行重复',
      'rules.csv 第6行 列「单位」 值「小时」: 「超期通报」的单位应为 工作日',
      'rules.csv 第7行 列「项目」 值「」: 项目不能为空(签收、退单、退单次数、超期通报,或线索类型名称)',
    ]);
    const partial = validateLeadRuleRows(
      ['项目', '时限', '单位'],
      rows([
        ['签收', '1', '工作日'],
        ['投诉', '13', '工作日'],
      ]),
    );
    expect(partial.ok ? [] : partial.errors.map((e) => e.message)).toEqual([
      '缺少「退单」一行(整表替换,每条规则都要写明)',
      '缺少「退单次数」一行(整表替换,每条规则都要写明)',
      '缺少「超期通报」一行(整表替换,每条规则都要写明)',
    ]);
    expect(validateLeadRuleRows(['项目', '时限'], rows(SHIPPED))).toMatchObject({
      ok: false,
      errors: [{ column: '单位', message: '缺少必填列' }],
    });
  });
});
