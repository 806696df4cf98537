import { newWorkbook } from '../../platform/sheets/new-workbook';
import type { Sheet } from '../../platform/sheets/spreadsheet';
import type { RowError } from '../../core/table-rows';

// The full list of a file's problems, as the admin's own rows with a 错误说明 column added at the end, so they
// can fix the rows in place and send the file again. Problems with the header (row 1) come first.

export const ERROR_COLUMN = '错误说明';
export const importErrorsFileName = (fileName: string) => `${fileName.replace(/\.(xlsx|csv)$/i, '')}-错误清单.xlsx`;

export async function importErrorsWorkbook(sheet: Sheet, errors: RowError[]): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = '执法通';
  const ws = workbook.addWorksheet('错误清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(['行号', ...sheet.headers, ERROR_COLUMN]);
  ws.getRow(1).font = { bold: true };
  const byRow = new Map<number, RowError[]>();
  for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
  const cellsOf = new Map(sheet.rows.map((r) => [r.row, r.cells]));
  for (const [row, list] of [...byRow].sort((a, b) => a[0] - b[0])) {
    const cells = cellsOf.get(row) ?? (row === sheet.headerRow ? sheet.headers : []);
    const reasons = list.map((e) => `${e.column}${e.value ? `「${e.value}」` : ''}: ${e.message}`).join(';');
    ws.addRow([row, ...sheet.headers.map((_, i) => cells[i] ?? ''), reasons]);
  }
  ws.columns.forEach((column, i) => {
    column.width = i === 0 ? 8 : i === sheet.headers.length + 1 ? 60 : 16;
  });
  ws.getColumn(sheet.headers.length + 2).font = { color: { argb: 'FFC00000' } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
