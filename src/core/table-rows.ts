// Shared rules for every spreadsheet import (roster, training, …): header aliases, cell normalisation and
// error lines that say where (row, column) and what (value, reason). Pure: no I/O.
import { normalizeCell, type RowError, type SheetRow } from '../platform/sheets/cells';

export { normalizeCell, type RowError, type SheetRow };

export type ColumnSpec<F extends string> = Record<F, { aliases: string[]; required: boolean }>;

function headerKey(header: string): string {
  return normalizeCell(header)
    .toLowerCase()
    .replace(/[\s_*]/g, '');
}

/** Maps each known field to its column index; unknown headers are ignored, missing required ones reported. */
export function mapHeaders<F extends string>(
  headers: string[],
  spec: ColumnSpec<F>,
): { columns: Partial<Record<F, number>>; missing: F[] } {
  const keys = headers.map(headerKey);
  const columns: Partial<Record<F, number>> = {};
  const missing: F[] = [];
  for (const field of Object.keys(spec) as F[]) {
    const index = keys.findIndex((k) => spec[field].aliases.some((alias) => headerKey(alias) === k));
    if (index >= 0) columns[field] = index;
    else if (spec[field].required) missing.push(field);
  }
  return { columns, missing };
}

/** The name a user knows a column by: the header as written in their file, else the Chinese alias. */
export function columnLabel<F extends string>(
  field: F,
  spec: ColumnSpec<F>,
  headers: string[],
  columns: Partial<Record<F, number>>,
): string {
  const index = columns[field];
  return index !== undefined && headers[index]
    ? normalizeCell(headers[index])
    : (spec[field].aliases.find((a) => /[^\x00-\x7f]/.test(a)) ?? field);
}

/** Dates as people type them: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, Excel serials. Returns YYYY-MM-DD or undefined. */
export function parseDate(value: string): string | undefined {
  const text = normalizeCell(value);
  // An Excel date serial (days since 1899-12-30) arrives as a plain number when the cell lost its format.
  if (/^\d{5}$/.test(text) && Number(text) > 20000 && Number(text) < 80000) {
    return new Date(Date.UTC(1899, 11, 30) + Number(text) * 86_400_000).toISOString().slice(0, 10);
  }
  const m = text.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A missing required column, reported at the header (row 1) under its Chinese name. */
export function missingColumnErrors<F extends string>(missing: F[], spec: ColumnSpec<F>): RowError[] {
  return missing.map((f) => ({ row: 1, column: spec[f].aliases[1]!, value: '', message: '缺少必填列' }));
}

/**
 * Validators report what concerns the file as a whole (a missing column, a rule left out) at row 1; when a
 * title sits above the header, the header's own row is where the person should look.
 */
export function atHeaderRow(errors: RowError[], headerRow: number): RowError[] {
  return headerRow === 1 ? errors : errors.map((e) => (e.row === 1 ? { ...e, row: headerRow } : e));
}

export function formatRowError(file: string, e: RowError): string {
  return `${file} 第${e.row}行 列「${e.column}」 值「${e.value}」: ${e.message}`;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
