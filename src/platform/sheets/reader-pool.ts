import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromProjectRoot } from '../project-root';
import { WorkLimit } from '../work-limit';
import type { SheetLimits } from './limits';
import type { ReadAnswer, ReadJob } from './read-worker';
import { SheetError, type Sheet } from './sheet';

// Spreadsheets are read on worker threads, never on the event loop that answers Feishu: at most two at a time
// (the machines have two cores; a third file waits its turn), each within its time budget, past which its thread
// is terminated, so a crafted file cannot keep a core. A thread that finished is kept for the next read for a
// few seconds (starting one with its TypeScript loader and exceljs costs about 0.3 s), unref'd so it never keeps
// a CLI run alive, and its heap is capped so a file that slips past the checks ends in a sentence, not in swap.

const MAX_THREADS = 2;
const IDLE_MS = 10_000;
const HEAP_MB = 1024;

let idle: { worker: Worker; timer: NodeJS.Timeout } | undefined;
const reads = new WorkLimit(MAX_THREADS);

export function readOffThread(bytes: Buffer, file: string, limits: SheetLimits): Promise<Sheet> {
  return reads.run(() => runOn(takeWorker(), bytes, file, limits));
}

function runOn(worker: Worker, bytes: Buffer, file: string, limits: SheetLimits): Promise<Sheet> {
  const name = `「${path.basename(file)}」`;
  return new Promise<Sheet>((resolve, reject) => {
    const finish = (keepWorker: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (keepWorker) park(worker);
      else void worker.terminate();
    };
    const timer = setTimeout(() => {
      finish(false);
      reject(
        new SheetError(
          `${name}读取超过 ${Math.round(limits.timeBudgetMs / 1000) || 1} 秒仍未读完,已停止读取:请删除多余的行、列和格式,另存为新的 .xlsx 后再发送。`,
        ),
      );
    }, limits.timeBudgetMs);
    const onMessage = (answer: ReadAnswer) => {
      finish(true);
      if (answer.ok) resolve(answer.sheet);
      else if ('refused' in answer) reject(new SheetError(answer.refused));
      else reject(new Error(`读取表格时出错: ${answer.bug}`));
    };
    const onError = (error: NodeJS.ErrnoException) => {
      finish(false);
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
        reject(
          new SheetError(`${name}读取时占用内存过多,已停止读取:请删除多余的行、列和格式,另存为新的 .xlsx 后再发送。`),
        );
      else reject(error);
    };
    const onExit = (code: number) => {
      finish(false);
      reject(new Error(`表格读取线程意外退出(代码 ${code})`));
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // A copy of exactly these bytes, handed over rather than cloned: the caller keeps its buffer.
    const copy = new Uint8Array(bytes);
    const job: ReadJob = { bytes: copy, file, limits };
    worker.postMessage(job, [copy.buffer]);
  });
}

const BUILT_READER = fromProjectRoot('dist', 'read-worker.js');
const READER_ENTRY =
  import.meta.url.endsWith('.js') && existsSync(BUILT_READER)
    ? BUILT_READER
    : fromProjectRoot('src', 'platform', 'sheets', 'read-worker-boot.mjs');

function takeWorker(): Worker {
  if (idle) {
    const { worker, timer } = idle;
    idle = undefined;
    clearTimeout(timer);
    worker.ref();
    return worker;
  }
  // A plain thread (no inherited loader flags): the built reader when LawDesk runs from dist/, else a boot file that
  // registers tsx itself (the same under tsx and vitest).
  return new Worker(pathToFileURL(READER_ENTRY), {
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
  });
}

function park(worker: Worker): void {
  if (idle) return void worker.terminate();
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = undefined;
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  worker.unref();
  idle = { worker, timer };
}
