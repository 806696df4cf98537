import { describe, expect, it } from 'vitest';
import { FILE_KINDS, recogniseKind } from '../../src/processes/files/chat-file';
import { templateHeaders } from '../../src/processes/files/templates';
import { EXAMPLE_THRESHOLDS } from '../../src/processes/referral/rules';
import { CALENDAR_COLUMNS } from '../../src/core/calendar-rows';
import { CAMPAIGN_COLUMNS } from '../../src/processes/training/campaign-rows';
import { DEPARTMENT_MAP_COLUMNS, EMPOWERMENT_COLUMNS } from '../../src/processes/empowerment/rows';
import { ESCALATION_COLUMNS } from '../../src/core/escalation-rows';
import { LEAD_RULE_COLUMNS } from '../../src/processes/referral/lead-rule-rows';
import { parseYuan, THRESHOLD_COLUMNS, validateThresholdRows } from '../../src/processes/referral/threshold-rows';
import { ROSTER_COLUMNS } from '../../src/processes/roster/rules';
import { formatRowError, mapHeaders, type ColumnSpec } from '../../src/core/table-rows';
import { TRAINING_COLUMNS } from '../../src/processes/training/rows';

// The county's prosecution thresholds file: amounts as people write them, every bad cell said by row and
// column, and a file that replaces the whole table refused unless all of it is right.

const HEADER = ['案件类型', '名称', '追诉标准(元)', '依据'];
const rows = (lines: string[][]) => lines.map((cells, i) => ({ row: i + 2, cells }));
const SHIPPED = EXAMPLE_THRESHOLDS.map((t) => [t.caseType, t.title, String(t.amountYuan), t.basis]);
const messages = (result: ReturnType<typeof validateThresholdRows>) =>
  result.ok ? [] : result.errors.map((e) => formatRowError('追诉标准.csv', e));

describe('prosecution thresholds file', () => {
  it('the shipped examples written as a file read back as the same thresholds', () => {
    const result = validateThresholdRows(HEADER, rows(SHIPPED));
    expect(result).toEqual({ ok: true, thresholds: EXAMPLE_THRESHOLDS.map(({ example: _, ...t }) => t) });
  });

  it('reads English headers, full-width headers and digits, thousands separators and 万', () => {
    const result = validateThresholdRows(
      ['case_type', 'title', 'amount_yuan', 'basis'],
      rows([
        ['fakeProducts', '生产、销售伪劣产品(销售金额)', '５００００', '刑法第140条'],
        ['counterfeit_goods', '销售假冒注册商标的商品', '50,000', '刑法第214条'],
        ['illegalBusiness', '非法经营(经营数额)', '5万', '刑法第225条'],
        ['smuggling2', '走私普通货物', '1.5万元', '刑法第153条'],
      ]),
    );
    expect(result.ok && result.thresholds.map((t) => [t.caseType, t.amountYuan])).toEqual([
      ['fakeProducts', 50_000],
      ['counterfeit_goods', 50_000],
      ['illegalBusiness', 50_000],
      ['smuggling2', 15_000],
    ]);
    expect(validateThresholdRows(['案件类型', '名称', '追诉标准（元）', '依据'], rows(SHIPPED)).ok).toBe(true);
  });

  it('says what and where for each bad cell', () => {
    const result = validateThresholdRows(
      HEADER,
      rows([
        ['', '甲', '50000', '刑法'],
        ['假冒产品', '乙', '50000', '刑法'],
        ['a-b', '丙', '50000', '刑法'],
        ['noTitle', '', '50000', '刑法'],
        ['zero', '丁', '0', '刑法'],
        ['negative', '戊', '-5000', '刑法'],
        ['fraction', '己', '5000.5', '刑法'],
        ['words', '庚', '五万', '刑法'],
        ['empty', '辛', '', '刑法'],
        ['huge', '壬', '20亿', '刑法'],
        ['tooBig', '癸', '2000000000', '刑法'],
        ['noBasis', '子', '50000', ''],
      ]),
    );
    expect(messages(result)).toEqual([
      '追诉标准.csv 第2行 列「案件类型」 值「」: 案件类型不能为空(字母、数字或下划线组成的代码,如 fakeProducts)',
      '追诉标准.csv 第3行 列「案件类型」 值「假冒产品」: 案件类型应为 40 个字符以内的代码,只用字母、数字或下划线(如 fakeProducts)',
      '追诉标准.csv 第4行 列「案件类型」 值「a-b」: 案件类型应为 40 个字符以内的代码,只用字母、数字或下划线(如 fakeProducts)',
      '追诉标准.csv 第5行 列「名称」 值「」: 名称不能为空(登记案值时按名称选择案件类型)',
      '追诉标准.csv 第6行 列「追诉标准(元)」 值「0」: 追诉标准应为大于 0 的整数元,如 50000、50,000 或 5万',
      '追诉标准.csv 第7行 列「追诉标准(元)」 值「-5000」: 追诉标准应为大于 0 的整数元,如 50000、50,000 或 5万',
      '追诉标准.csv 第8行 列「追诉标准(元)」 值「5000.5」: 追诉标准应为大于 0 的整数元,如 50000、50,000 或 5万',
      '追诉标准.csv 第9行 列「追诉标准(元)」 值「五万」: 追诉标准应为大于 0 的整数元,如 50000、50,000 或 5万',
      '追诉标准.csv 第10行 列「追诉标准(元)」 值「」: 追诉标准不能为空(单位:元)',
      '追诉标准.csv 第11行 列「追诉标准(元)」 值「20亿」: 追诉标准应为大于 0 的整数元,如 50000、50,000 或 5万',
      '追诉标准.csv 第12行 列「追诉标准(元)」 值「2000000000」: 追诉标准过大(单位是元,不超过 10 亿元)',
      '追诉标准.csv 第13行 列「依据」 值「」: 依据不能为空(如 刑法第140条; 立案追诉标准(一)第16条)',
    ]);
  });

  it('a repeated 案件类型 names its first row, in any letter case', () => {
    const result = validateThresholdRows(
      HEADER,
      rows([...SHIPPED, ['fakeProducts', '另一行', '30000', '刑法'], ['COUNTERFEITGOODS', '又一行', '30000', '刑法']]),
    );
    expect(messages(result)).toEqual([
      '追诉标准.csv 第5行 列「案件类型」 值「fakeProducts」: 与第 2 行重复',
      '追诉标准.csv 第6行 列「案件类型」 值「COUNTERFEITGOODS」: 与第 4 行重复',
    ]);
  });

  it('a file with no rows, or without a required column, is refused', () => {
    expect(messages(validateThresholdRows(HEADER, []))).toEqual([
      '追诉标准.csv 第1行 列「案件类型」 值「」: 文件中没有追诉标准(整表替换,至少要有一行)',
    ]);
    expect(messages(validateThresholdRows(['案件类型', '名称', '追诉标准(元)'], rows(SHIPPED)))).toEqual([
      '追诉标准.csv 第1行 列「依据」 值「」: 缺少必填列',
    ]);
  });

  it('parses amounts as whole yuan only', () => {
    expect([
      parseYuan('50000元'),
      parseYuan(' 50 000 '),
      parseYuan('50000.00'),
      parseYuan('0.5万'),
      parseYuan('1.23456万'),
      parseYuan('5.5'),
      parseYuan(''),
    ]).toEqual([50_000, 50_000, 50_000, 5_000, undefined, undefined, undefined]);
  });
});

