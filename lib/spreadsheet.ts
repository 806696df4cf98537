import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { SheetRow } from '../workflows/domain/table-rows';
import { csvHeader, mergedHeader, decodeRange, type Merge } from './spreadsheet-header';

export { decodeRange, type Merge };

// Reads the first sheet of an .xlsx or a .csv file as text cells, keeping Excel's row numbers so every
// error can point at the row the user sees. Values stay text: a 执法证号 like 00123 must not become 123.

export interface Sheet {
  /** One name per column; a header over two or three rows is combined into one name per column. */
  headers: string[];
  /** 1-based row where the header starts (below any title); data rows carry their own numbers. */
  headerRow: number;
  rows: SheetRow[];
}

export class SheetError extends Error {}

export async function readSheet(file: string): Promise<Sheet> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    throw new SheetError(`无法读取文件 ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return readSheetBytes(buffer, file);
}

/** The same as readSheet for bytes already in hand (a file sent in chat); `file` names it in messages and gives the kind. */
export async function readSheetBytes(buffer: Buffer, file: string): Promise<Sheet> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return fromGrid(parseCsv(csvText(buffer).replace(/^\uFEFF/, '')), 'csv');
  if (ext === '.xlsx') {
    const { grid, merges } = await xlsxGrid(buffer, file);
    return fromGrid(grid, merges);
  }
  throw new SheetError(`不支持的文件类型「${ext || '无扩展名'}」: 请使用 .xlsx 或 .csv`);
}

/** UTF-8, else GB18030: Excel on a Chinese Windows saves "CSV" in the local code page. */
function csvText(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

function fromGrid(grid: string[][], merges: Merge[] | 'csv'): Sheet {
  const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');
  // Real exports often put a title above the header (one cell, or one merged across the columns, which
  // exceljs reads as the same text in every cell): the header is the first row with two distinct values.
  const distinct = (cells: string[]) => new Set(cells.map((c) => c.trim()).filter(Boolean)).size;
  const firstFilled = grid.findIndex((cells) => !isBlank(cells));
  const titled = grid.findIndex((cells, i) => i >= firstFilled && i < firstFilled + 5 && distinct(cells) >= 2);
  const headerIndex = firstFilled >= 0 && titled > firstFilled ? titled : firstFilled;
  if (headerIndex < 0) throw new SheetError('文件是空的: 第一行应为表头');
  // The header may take two or three rows (spreadsheet-header.ts); data, and its row numbers, start below them.
  const header = merges === 'csv' ? csvHeader(grid, headerIndex) : mergedHeader(grid, merges, headerIndex);
  const rows: SheetRow[] = [];
  for (let i = headerIndex + header.depth; i < grid.length; i++) {
    if (!isBlank(grid[i]!)) rows.push({ row: i + 1, cells: grid[i]! });
  }
  return { headers: header.names, headerRow: headerIndex + 1, rows };
}

async function xlsxGrid(buffer: Buffer, file: string): Promise<{ grid: string[][]; merges: Merge[] }> {
  // An encrypted .xlsx is not a zip but an OLE compound file (as old .xls files are): say which it is.
  if (buffer.subarray(0, 8).equals(OLE_MAGIC)) throw new SheetError(`${file} 设置了打开密码(或是旧版 .xls 文件):请在 Excel 中取消密码并另存为 .xlsx 后再发送`);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new SheetError(`${file} 不是有效的 Excel 工作簿(文件损坏或设置了密码)`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SheetError(`${file} 没有工作表`);
  const grid: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
    grid[rowNumber - 1] = cells;
  });
  return { grid: Array.from(grid, (cells) => cells ?? []), merges: (sheet.model.merges ?? []).flatMap((range) => decodeRange(range) ?? []) };
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10); // exceljs gives date cells as UTC midnight
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellText((value.result ?? '') as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return '';
  return String(value);
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
