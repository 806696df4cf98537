import path from 'node:path';
import type ExcelJS from 'exceljs';
import { newWorkbook } from './new-workbook';
import type { SheetRow } from './cells';
import { csvHeader, mergedHeader, type Merge } from './header';
import { ROWS_ABOVE_DATA, type SheetLimits } from './limits';
import { SheetError, type Sheet } from './sheet';
import { checkedWorkbook } from './xlsx-parts';
import { ZipProblem } from './zip';

// Reads the first sheet of an .xlsx or a .csv as text cells, keeping Excel's row numbers so every error can point
// at the row the user sees. Values stay text: a 执法证号 like 00123 must not become 123. This is the work itself,
// in time linear in the cells; src/platform/sheets/reader-pool.ts runs it on a worker thread with a time budget.

export function readSheetNow(bytes: Buffer, file: string, limits: SheetLimits): Promise<Sheet> | Sheet {
  const ext = path.extname(file).toLowerCase();
  const name = `「${path.basename(file)}」`;
  if (ext === '.csv') return fromGrid(parseCsv(csvText(bytes), gridLimits(limits, name)), 'csv');
  if (ext === '.xlsx') return xlsxSheet(bytes, name, limits);
  throw new SheetError(`不支持的文件类型「${ext || '无扩展名'}」: 请使用 .xlsx 或 .csv`);
}

/** UTF-8, else GB18030 (Excel on a Chinese Windows saves "CSV" in the local code page); a byte-order mark says first. */
function csvText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // Some tools put a UTF-8 mark before text in GBK: drop it before choosing, or it garbles the first header.
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('gb18030').decode(body);
  }
}

interface GridLimits {
  maxRows: number;
  maxCells: number;
  tooManyRows: () => SheetError;
  tooManyCells: (shape: string) => SheetError;
}

function gridLimits(limits: SheetLimits, name: string): GridLimits {
  return {
    maxRows: limits.maxRows + ROWS_ABOVE_DATA,
    maxCells: limits.maxCells,
    tooManyRows: () => new SheetError(`${name}超过 ${limits.maxRows} 行的上限,请分成几个文件发送。`),
    tooManyCells: (shape) =>
      new SheetError(
        `${name}${shape},超过 ${limits.maxCells} 个单元格的上限:请删除数据以外的行和列,或分成几个文件发送。`,
      ),
  };
}

async function xlsxSheet(bytes: Buffer, name: string, limits: SheetLimits): Promise<Sheet> {
  // An encrypted .xlsx is not a zip but an OLE compound file (as old .xls files are): say which it is.
  if (bytes.subarray(0, 8).equals(OLE_MAGIC))
    throw new SheetError(`${name}设置了打开密码(或是旧版 .xls 文件):请在 Excel 中取消密码并另存为 .xlsx 后再发送。`);
  let checked;
  try {
    checked = checkedWorkbook(bytes, limits);
  } catch (error) {
    if (error instanceof ZipProblem) throw new SheetError(`${name}${error.message}。`);
    throw error;
  }
  const workbook = await newWorkbook();
  try {
    await workbook.xlsx.load(
      checked.zip as unknown as ArrayBuffer,
      { ignoreNodes: IGNORED_NODES, maxRows: limits.maxRows + ROWS_ABOVE_DATA } as Partial<ExcelJS.XlsxReadOptions>,
    );
  } catch (error) {
    if (/^Max row count/.test((error as Error).message))
      throw new SheetError(
        `${name}的工作表「${checked.sheetName}」超过 ${limits.maxRows} 行的上限,请分成几个文件发送。`,
      );
    throw new SheetError(`${name}不是有效的 Excel 工作簿(文件损坏或设置了密码)。`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SheetError(`${name}没有工作表。`);
  return fromGrid(gridOf(sheet, checked.merges, gridLimits(limits, name)), checked.merges);
}

/** Parts of a sheet's XML that reading values needs none of, and some of which exceljs expands cell by cell. */
const IGNORED_NODES = [
  'mergeCells',
  'dataValidations',
  'conditionalFormatting',
  'hyperlinks',
  'cols',
  'drawing',
  'picture',
  'tableParts',
  'extLst',
  'rowBreaks',
  'autoFilter',
];

/**
 * The sheet as text, one array per row and every row as wide as the widest (as exceljs's columnCount counts it,
 * computed once: it walks every row). A merged block reads as its first cell's text in every cell it covers.
 */
function gridOf(sheet: ExcelJS.Worksheet, merges: Merge[], limits: GridLimits): string[][] {
  let rows = sheet.rowCount;
  let width = 0;
  sheet.eachRow((row) => (width = Math.max(width, row.cellCount)));
  for (const merge of merges) {
    rows = Math.max(rows, merge.bottom + 1);
    width = Math.max(width, merge.right + 1);
  }
  if (rows > limits.maxRows) throw limits.tooManyRows();
  if (rows * width > limits.maxCells) throw limits.tooManyCells(`的范围有 ${rows} 行 × ${width} 列`);
  const grid = Array.from({ length: rows }, () => new Array<string>(width).fill(''));
  sheet.eachRow((row, rowNumber) => {
    const cells = grid[rowNumber - 1]!;
    row.eachCell((cell, column) => (cells[column - 1] = cellText(cell.value)));
  });
  for (const { top, left, bottom, right } of merges) {
    const text = grid[top]![left]!;
    for (let r = top; r <= bottom; r++) grid[r]!.fill(text, left, right + 1);
  }
  return grid;
}

function fromGrid(grid: string[][], merges: Merge[] | 'csv'): Sheet {
  const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');
  // Real exports often put a title above the header (one cell, or one merged across the columns, which
  // reads as the same text in every cell): the header is the first row with two distinct values.
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

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends. Stops at the limits, if given. */
export function parseCsv(text: string, limits?: GridLimits): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let cells = 0;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    cells += row.length;
    if (limits && rows.length > limits.maxRows) throw limits.tooManyRows();
    if (limits && cells > limits.maxCells) throw limits.tooManyCells('的单元格太多');
    row = [];
    field = '';
  };
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
      if (limits && cells + row.length > limits.maxCells) throw limits.tooManyCells('的单元格太多');
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}
