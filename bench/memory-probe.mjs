// Preloaded by bench/idle-memory.ts (`node --import ./bench/memory-probe.mjs dist/start.js`) to see inside the node
// process: every 2 s each thread with an isolate (main, Temporal's workflow thread, sheet readers) writes its V8 heap
// figures to $MEMORY_PROBE_FILE.<pid>.<threadId> (0 = main, with process.memoryUsage()). Never loaded by LawDesk itself.
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import { threadId } from 'node:worker_threads';

const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  const mb = (n) => Math.round((n / 1024 / 1024) * 10) / 10;
  const write = () => {
    const usage = process.memoryUsage();
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_used_size)]));
    const heap = v8.getHeapStatistics();
    writeFileSync(
      `${file}.${process.pid}.${threadId}`,
      JSON.stringify({
        threadId,
        heapLimit: mb(heap.heap_size_limit),
        rss: mb(usage.rss),
        heapTotal: mb(usage.heapTotal),
        heapUsed: mb(usage.heapUsed),
        external: mb(usage.external),
        arrayBuffers: mb(usage.arrayBuffers),
        contexts: heap.number_of_native_contexts,
        heapCommitted: mb(heap.total_physical_size),
        mallocedMemory: mb(heap.malloced_memory),
        spaces,
      }),
    );
  };
  setInterval(write, 2_000).unref();
}
