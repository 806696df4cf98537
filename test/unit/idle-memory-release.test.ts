import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { startIdleMemoryRelease, trimMallocArenas } from '../../src/platform/idle-memory-release';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let release: { stop(): void } | undefined;
afterEach(() => release?.stop());

/** What a burst leaves behind: ~100 MB malloc'd in 1 kB blocks, every tenth still in use, so the free ones are holes. */
function fragmentedMalloc(): Buffer[] {
  const all: Buffer[] = [];
  for (let i = 0; i < 100_000; i++) all.push(Buffer.allocUnsafeSlow(1000).fill(1)); // own malloc blocks, resident
  return all.filter((_, i) => i % 10 === 0);
}

/** What V8's memory reducer does in an idle process; node offers it to code only with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('idle memory release (issue 16)', () => {
  it('hands the holes a burst left in the malloc arenas back to the machine', async () => {
    const kept = fragmentedMalloc();
    const rssBefore = process.memoryUsage.rss();
    collectGarbage();
    await sleep(250); // V8 frees collected buffers' memory on a helper thread: trimming at once found ~5 of ~80 MB
    const { rssAfter } = trimMallocArenas();
    expect(kept).toHaveLength(10_000);
    // The collection frees the dropped blocks into glibc's arena; only malloc_trim returns their pages.
    expect((rssBefore - rssAfter) / MB).toBeGreaterThan(40);
  });

  it('trims only once the event loop has been quiet, and says how much it gave back', async () => {
    const lines: string[] = [];
    release = startIdleMemoryRelease({ idleMs: 300, sampleEveryMs: 100, log: (line) => lines.push(line) });
    // Busy for 1 s, while a burst's worth of malloc'd blocks is freed: nothing is trimmed while the loop works.
    const kept = fragmentedMalloc();
    const busyUntil = Date.now() + 1_000;
    await new Promise<void>((done) => {
      const spin = () => {
        const sliceEnd = Date.now() + 20;
        while (Date.now() < sliceEnd);
        if (Date.now() < busyUntil) setImmediate(spin);
        else done();
      };
      spin();
    });
    expect(lines).toEqual([]);
    collectGarbage();
    for (let waited = 0; lines.length === 0 && waited < 5_000; waited += 50) await sleep(50);
    expect(lines).toHaveLength(1);
    const [, before, after] = /^空闲 0.3 秒,已归还内存:(\d+) → (\d+) MB$/.exec(lines[0]!) ?? [];
    expect(Number(before) - Number(after)).toBeGreaterThanOrEqual(4);
    expect(kept).toHaveLength(10_000);
  });
});
