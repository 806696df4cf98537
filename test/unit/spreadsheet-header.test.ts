import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { validateRoster } from '../../src/processes/roster/rules';
import { looksLikeData } from '../../src/platform/sheets/header';
import { readSheetBytes } from '../../src/platform/sheets/spreadsheet';

// Headers over two or three rows, as county exports lay them out. xlsx files are built in memory with exceljs
// (merges through mergeCells, which is all a reader can go by); CSV ones are plain text, where a merged cell
// arrives as blanks. Each case states the column names, where the header starts and where the data starts:
// the row numbers are what error messages quote back to the user.

type Cell = string | number | Date | null;

async function xlsx(rows: Cell[][], merges: string[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  rows.forEach((values, r) => values.forEach((v, c) => v !== null && (sheet.getCell(r + 1, c + 1).value = v)));
  for (const range of merges) sheet.mergeCells(range);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

interface Case {
  name: string;
  headers: string[];
  headerRow: number;
  /** The first data row: its spreadsheet row number and its cells. */
  first: { row: number; cells: string[] };
  /** Every data row's number. */
  rows: number[];
}

const DATA = ['1', '张三', 'HN001', '有效', '2026-01-01', '2028-12-31'];

const xlsxCases: Array<Case & { grid: Cell[][]; merges: string[] }> = [
  {
    name: 'three rows: 执法证件信息 over 执法证号 / 证件状态 / 有效期, and 有效期 over 起 / 止',
    grid: [
      ['序号', '姓名', '执法证件信息', null, null, null],
      [null, null, '执法证号', '证件状态', '有效期', null],
      [null, null, null, null, '起', '止'],
      [1, '张三', 'HN001', '有效', '2026-01-01', '2028-12-31'],
      [2, '李四', 'HN002', '有效', '2026-02-01', '2029-01-31'],
    ],
    merges: ['A1:A3', 'B1:B3', 'C1:F1', 'C2:C3', 'D2:D3', 'E2:F2'],
    headers: ['序号', '姓名', '执法证号', '证件状态', '有效期起', '有效期止'],
    headerRow: 1,
    first: { row: 4, cells: DATA },
    rows: [4, 5],
  },
  {
    name: 'three rows under a title, the leaf cells of row 2 not merged down (blank in row 3)',
    grid: [
      ['2026年度行政执法人员名册', null, null, null, null, null],
      ['序号', '姓名', '执法证件信息', null, null, null],
      [null, null, '执法证号', '证件状态', '有效期', null],
      [null, null, null, null, '起', '止'],
      [1, '张三', 'HN001', '有效', '2026-01-01', '2028-12-31'],
      [null, null, null, null, null, null],
      [2, '李四', 'HN002', '有效', '2026-02-01', '2029-01-31'],
    ],
    merges: ['A1:F1', 'A2:A4', 'B2:B4', 'C2:F2', 'E3:F3'],
    headers: ['序号', '姓名', '执法证号', '证件状态', '有效期起', '有效期止'],
    headerRow: 2,
    first: { row: 5, cells: DATA },
    rows: [5, 7],
  },
  {
    name: 'three rows where 有效期起 repeats under two groups: each is named with its outer group too',
    grid: [
      ['姓名', '执法证', null, '培训证', null],
      [null, '有效期', null, '有效期', null],
      [null, '起', '止', '起', '止'],
      ['张三', '2026-01-01', '2028-12-31', '2026-03-01', '2027-02-28'],
    ],
    merges: ['A1:A3', 'B1:C1', 'D1:E1', 'B2:C2', 'D2:E2'],
    headers: ['姓名', '执法证有效期起', '执法证有效期止', '培训证有效期起', '培训证有效期止'],
    headerRow: 1,
    first: { row: 4, cells: ['张三', '2026-01-01', '2028-12-31', '2026-03-01', '2027-02-28'] },
    rows: [4],
  },
  {
    name: 'a group merged across and down two rows, its sub-headers in row 3',
    grid: [
      ['姓名', '执法证件', null, '单位'],
      [null, null, null, null],
      [null, '执法证号', '有效期', null],
      ['张三', 'HN001', new Date('2028-06-30T00:00:00Z'), '城管局'],
    ],
    merges: ['A1:A3', 'B1:C2', 'D1:D3'],
    headers: ['姓名', '执法证号', '有效期', '单位'],
    headerRow: 1,
    first: { row: 4, cells: ['张三', 'HN001', '2028-06-30', '城管局'] },
    rows: [4],
  },
  {
    name: 'two rows stay as they were: a sub-header repeated under two groups is named with its group',
    grid: [
      ['姓名', '执法证', null, '资格证', null],
      [null, '编号', '有效期', '编号', '有效期'],
      ['张三', 'HN001', '2028-12-31', 'ZG001', '2027-12-31'],
    ],
    merges: ['A1:A2', 'B1:C1', 'D1:E1'],
    headers: ['姓名', '执法证编号', '执法证有效期', '资格证编号', '资格证有效期'],
    headerRow: 1,
    first: { row: 3, cells: ['张三', 'HN001', '2028-12-31', 'ZG001', '2027-12-31'] },
    rows: [3],
  },
  {
    name: 'not three rows: row 2 has a sub-header merged across, but row 3 is data',
    grid: [
      ['姓名', '执法证件', null, null],
      [null, '执法证号', '有效期', null],
      ['张三', 'HN001', '2028-12-31', '2028-12-31'],
    ],
    merges: ['A1:A2', 'B1:D1', 'C2:D2'],
    headers: ['姓名', '执法证号', '执法证件有效期', '执法证件有效期'],
    headerRow: 1,
    first: { row: 3, cells: ['张三', 'HN001', '2028-12-31', '2028-12-31'] },
    rows: [3],
  },
  {
    name: 'not three rows: a merge among the data rows says nothing about the header',
    grid: [
      ['姓名', '执法证件', null, '单位'],
      [null, '执法证号', '有效期', null],
      ['张三', 'HN001', '2028-12-31', '城管局'],
      ['李四', 'HN002', '2029-01-31', null],
    ],
    merges: ['A1:A2', 'B1:C1', 'D1:D2', 'D3:D4'],
    headers: ['姓名', '执法证号', '有效期', '单位'],
    headerRow: 1,
    first: { row: 3, cells: ['张三', 'HN001', '2028-12-31', '城管局'] },
    rows: [3, 4],
  },
  {
    name: 'not two rows: a one-row header whose 备注 is blank in the data',
    grid: [
      ['姓名', '执法证号', '单位', '备注'],
      ['张三', 'HN001', '城管局', null],
      ['李四', 'HN002', '城管局', '新调入'],
    ],
    merges: [],
    headers: ['姓名', '执法证号', '单位', '备注'],
    headerRow: 1,
    first: { row: 2, cells: ['张三', 'HN001', '城管局', ''] },
    rows: [2, 3],
  },
];

const csvCases: Array<Case & { csv: string | Buffer }> = [
  {
    name: 'two rows: 执法证件 over 执法证号 / 有效期, 姓名 and 单位 blank beneath',
    csv: '姓名,执法证件,,单位\n,执法证号,有效期,\n张三,33010012345,2027-01-01,城管局\n',
    headers: ['姓名', '执法证号', '有效期', '单位'],
    headerRow: 1,
    first: { row: 3, cells: ['张三', '33010012345', '2027-01-01', '城管局'] },
    rows: [3],
  },
  {
    name: 'two rows: 委托期限 起 / 止 are named with their group, under a title, CRLF line ends',
    csv: '县司法局委托执法清单,,\r\n文号,委托期限,\r\n,起,止\r\n县政发〔2026〕1号,2026-01-01,2028-12-31\r\n',
    headers: ['文号', '委托期限起', '委托期限止'],
    headerRow: 2,
    first: { row: 4, cells: ['县政发〔2026〕1号', '2026-01-01', '2028-12-31'] },
    rows: [4],
  },
  {
    name: 'two rows saved by Excel on Chinese Windows (GB18030)',
    // 姓名,执法证件,,单位 / ,执法证号,有效期, / 张三,HN001,2027-01-01,城管局
    csv: Buffer.from(
      'd0d5c3fb2cd6b4b7a8d6a4bcfe2c2cb5a5cebb0a2cd6b4b7a8d6a4bac52cd3d0d0a7c6da2c0ad5c5c8fd2c484e3030312c323032372d30312d30312cb3c7b9dcbed60a',
      'hex',
    ),
    headers: ['姓名', '执法证号', '有效期', '单位'],
    headerRow: 1,
    first: { row: 3, cells: ['张三', 'HN001', '2027-01-01', '城管局'] },
    rows: [3],
  },
  {
    name: 'two rows with trailing empty fields: the padding is not a group',
    csv: '姓名,执法证件,,单位,,\n,执法证号,有效期,,,\n张三,HN001,2027-01-01,城管局,,\n',
    headers: ['姓名', '执法证号', '有效期', '单位', '', ''],
    headerRow: 1,
    first: { row: 3, cells: ['张三', 'HN001', '2027-01-01', '城管局', '', ''] },
    rows: [3],
  },
  {
    name: 'not two rows: a one-row header whose 备注 is blank in the data',
    csv: '姓名,执法证号,单位,备注\n张三,HN001,城管局,\n李四,HN002,城管局,新调入\n',
    headers: ['姓名', '执法证号', '单位', '备注'],
    headerRow: 1,
    first: { row: 2, cells: ['张三', 'HN001', '城管局', ''] },
    rows: [2, 3],
  },
  {
    name: 'not two rows: 备注 followed by an empty column, both blank in the data',
    csv: '姓名,执法证号,备注,\n张三,HN001,,\n',
    headers: ['姓名', '执法证号', '备注', ''],
    headerRow: 1,
    first: { row: 2, cells: ['张三', 'HN001', '', ''] },
    rows: [2],
  },
  {
    name: 'not two rows: the second row is data with blank cells where the header has none beneath',
    csv: '姓名,执法证件,,单位\n,33010012345,2027-01-01,\n李四,HN002,2028-01-01,城管局\n',
    headers: ['姓名', '执法证件', '', '单位'],
    headerRow: 1,
    first: { row: 2, cells: ['', '33010012345', '2027-01-01', ''] },
    rows: [2, 3],
  },
  {
    name: 'not two rows: a blank header column, and the next row filled under other columns too',
    csv: '姓名,执法证号,,单位\n张三,HN001,,城管局\n',
    headers: ['姓名', '执法证号', '', '单位'],
    headerRow: 1,
    first: { row: 2, cells: ['张三', 'HN001', '', '城管局'] },
    rows: [2],
  },
  {
    name: 'not two rows: nothing under the group cell itself',
    csv: '姓名,执法证件,,单位\n,,有效期,\n张三,HN001,2027-01-01,城管局\n',
    headers: ['姓名', '执法证件', '', '单位'],
    headerRow: 1,
    first: { row: 2, cells: ['', '', '有效期', ''] },
    rows: [2, 3],
  },
];

function expectSheet(sheet: Awaited<ReturnType<typeof readSheetBytes>>, expected: Case) {
  expect(sheet.headers).toEqual(expected.headers);
  expect(sheet.headerRow).toBe(expected.headerRow);
  expect(sheet.rows[0]).toEqual(expected.first);
  expect(sheet.rows.map((r) => r.row)).toEqual(expected.rows);
}

describe('xlsx headers over several rows (by merges)', () => {
  it.each(xlsxCases)('$name', async (c) => {
    expectSheet(await readSheetBytes(await xlsx(c.grid, c.merges), '名册.xlsx'), c);
  });
});

describe('CSV headers over two rows (by blanks)', () => {
  it.each(csvCases)('$name', async (c) => {
    expectSheet(await readSheetBytes(typeof c.csv === 'string' ? Buffer.from(c.csv) : c.csv, '名册.csv'), c);
  });
});

describe('errors point at the spreadsheet row below a deep header', () => {
  it('a three-row xlsx roster: the bad row is reported as Excel numbers it', async () => {
    const bytes = await xlsx(
      [
        ['姓名', '执法证件信息', null, null, '单位'],
        [null, '执法证号', '证件有效期', null, null],
        [null, null, '起', '止', null],
        ['张三', 'HN001', '2026-01-01', '2028-12-31', '城管局'],
        ['李四', 'HN002', '2026-01-01', '2028-12-31', null],
      ],
      ['A1:A3', 'B1:D1', 'B2:B3', 'C2:D2', 'E1:E3'],
    );
    const sheet = await readSheetBytes(bytes, '名册.xlsx');
    const result = validateRoster(sheet.headers, sheet.rows);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.row)).toEqual([5]);
  });

  it('a two-row CSV roster: the bad row is reported as row 4', async () => {
    const csv = '姓名,执法证件,,单位\n,执法证号,证件有效期,\n张三,HN001,2028-12-31,城管局\n李四,,2028-12-31,城管局\n';
    const sheet = await readSheetBytes(Buffer.from(csv), '名册.csv');
    const result = validateRoster(sheet.headers, sheet.rows);
    expect(!result.ok && result.errors.map((e) => [e.row, e.column])).toEqual([[4, '执法证号']]);
  });
});

describe('what a CSV sub-header cell never is', () => {
  it.each([
    ['12', true],
    ['3.5', true],
    ['１２', true],
    ['1,200', true],
    ['2027-01-01', true],
    ['2027/1/1', true],
    ['2027年1月1日', true],
    ['2027-01-01 08:00', true],
    ['1/31/2027', true],
    ['起', false],
    ['执法证号', false],
    ['2026年度', false],
    ['HN001', false],
  ] as const)('%s → %s', (cell, data) => {
    expect(looksLikeData(cell)).toBe(data);
  });
});
