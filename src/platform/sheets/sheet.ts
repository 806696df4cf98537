import type { SheetRow } from './cells';

// What reading a spreadsheet gives every importer, on whichever thread it was read.

export interface Sheet {
  /** One name per column; a header over two or three rows is combined into one name per column. */
  headers: string[];
  /** 1-based row where the header starts (below any title); data rows carry their own numbers. */
  headerRow: number;
  rows: SheetRow[];
}

/** The file cannot be read as it is; the message is one sentence for the person who sent it. */
export class SheetError extends Error {}
