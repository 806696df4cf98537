// How big a spreadsheet LawDesk agrees to read, and for how long. Checked from what the file declares before
// anything is inflated, and again while it is read (declarations can lie). Past any of them the sender gets one
// sentence and nothing is written. Measured on a 2-core machine: a 50,000-row × 10-column roster is a 2.3 MB
// xlsx that inflates to 24 MB and reads in about 2 s (npm run bench:sheets).

export interface SheetLimits {
  /** Data rows; the sheet itself may have a few more above them (a title, a header of up to three rows). */
  maxRows: number;
  /** Rows × columns of the sheet's used range: one stray cell at GR20000 makes it 20,000 × 200. */
  maxCells: number;
  /** Every part of the xlsx together, inflated. */
  maxUnpackedBytes: number;
  /** Parts in the zip: an xlsx has about a dozen. */
  maxZipEntries: number;
  /** Merged blocks in the sheet read. */
  maxMerges: number;
  /** The whole read, off the event loop; past it the reader thread is terminated. */
  timeBudgetMs: number;
}

export const SHEET_LIMITS: SheetLimits = {
  maxRows: 50_000,
  maxCells: 1_000_000,
  maxUnpackedBytes: 100 * 1024 * 1024,
  maxZipEntries: 1_000,
  maxMerges: 10_000,
  timeBudgetMs: 15_000,
};

/** Rows a sheet may have above its data: blank lines, a title, a header of up to three rows. */
export const ROWS_ABOVE_DATA = 20;

/** A file read from disk (the CLI) is refused past this before it is read; chat files stop at 10 MB already. */
export const MAX_SHEET_FILE_BYTES = 50 * 1024 * 1024;