describe('recognising a thresholds file', () => {
  it.each([
    [['案件类型', '名称', '追诉标准(元)', '依据'], 'referral_threshold'],
    [['case_type', 'title', 'amount_yuan', 'basis'], 'referral_threshold'],
    // A calendar has 类型 and 名称, a campaign 名称: still what they were.
    [['日期', '类型', '名称'], 'calendar'],
    [['名称', '课程', '截止日期', '单位'], 'campaign'],
  ])('%j is %s', (headers, kind) => {
    expect(recogniseKind(headers)).toBe(kind);
  });

  it('shares no complete set of required columns with another kind, in either direction, under any alias', () => {
    const others: Array<[string, ColumnSpec<string>]> = [
      ['roster', ROSTER_COLUMNS],
      ['training', TRAINING_COLUMNS],
      ['calendar', CALENDAR_COLUMNS],
      ['empowerment', EMPOWERMENT_COLUMNS],
      ['escalation', ESCALATION_COLUMNS],
      ['campaign', CAMPAIGN_COLUMNS],
      ['department_map', DEPARTMENT_MAP_COLUMNS],
      ['lead_rules', LEAD_RULE_COLUMNS],
    ];
    // Every alias of a kind at once: if even that header does not complete the other kind, no file of it can.
    const everyAlias = (spec: ColumnSpec<string>) => Object.values(spec).flatMap((c) => c.aliases);
    for (const [kind, spec] of others) {
      expect(mapHeaders(everyAlias(spec), THRESHOLD_COLUMNS).missing, `${kind} read as thresholds`).not.toEqual([]);
      expect(mapHeaders(everyAlias(THRESHOLD_COLUMNS), spec).missing, `thresholds read as ${kind}`).not.toEqual([]);
    }
    expect(others.map(([kind]) => kind).sort()).toEqual(FILE_KINDS.filter((k) => k !== 'referral_threshold').sort());
  });

  it('every kind’s template header is read back as that kind', () => {
    for (const kind of FILE_KINDS) expect(recogniseKind(templateHeaders(kind))).toBe(kind);
  });
});
