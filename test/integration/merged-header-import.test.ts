import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { importOfficers } from '../../src/processes/roster/import';
import { importTraining } from '../../src/processes/training/import';
import { readSheet, readSheetBytes } from '../../src/platform/sheets/spreadsheet';

// Headers laid over two rows, as real exports have them: some cells merged down across both rows, others a
// group merged across with sub-headers beneath. Built with exceljs and imported the way `npm run cli -- import`
// does (readSheet, then the import), so the file a county already has is read as one header.

async function xlsx(build: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook.addWorksheet('Sheet1'));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes `values` from `address` rightwards and merges each [from, to] range. */
function lay(
  sheet: ExcelJS.Worksheet,
  row: number,
  values: Array<string | number | Date | null>,
  merges: string[] = [],
) {
  values.forEach((v, i) => {
    if (v !== null) sheet.getCell(row, i + 1).value = v;
  });
  for (const range of merges) sheet.mergeCells(range);
}

describe('two-row (merged) headers', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-merged-'));
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a roster with a title, a two-row header and a unit merged down its rows', async () => {
    const file = path.join(dir, '执法人员名册.xlsx');
    writeFileSync(
      file,
      await xlsx((sheet) => {
        lay(sheet, 1, ['2026年度行政执法人员名册'], ['A1:G1']);
        lay(
          sheet,
          2,
          ['序号', '姓名', '执法证件', null, '单位', '角色', '手机号'],
          ['A2:A3', 'B2:B3', 'C2:D2', 'E2:E3', 'F2:F3', 'G2:G3'],
        );
        lay(sheet, 3, [null, null, '执法证号', '证件有效期']);
        lay(sheet, 4, [1, '张三', 'HN001', new Date('2028-06-30T00:00:00Z'), '县市场监管局', 'officer', '13800000001']);
        lay(sheet, 5, [2, '李四', 'HN002', new Date('2029-01-31T00:00:00Z'), null, 'admin', '13800000002'], ['E4:E5']);
      }),
    );
    const sheet = await readSheet(file);
    expect(sheet.headers).toEqual(['序号', '姓名', '执法证号', '证件有效期', '单位', '角色', '手机号']);
    expect(sheet.headerRow).toBe(2);
    expect(sheet.rows.map((r) => r.row)).toEqual([4, 5]); // Excel's own row numbers, for error messages

    expect(await importOfficers(db.prisma, sheet, 'cli')).toMatchObject({ ok: true, added: 2 });
    const li = await db.prisma.officer.findUniqueOrThrow({
      where: { certNo: 'HN002' },
      select: { name: true, role: true, certExpires: true, unit: { select: { name: true } } },
    });
    expect(li).toMatchObject({ name: '李四', role: 'admin', unit: { name: '县市场监管局' } });
    expect(li.certExpires?.toISOString().slice(0, 10)).toBe('2029-01-31');
  });

  it('imports training records whose 类别 / 学时 / 日期 sit under one group header', async () => {
    const file = path.join(dir, '培训记录.xlsx');
    writeFileSync(
      file,
      await xlsx((sheet) => {
        lay(sheet, 1, ['执法证号', '课程', '培训情况', null, null], ['A1:A2', 'B1:B2', 'C1:E1']);
        lay(sheet, 2, [null, null, '类别', '学时', '日期']);
        lay(sheet, 3, ['HN001', '行政处罚法', '公共法律知识', 6, new Date('2026-03-05T00:00:00Z')]);
        lay(sheet, 4, ['HN001', '执法记录仪使用', '行政执法技能', 3.5, new Date('2026-03-06T00:00:00Z')]);
      }),
    );
    const sheet = await readSheet(file);
    expect(sheet.headers).toEqual(['执法证号', '课程', '类别', '学时', '日期']);
    expect(await importTraining(db.prisma, sheet, 'cli')).toMatchObject({ ok: true, added: 2 });
    const records = await db.prisma.trainingRecord.findMany({
      where: { officer: { certNo: 'HN001' } },
      orderBy: { date: 'asc' },
      select: { course: true, halfHours: true },
    });
    expect(records).toEqual([
      { course: '行政处罚法', halfHours: 12 },
      { course: '执法记录仪使用', halfHours: 7 },
    ]);
  });

  it('names a one-character sub-header with its group (委托期限 起 / 止 → 委托期限起)', async () => {
    const bytes = await xlsx((sheet) => {
      lay(sheet, 1, ['文号', '委托期限', null], ['A1:A2', 'B1:C1']);
      lay(sheet, 2, [null, '起', '止']);
      lay(sheet, 3, ['县政发〔2026〕1号', '2026-01-01', '2028-12-31']);
    });
    const sheet = await readSheetBytes(bytes, '委托.xlsx');
    expect(sheet.headers).toEqual(['文号', '委托期限起', '委托期限止']);
    expect(sheet.rows).toEqual([{ row: 3, cells: ['县政发〔2026〕1号', '2026-01-01', '2028-12-31'] }]);
  });

  it('keeps a one-row header whose 备注 spans two columns: the next row is data', async () => {
    const bytes = await xlsx((sheet) => {
      lay(sheet, 1, ['姓名', '执法证号', '单位', '备注', null], ['D1:E1']);
      lay(sheet, 2, ['张三', 'HN001', '县市场监管局', '新调入', '待培训']);
    });
    const sheet = await readSheetBytes(bytes, '名册.xlsx');
    expect(sheet.headers).toEqual(['姓名', '执法证号', '单位', '备注', '备注']);
    expect(sheet.rows.map((r) => r.row)).toEqual([2]);
  });
});
