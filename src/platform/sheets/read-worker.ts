import { parentPort } from 'node:worker_threads';
import type { SheetLimits } from './limits';
import { readSheetNow } from './read-sheet';
import { SheetError } from './sheet';

// The reader thread (started by reader-pool.ts): one read at a time, its answer posted back. A refusal is a
// sentence for the sender; anything else is our bug and goes back with its stack.

export interface ReadJob {
  bytes: Uint8Array;
  file: string;
  limits: SheetLimits;
}

export type ReadAnswer =
  | { ok: true; sheet: Awaited<ReturnType<typeof readSheetNow>> }
  | { ok: false; refused: string }
  | { ok: false; bug: string };

parentPort!.on('message', async (job: ReadJob) => {
  let answer: ReadAnswer;
  try {
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    answer = { ok: true, sheet: await readSheetNow(bytes, job.file, job.limits) };
  } catch (error) {
    answer =
      error instanceof SheetError
        ? { ok: false, refused: error.message }
        : { ok: false, bug: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(answer);
});
