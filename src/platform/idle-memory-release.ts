// Gives memory back to the machine when the process has been quiet for a while (issue 16: the idle tree < 400 MB).
//
// Why: after a burst, glibc keeps the freed blocks of every thread's malloc arena (Temporal's Rust threads, libuv's
// pool, V8's helpers) and V8 keeps the heap pages it grew to: measured ~45 MB of node's ~260 MB idle RSS came back
// with one malloc_trim(0). The settings that make glibc return memory all the time (MALLOC_ARENA_MAX, static trim
// thresholds, a small young generation) cost the door 1.5–3× in ack latency under a burst (README "Idle memory"), so
// the release happens only once the event loop has been quiet for `idleMs`: a busy county pays nothing, an idle one
// holds less. It runs again only when the process has grown since, so an idle process is not collected over and over.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The event loop counts as quiet in a sample when it was busy less than this share of the time. */
const QUIET_UTILISATION = 0.02;
const SAMPLE_EVERY_MS = 5_000;
/** A later release only once the process has grown this much above its lowest since the last one. */
const REGROWTH_BYTES = 4 * 1024 * 1024;
const SWEEP_WAIT_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface IdleMemoryRelease {
  /** Releases now (tests, benches); returns the RSS before and after, in bytes. */
  releaseNow(): Promise<{ rssBefore: number; rssAfter: number }>;
  stop(): void;
}

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

/** V8's full collection, which also shrinks the heap's spaces; node only offers it with --expose-gc. */
function loadFullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export function startIdleMemoryRelease(opts: {
  /** Quiet this long before a release; 0 turns it off. */
  idleMs: number;
  log?: (message: string) => void;
  /** How often the event loop is looked at (tests shorten it). */
  sampleEveryMs?: number;
}): IdleMemoryRelease {
  const sampleEveryMs = opts.sampleEveryMs ?? SAMPLE_EVERY_MS;
  const mallocTrim = loadMallocTrim();
  const collect = loadFullCollection();
  let lowestSinceRelease: number | undefined;
  let quietSince: number | undefined;
  let previous = performance.eventLoopUtilization();

  let releasing = false;
  const releaseNow = async () => {
    const rssBefore = process.memoryUsage.rss();
    collect();
    // V8 frees the collected buffers' memory on a helper thread after the collection: trimming at once found ~5 of
    // ~80 MB freed (test/unit/idle-memory-release.test.ts).
    await sleep(SWEEP_WAIT_MS);
    mallocTrim?.(0);
    const rssAfter = process.memoryUsage.rss();
    lowestSinceRelease = rssAfter;
    return { rssBefore, rssAfter };
  };

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
    if (releasing) return;
    // V8 keeps shrinking its heap for a while after a collection, so growth is counted from the lowest point seen.
    const rss = process.memoryUsage.rss();
    if (lowestSinceRelease !== undefined) lowestSinceRelease = Math.min(lowestSinceRelease, rss);
    if (lowestSinceRelease !== undefined && rss < lowestSinceRelease + REGROWTH_BYTES) return;
    releasing = true;
    void releaseNow().then(({ rssBefore, rssAfter }) => {
      releasing = false;
      const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
      opts.log?.(`空闲 ${opts.idleMs / 1000} 秒,已归还内存:${mb(rssBefore)} → ${mb(rssAfter)} MB`);
    });
  };

  const timer = opts.idleMs > 0 ? setInterval(sample, sampleEveryMs) : undefined;
  timer?.unref();
  return { releaseNow, stop: () => clearInterval(timer) };
}
