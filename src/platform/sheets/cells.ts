// A spreadsheet's rows as every reader gives them, a cell's normal form, and an error that says where.

export interface SheetRow {
  /** 1-based row number as the user sees it in Excel (the header is row 1 unless blank rows precede it). */
  row: number;
  cells: string[];
}

export interface RowError {
  row: number;
  column: string;
  value: string;
  message: string;
}

/** Full-width ASCII (０-９, Ａ-Ｚ, （）…) and ideographic spaces become their half-width forms. */
export function normalizeCell(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}
