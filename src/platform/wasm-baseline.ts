import { setFlagsFromString } from 'node:v8';

// Prisma's query compiler is 3.3 MB of WebAssembly. V8 compiles it with Liftoff, its baseline compiler, then compiles
// hot functions again with TurboFan in the background. Measured in one process running 560 queries over 28 models
// (issue 16): TurboFan's code kept 32–34 MB more resident, and the varied queries took longer (636 vs 391 ms: the two
// cores were busy compiling); repeated queries ran alike (310 vs 354 ms). So WebAssembly stays on Liftoff.
// V8 reads the flag when a module is compiled, so it must be set before the first query; it applies to the whole
// process, worker threads included (node's fetch parser and the worker's source-map parser are WebAssembly too, both
// small).
export function keepWebAssemblyOnBaselineCompiler(): void {
  setFlagsFromString('--liftoff-only');
}
