import type ExcelJS from 'exceljs';

// How every exported list is laid out, the way a person would in Excel: bold Chinese headers on a tinted row,
// the header frozen with filters on it, widths that fit Chinese text, numbers left as numbers so they sum.

export type CellValue = string | number | Date | null;

export interface TableSheet {
  name: string;
  headers: string[];
  rows: CellValue[][];
  /** 1-based columns kept as text (执法证号: 00123 must keep its zeros when the file is read back). */
  textColumns?: number[];
  /** 1-based column → Excel number format ('0%', 'yyyy-mm-dd hh:mm'…). */
  formats?: Record<number, string>;
  /** Columns whose long text wraps instead of widening the column (详情). */
  wrapColumns?: number[];
}

export function addTableSheet(workbook: ExcelJS.Workbook, table: TableSheet): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(safeSheetName(table.name), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(table.headers);
  for (const row of table.rows) sheet.addRow(row);
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  });
  for (const c of table.textColumns ?? []) sheet.getColumn(c).numFmt = '@';
  for (const [c, format] of Object.entries(table.formats ?? {})) sheet.getColumn(Number(c)).numFmt = format;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.headers.length } };
  fitColumns(sheet);
  for (const c of table.wrapColumns ?? []) {
    const column = sheet.getColumn(c);
    column.width = 60;
    column.eachCell({ includeEmpty: false }, (cell, row) => {
      if (row > 1) cell.alignment = { wrapText: true, vertical: 'top' };
    });
  }
  return sheet;
}

/** Display width in Excel's character units: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return width;
}

export function fitColumns(sheet: ExcelJS.Worksheet): void {
  sheet.columns.forEach((column) => {
    let widest = 0;
    column.eachCell?.({ includeEmpty: false }, (cell) => {
      const value = cell.value;
      // A date prints as 2026-11-20 (or with the time), not as the long JavaScript string.
      const text =
        value instanceof Date
          ? column.numFmt?.includes('h')
            ? '2026-01-01 00:00'
            : '2026-01-01'
          : String(value ?? '');
      widest = Math.max(widest, displayWidth(text));
    });
    // Room for the header's filter arrow, and never so narrow that a number shows as ####.
    column.width = Math.min(Math.max(widest + 4, 8), 40);
  });
}

/** Excel refuses sheet names over 31 characters or with any of : \ / ? * [ ]. */
export function safeSheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, '-').slice(0, 31);
}
