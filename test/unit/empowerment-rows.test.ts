import { describe, expect, it } from 'vitest';
import { grantsToSheet, validateEmpowermentRows } from '../../src/processes/empowerment/rows';

const rows = (...cells: string[][]) => cells.map((c, i) => ({ row: i + 2, cells: c }));

const HEADERS = [
  '乡镇/街道',
  '形式',
  '文号',
  '委托部门',
  '权限',
  '期限起',
  '期限止',
  '备案日期',
  '公布日期',
  '事项编码',
  '事项名称',
  '领域',
  '法律依据',
];
const ENTRUSTED = [
  '黄花镇',
  '委托',
  '县市监委〔2025〕3号',
  '县市场监管局',
  '警告、罚款',
  '2025-09-24',
  '2026年6月30日',
  '2025/10/10',
  '',
  '',
];
const DELEGATED = ['星沙街道', '交由行使', '湘政发〔2024〕5号', '', '', '', '', '', '2024-03-01', ''];
const matter = (code: string, name = `事项${code}`) => [code, name, '市场监管', '《食品安全法》第126条'];
const row = (grant: string[], code: string) => [...grant.slice(0, 9), ...matter(code)];

describe('validateEmpowermentRows', () => {
  it('groups rows of the same township + form + 文号 into one grant', () => {
    const result = validateEmpowermentRows(
      HEADERS,
      rows(row(ENTRUSTED, 'sc-001'), row(DELEGATED, 'SC-001'), row(ENTRUSTED, 'SC-002')),
    );
    expect(result).toEqual({
      ok: true,
      grants: [
        {
          form: 'entrusted',
          township: '黄花镇',
          documentNo: '县市监委〔2025〕3号',
          department: '县市场监管局',
          authority: '警告、罚款',
          termStart: '2025-09-24',
          termEnd: '2026-06-30',
          filed: '2025-10-10',
          matters: [
            { code: 'SC-001', name: '事项sc-001', field: '市场监管', legalBasis: '《食品安全法》第126条' },
            expect.objectContaining({ code: 'SC-002' }),
          ],
        },
        {
          form: 'delegated',
          township: '星沙街道',
          documentNo: '湘政发〔2024〕5号',
          published: '2024-03-01',
          matters: [expect.objectContaining({ code: 'SC-001' })],
        },
      ],
    });
  });

  it('accepts English headers in any order, without the 委托-only columns for a 交由行使 file', () => {
    const headers = [
      'matter_code',
      'matter_name',
      'field',
      'legal_basis',
      'township',
      'form',
      'document_no',
      'published',
    ];
    const result = validateEmpowermentRows(
      headers,
      rows(['A1', '名称', '城管', '依据', '星沙街道', 'delegated', '湘政发 〔2024〕 5号', '2024-03-01']),
    );
    expect(result.ok && result.grants[0]).toMatchObject({ form: 'delegated', documentNo: '湘政发〔2024〕5号' });
  });

  it('reports a row whose grant-level cells disagree with the first row of its grant, naming both rows', () => {
    const odd = [...ENTRUSTED];
    odd[6] = '2026-12-31';
    const result = validateEmpowermentRows(
      HEADERS,
      rows(row(ENTRUSTED, 'SC-001'), row(ENTRUSTED, 'SC-002'), row(odd, 'SC-003')),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          row: 4,
          column: '期限止',
          value: '2026-12-31',
          message: '与第2行不一致(第2行为「2026-06-30」);同一委托文号的各行期限止应相同',
        },
      ],
    });
  });

  it.each<[string, string[], string, string, string]>([
    [
      'an unknown form',
      [...ENTRUSTED.slice(0, 1), '授权', ...ENTRUSTED.slice(2)],
      '形式',
      '授权',
      '形式应为「交由行使」或「委托」',
    ],
    ['no township', ['', ...ENTRUSTED.slice(1)], '乡镇/街道', '', '乡镇/街道不能为空'],
    ['no 委托书 number', [...ENTRUSTED.slice(0, 2), '', ...ENTRUSTED.slice(3)], '文号', '', '委托书编号不能为空'],
    [
      'a date it cannot read',
      [...ENTRUSTED.slice(0, 7), '上月', ...ENTRUSTED.slice(8)],
      '备案日期',
      '上月',
      '日期无法识别,请写作 2026-03-05 或 2026年3月5日',
    ],
    ['a 委托 without authority', [...ENTRUSTED.slice(0, 4), '', ...ENTRUSTED.slice(5)], '权限', '', '委托应写明权限'],
    [
      'a 委托 term over 3 years',
      [...ENTRUSTED.slice(0, 6), '2029-01-01', ...ENTRUSTED.slice(7)],
      '期限止',
      '2029-01-01',
      '委托期限不超过3年(自 2025-09-24 起最迟至 2028-09-24)',
    ],
    [
      'a 交由行使 with a 委托 department',
      [...DELEGATED.slice(0, 3), '县城管局', ...DELEGATED.slice(4)],
      '委托部门',
      '县城管局',
      '「委托部门」只用于委托;交由行使以乡镇自己的名义执法,不填写此项',
    ],
    ['a 交由行使 without published date', [...DELEGATED.slice(0, 8), ''], '公布日期', '', '交由行使决定应填写公布日期'],
  ])('refuses %s, saying where', (_, grant, column, value, message) => {
    expect(validateEmpowermentRows(HEADERS, rows(row(grant, 'SC-001')))).toEqual({
      ok: false,
      errors: [{ row: 2, column, value, message }],
    });
  });

  it('names the rows of a grant when a grant-level rule fails', () => {
    const noDept = [...ENTRUSTED.slice(0, 3), '', ...ENTRUSTED.slice(4)];
    const result = validateEmpowermentRows(HEADERS, rows(row(noDept, 'SC-001'), row(noDept, 'SC-002')));
    expect(!result.ok && result.errors).toEqual([
      { row: 2, column: '委托部门', value: '', message: '委托应写明委托部门(同一文号第2、3行)' },
    ]);
  });

  it('reports a matter twice for one township and an empty matter cell on their own rows', () => {
    const noName = [...row(ENTRUSTED, 'SC-003')];
    noName[10] = '';
    const result = validateEmpowermentRows(
      HEADERS,
      rows(row(ENTRUSTED, 'SC-001'), row(ENTRUSTED, 'SC-001'), noName, row(DELEGATED, 'SC-001')),
    );
    expect(!result.ok && result.errors).toEqual([
      { row: 3, column: '事项编码', value: 'SC-001', message: '事项编码已在第2行赋予同一乡镇/街道' },
      { row: 4, column: '事项名称', value: '', message: '事项名称不能为空' },
    ]);
  });

  it('names the missing required columns', () => {
    const result = validateEmpowermentRows(['乡镇', '形式', '事项编码', '事项名称', '领域'], []);
    expect(!result.ok && result.errors.map((e) => e.column)).toEqual(['文号', '法律依据']);
  });
});

describe('grantsToSheet', () => {
  it('exports the register so that it imports back unchanged', () => {
    const first = validateEmpowermentRows(
      HEADERS,
      rows(row(ENTRUSTED, 'SC-001'), row(ENTRUSTED, 'SC-002'), row(DELEGATED, 'SC-001')),
    );
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    const sheet = grantsToSheet(first.grants);
    expect(sheet.headers).toEqual(HEADERS);
    expect(sheet.rows).toHaveLength(3);
    expect(validateEmpowermentRows(sheet.headers, rows(...sheet.rows))).toEqual(first);
  });
});
