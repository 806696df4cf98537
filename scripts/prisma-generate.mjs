// Generates the Prisma client offline. `prisma generate` only needs the schema engine path to exist;
// the engine itself cannot be downloaded on our machines, so point at any file when none is given.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const result = spawnSync('npx', ['prisma', 'generate'], { stdio: 'inherit', env });
if (result.status === 0) loadCompilerWithoutKeepingItsText();
process.exit(result.status ?? 1);

// The client loads its query compiler (WebAssembly) from a 4.6 MB base64 module imported with `import()`: an ES
// module is never unloaded, so its source and its string stay in the heap for the life of the process, ~9 MB (issue
// 16, idle memory). Read through `require` and dropped from require's cache instead, the text is freed once the
// module is compiled. Only this one generated function changes; if Prisma's output ever differs, the client is left
// as generated and this says so.
function loadCompilerWithoutKeepingItsText() {
  const file = path.join(import.meta.dirname, '..', 'generated', 'prisma', 'internal', 'class.ts');
  const generated = readFileSync(file, 'utf8');
  const pattern =
    /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/query_compiler_\w+_bg\.postgresql\.wasm-base64)\.mjs"\)/;
  const found = generated.match(pattern);
  if (!found) {
    console.warn('prisma-generate: the query compiler is loaded as Prisma generated it (its text stays in memory)');
    return;
  }
  const replacement = [
    `const { createRequire } = await import('node:module')`,
    `    const require = createRequire(import.meta.url)`,
    `    const compilerModule = require.resolve("${found[1]}.js")`,
    `    const { wasm } = require(compilerModule)`,
    `    delete require.cache[compilerModule] // LawDesk: the 4.6 MB text is freed once compiled (scripts/prisma-generate.mjs)`,
  ].join('\n');
  writeFileSync(file, generated.replace(pattern, replacement));
}
