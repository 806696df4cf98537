import { describe, expect, it } from 'vitest';
import { validateRoster } from '../../src/processes/roster/rules';
import { normalizeCell, parseDate } from '../../src/core/table-rows';
import { parseCsv } from '../../src/platform/sheets/spreadsheet';

const rows = (...cells: string[][]) => cells.map((c, i) => ({ row: i + 2, cells: c }));

describe('validateRoster', () => {
  const headers = ['姓名', '执法证号', '单位', '角色', '手机号', '证件有效期'];

  it('accepts Chinese headers and normalises values', () => {
    const result = validateRoster(
      headers,
      rows(['张三', ' hn００１ ', '县市场监管局', '法制员', '+86 138-0000-0001', '2027年6月30日']),
    );
    expect(result).toEqual({
      ok: true,
      officers: [
        {
          row: 2,
          name: '张三',
          certNo: 'HN001',
          unit: '县市场监管局',
          role: 'admin',
          mobile: '13800000001',
          certExpires: '2027-06-30',
          openId: undefined,
        },
      ],
    });
  });

  it('accepts English headers in any order, role defaulting to officer', () => {
    const result = validateRoster(['unit', 'cert_no', 'name'], rows(['司法局', 'A1', '王五']));
    expect(result.ok && result.officers[0]).toMatchObject({
      name: '王五',
      certNo: 'A1',
      unit: '司法局',
      role: 'officer',
    });
  });

  it('reports every bad row with its row, column and value, and nothing passes', () => {
    const result = validateRoster(
      headers,
      rows(
        ['张三', 'HN001', '县市场监管局', 'officer', '', ''],
        ['李四', 'HN001', '县市场监管局', 'officer', '', ''],
        ['', 'HN003', '县市场监管局', 'officer', '', ''],
        ['王五', 'HN004', '县市场监管局', '队长', '', ''],
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { row: 3, column: '执法证号', value: 'HN001', message: '执法证号与第2行重复' },
      { row: 4, column: '姓名', value: '', message: '姓名不能为空' },
      expect.objectContaining({ row: 5, column: '角色', value: '队长' }),
    ]);
  });

  it.each([
    ['手机号', '1380000', '手机号应为 11 位数字(可带 +86)'],
    ['证件有效期', '2027-02-30', '日期无法识别,请写作 2027-06-30 或 2027年6月30日'],
  ])('refuses a bad %s', (column, value, message) => {
    const cells = ['张三', 'HN001', '县市场监管局', 'officer', '', ''];
    cells[headers.indexOf(column)] = value;
    const result = validateRoster(headers, rows(cells));
    expect(result).toEqual({ ok: false, errors: [{ row: 2, column, value, message }] });
  });

  it('names the missing required columns', () => {
    const result = validateRoster(['姓名', '单位'], []);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.column)).toEqual(['执法证号']);
  });
});

describe('cells and dates', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024.03.05', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['２０２４年３月５日', '2024-03-05'],
    ['45356', '2024-03-05'], // Excel serial
    ['2024-02-29', '2024-02-29'],
    ['2023-02-29', undefined],
    ['明年', undefined],
  ])('parseDate(%s) = %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it('normalises full-width characters and ideographic spaces', () => {
    expect(normalizeCell('\u3000ＨＮ１２３（甲）\u3000')).toBe('HN123(甲)');
  });

  it('parses quoted CSV fields with commas, quotes and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
  });
});
