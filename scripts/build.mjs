// `npm run build`: LawDesk as plain JavaScript, so production runs `node`, not a TypeScript loader.
//   dist/{start,bot,worker,cli}.js   the entry points, each one esbuild bundle of our code (packages stay in node_modules)
//   dist/read-worker.js              the spreadsheet reader's thread (src/platform/sheets), so no TypeScript loader runs in production
//   dist/vendor/feishu-sdk.cjs       the Feishu SDK without its comments (below: ~9 MB less heap)
//   dist/workflow-bundle.js          the workflows, bundled once here instead of at every worker start
// `--if-stale` (what `npm start` runs first) skips the build when dist/ is newer than every source file.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { lineMappings } from './source-map-lines.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');
const SOURCES = [
  'bin',
  'src',
  'prisma',
  'generated',
  'package.json',
  'scripts/build.mjs',
  'scripts/source-map-lines.mjs',
];

function newestMtime(entry) {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

// The official Feishu SDK is one 6 MB module whose comments, its API docs, are mostly Chinese. Node keeps a module's
// source as text for the life of the process, and text with any character past Latin-1 takes two bytes a character:
// 11 MB of heap, idle. Printed again by esbuild, the same code without comments and in ASCII is 2 MB (issue 16: heap
// 17.0 → 7.8 MB, RSS 8 MB less). Its own packages (axios, ws, …) stay in node_modules; its licence heads the file.
const FEISHU_SDK = '@larksuiteoapi/node-sdk';
const FEISHU_SDK_FILE = 'vendor/feishu-sdk.cjs';
async function buildFeishuSdk() {
  const sdkDir = path.join(root, 'node_modules', ...FEISHU_SDK.split('/'));
  const { version } = JSON.parse(readFileSync(path.join(sdkDir, 'package.json'), 'utf8'));
  const licence = readFileSync(path.join(sdkDir, 'LICENSE'), 'utf8').trim();
  await build({
    entryPoints: [path.join(sdkDir, 'es', 'index.js')],
    outfile: path.join(dist, FEISHU_SDK_FILE),
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs', // with esbuild's note of its export names, which node reads to import it by name
    target: 'node20',
    charset: 'ascii',
    minifyWhitespace: true, // what drops the comments
    legalComments: 'none',
    banner: { js: `/*! ${FEISHU_SDK} ${version}, rebuilt by LawDesk's scripts/build.mjs.\n${licence}\n*/` },
    logLevel: 'warning',
  });
}
/** Our code imports the SDK by its name; the built entry points import the file above instead. */
const feishuSdkFromDist = {
  name: 'feishu-sdk-from-dist',
  setup(build) {
    build.onResolve({ filter: /^@larksuiteoapi\/node-sdk$/ }, () => ({ path: `./${FEISHU_SDK_FILE}`, external: true }));
  },
};

const builtAt = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (process.argv.includes('--if-stale') && builtAt > Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))))) {
  process.exit(0);
}

const started = Date.now();
console.log('构建 LawDesk(dist/)…');
mkdirSync(dist, { recursive: true });
await buildFeishuSdk();
await build({
  entryPoints: {
    ...Object.fromEntries(
      ['start', 'bot', 'worker', 'cli'].map((name) => [name, path.join(root, 'bin', `${name}.ts`)]),
    ),
    'read-worker': path.join(root, 'src', 'platform', 'sheets', 'read-worker.ts'), // the spreadsheet reader's thread
  },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  keepNames: true, // workflows are started by function reference: Temporal takes the type from the function's name
  // Stack traces need the mappings, not a copy of every source file: the maps are parsed and kept in memory by
  // --enable-source-maps, and the sources are in the tree anyway.
  sourcesContent: false,
  plugins: [feishuSdkFromDist],
  logLevel: 'warning',
});
// Always both: the workflow bundle must match the code the worker runs.
const { bundleWorkflowCode } = await import('@temporalio/worker');
const { code } = await bundleWorkflowCode({
  workflowsPath: path.join(root, 'src', 'processes', 'workflows.ts'),
  logger: quietLogger(),
});
writeFileSync(path.join(dist, 'workflow-bundle.js'), asciiOnly(slimSourceMap(code)));
writeFileSync(stamp, new Date().toISOString());
console.log(`构建完成,用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);

// The worker keeps the workflow bundle as a string and parses its inline source map on the workflow thread (the SDK
// needs the map: it maps workflow stack traces). The copy of every source inside it (sourcesContent, a third of the
// file) is only shown with showStackTraceSources, which LawDesk leaves off. The mappings name lines only
// (scripts/source-map-lines.mjs: ~10 MB less per parse, measured with source-map 0.7).
function slimSourceMap(bundle) {
  const at = bundle.lastIndexOf('//# sourceMappingURL=data:');
  const base64At = bundle.indexOf('base64,', at) + 'base64,'.length;
  if (at < 0 || base64At < at) throw new Error('workflow bundle without an inline source map');
  const map = JSON.parse(Buffer.from(bundle.slice(base64At).trimEnd(), 'base64').toString());
  // zod was 380 KB of the bundle and ~3 MB of the workflow thread: input is checked where it enters, not in workflows.
  const zod = map.sources.find((source) => source.includes('node_modules/zod/'));
  if (zod) throw new Error(`workflow code imports zod (${zod}): check the input in chat, import or settings instead`);
  delete map.sourcesContent;
  map.mappings = lineMappings(map.mappings);
  map.names = [];
  return `${bundle.slice(0, base64At)}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

// V8 keeps a string with one non-Latin-1 character as two bytes per character: the bundle's few thousand Chinese
// characters (card texts) doubled its 1.8 MB on both threads. As \uXXXX escapes, valid in strings, templates, regular
// expressions and comments alike, it is one byte per character (the same thing esbuild does for dist/*.js). Columns
// on those lines shift in stack traces; lines do not.
function asciiOnly(bundle) {
  return bundle.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function quietLogger() {
  const drop = () => {};
  return {
    trace: drop,
    debug: drop,
    info: drop,
    warn: (m) => console.warn(m),
    error: (m) => console.error(m),
    log: drop,
  };
}
