import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_SHEET_FILE_BYTES, SHEET_LIMITS, type SheetLimits } from './limits';
import { readOffThread } from './reader-pool';
import { SheetError, type Sheet } from './sheet';

export { decodeRange, type Merge } from './header';
export { parseCsv } from './read-sheet';
export { SheetError, type Sheet };

// Reads the first sheet of an .xlsx or a .csv file as text cells, keeping Excel's row numbers so every error can
// point at the row the user sees (src/platform/sheets/read-sheet.ts). The reading runs on a worker thread within the limits
// of src/platform/sheets/limits.ts: a file past one is refused in one sentence (a SheetError) and nothing else waits for it.

export async function readSheet(file: string, limits: Partial<SheetLimits> = {}): Promise<Sheet> {
  let buffer: Buffer;
  try {
    const { size } = await stat(file);
    if (size > MAX_SHEET_FILE_BYTES)
      throw new SheetError(
        `「${path.basename(file)}」有 ${Math.ceil(size / 1024 / 1024)} MB,超过 ${MAX_SHEET_FILE_BYTES / 1024 / 1024} MB 的上限,请分成几个文件。`,
      );
    buffer = await readFile(file);
  } catch (error) {
    if (error instanceof SheetError) throw error;
    throw new SheetError(`无法读取文件 ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return readSheetBytes(buffer, file, limits);
}

/** The same as readSheet for bytes already in hand (a file sent in chat); `file` names it in messages and gives the kind. */
export async function readSheetBytes(buffer: Buffer, file: string, limits: Partial<SheetLimits> = {}): Promise<Sheet> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx')
    throw new SheetError(`不支持的文件类型「${ext || '无扩展名'}」: 请使用 .xlsx 或 .csv`);
  return readOffThread(buffer, file, { ...SHEET_LIMITS, ...limits });
}
