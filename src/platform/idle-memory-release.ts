// Gives memory back to the machine when the process has been quiet for a while (issue 16: the idle tree < 400 MB).
//
// Why: after a burst, glibc keeps the freed blocks of every thread's malloc arena (Temporal's Rust threads, libuv's
// pool, V8's helpers): measured ~45 MB of node's ~260 MB idle RSS came back with one malloc_trim(0). The settings that
// make glibc return memory all the time (MALLOC_ARENA_MAX, static trim thresholds) cost the door 1.5–3× in ack latency
// under a burst (README "Idle memory"), so the trim happens only while the event loop is quiet: a busy county pays
// nothing, an idle one holds less. V8 shrinks its own heap when a process goes idle (its memory reducer), and what
// that frees into malloc's arenas is handed back by the next trim, so the trim is repeated on every quiet sample (it
// takes about a millisecond when there is little to give back).
// A full collection of our own before the trim was tried and dropped: run at the moment a burst began, it took the
// door's ack p99 at 200 events/s from 7.6× to 22× the bare receiver's (bench:door).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

/** The event loop counts as quiet in a sample when it was busy less than this share of the time. */
const QUIET_UTILISATION = 0.02;
const SAMPLE_EVERY_MS = 5_000;
/** A trim that gave back at least this much is logged. */
const WORTH_LOGGING_BYTES = 4 * 1024 * 1024;

/** glibc's malloc_trim through koffi (prebuilt, no compiler needed); undefined on other C libraries (musl, macOS). */
function loadMallocTrim(): ((pad: number) => number) | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    return koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
  } catch {
    return undefined;
  }
}
const mallocTrim = loadMallocTrim();

/** Hands the free pages of every malloc arena back to the machine now; the RSS before and after, in bytes. */
export function trimMallocArenas(): { rssBefore: number; rssAfter: number } {
  const rssBefore = process.memoryUsage.rss();
  mallocTrim?.(0);
  return { rssBefore, rssAfter: process.memoryUsage.rss() };
}

export function startIdleMemoryRelease(opts: {
  /** Quiet this long before the first trim; 0 turns it off. */
  idleMs: number;
  log?: (message: string) => void;
  /** How often the event loop is looked at (tests shorten it). */
  sampleEveryMs?: number;
}): { stop(): void } {
  const sampleEveryMs = opts.sampleEveryMs ?? SAMPLE_EVERY_MS;
  let quietSince: number | undefined;
  let previous = performance.eventLoopUtilization();

  const sample = () => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, previous).utilization;
    previous = now;
    if (busy >= QUIET_UTILISATION) {
      quietSince = undefined;
      return;
    }
    quietSince ??= Date.now() - sampleEveryMs;
    if (Date.now() - quietSince < opts.idleMs) return;
    const { rssBefore, rssAfter } = trimMallocArenas();
    if (rssBefore - rssAfter < WORTH_LOGGING_BYTES) return;
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    opts.log?.(`空闲 ${opts.idleMs / 1000} 秒,已归还内存:${mb(rssBefore)} → ${mb(rssAfter)} MB`);
  };

  const timer = opts.idleMs > 0 && mallocTrim ? setInterval(sample, sampleEveryMs) : undefined;
  timer?.unref();
  return { stop: () => clearInterval(timer) };
}
