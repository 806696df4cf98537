// Idle memory of `npm start`'s tree (issue 16: < 400 MB), per process, with what the node process holds inside.
// Starts LawDesk built (dist/start.js) in the sandbox (no Feishu app: what a laptop gets) on a fresh DATA_DIR, stops
// it and starts it again, waits for /readyz, checks that chat still answers (帮助 and 学时 through the web chat's API), lets it settle, then takes
// the median of a few samples of every process's RSS and PSS. One configuration per run; compare in the same session.
//   npx tsx bench/idle-memory.ts [--node-arg=--max-semi-space-size=1 ...] [--env MALLOC_ARENA_MAX=2 ...]
//     [--temporal-arg=--some-flag ...] [--settle-s 30] [--npm-start]
// --npm-start runs `npm start` itself (npm and its shell counted in the tree) instead of `node dist/start.js`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findTemporalCli } from '../src/platform/temporal/binaries';
import { freePort } from '../src/platform/net';
import { fromProjectRoot } from '../src/platform/project-root';
import { memoryByKind } from './process-memory';

const { values: args } = parseArgs({
  options: {
    'node-arg': { type: 'string', multiple: true, default: [] },
    env: { type: 'string', multiple: true, default: [] },
    'temporal-arg': { type: 'string', multiple: true, default: [] },
    'settle-s': { type: 'string', default: '30' },
    'npm-start': { type: 'boolean', default: false },
  },
});
const SETTLE_MS = Number(args['settle-s']) * 1000;
const SAMPLES = 5;
const PERSONA = 'ou_demo_zhangwei';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(base: string, child: ChildProcess, output: () => string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    if (child.exitCode !== null) throw new Error(`LawDesk exited (${child.exitCode}):\n${output()}`);
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`not healthy within 120 s:\n${output()}`);
}

/** Types `text` in the web chat and waits for the bot's answer; returns the answer's text (card or message). */
async function chatAnswers(base: string, text: string): Promise<string> {
  const chat = async () =>
    (
      (await (await fetch(`${base}/sandbox/api/chat?openId=${PERSONA}`)).json()) as {
        messages: Array<{ from: string; content: unknown }>;
      }
    ).messages;
  const before = (await chat()).filter((m) => m.from === 'bot').length;
  const sent = await fetch(`${base}/sandbox/api/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openId: PERSONA, text }),
  });
  if (!sent.ok) throw new Error(`send ${text}: HTTP ${sent.status} ${await sent.text()}`);
  const started = Date.now();
  while (Date.now() - started < 15_000) {
    const answers = (await chat()).filter((m) => m.from === 'bot');
    if (answers.length > before) return JSON.stringify(answers.at(-1)!.content);
    await sleep(100);
  }
  throw new Error(`no answer to ${text} within 15 s`);
}

/** A wrapper around the Temporal CLI that appends flags to `server start-dev` (TEMPORAL_CLI_PATH points at it). */
function temporalWrapper(dir: string, extra: string[]): string | undefined {
  const cli = findTemporalCli();
  if (!extra.length || !cli) return undefined;
  const file = path.join(dir, 'temporal-with-flags.sh');
  const quoted = extra.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  writeFileSync(file, `#!/bin/sh\nexec '${cli}' "$@" ${quoted}\n`);
  chmodSync(file, 0o755);
  return file;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  spawnSync(process.execPath, [fromProjectRoot('scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-idle-'));
  const probeFile = `${dataDir}-probe.json`; // beside DATA_DIR: PostgreSQL's user must be able to enter DATA_DIR itself
  const port = await freePort();
  const wrapper = temporalWrapper(tmpdir(), args['temporal-arg']);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FEISHU_APP_ID: '',
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    MEMORY_PROBE_FILE: probeFile,
    ...(wrapper ? { TEMPORAL_CLI_PATH: wrapper } : {}),
    ...Object.fromEntries(args.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  };
  // The probe rides in NODE_OPTIONS so it reaches the app's node however it is started (npm start or directly).
  env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--import=${fromProjectRoot('bench', 'memory-probe.mjs')}`]
    .filter(Boolean)
    .join(' ');
  const command = args['npm-start']
    ? ['npm', ['start', '--silent']]
    : [process.execPath, [...args['node-arg'], fromProjectRoot('dist', 'start.js')]];
  let output = '';
  const startApp = () => {
    const child = spawn(command[0] as string, command[1] as string[], {
      env,
      cwd: fromProjectRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    return child;
  };
  const stopApp = async (child: ChildProcess) => {
    if (child.exitCode !== null) return;
    process.kill(-child.pid!, 'SIGTERM'); // the group: as Ctrl+C reaches npm, its shell and node together
    // npm may leave before node has finished stopping: wait for the whole group, so the next start finds its port free.
    const groupAlive = () => {
      try {
        process.kill(-child.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (const started = Date.now(); groupAlive() && Date.now() - started < 30_000;) await sleep(100);
  };
  const base = `http://127.0.0.1:${port}`;
  const probeFiles = () => readdirSync(tmpdir()).filter((f) => f.startsWith(path.basename(probeFile)));
  const removeProbeFiles = () => probeFiles().forEach((f) => rmSync(path.join(tmpdir(), f), { force: true }));
  // A first start on a fresh DATA_DIR creates the database, loads the shipped calendar (a reader thread) and seeds
  // the sandbox county; what a county lives with is every later start, so that is the one measured.
  let app = startApp();
  try {
    await waitHealthy(base, app, () => output);
    await stopApp(app);
    removeProbeFiles();
    app = startApp();
    const readyMs = await waitHealthy(base, app, () => output);
    const help = await chatAnswers(base, '帮助');
    const hours = await chatAnswers(base, '学时');
    if (!help.includes('学时') || !hours.includes('学时')) throw new Error(`unexpected answers:\n${help}\n${hours}`);
    await sleep(SETTLE_MS);
    const postmaster = Number(readFileSync(path.join(env.DATA_DIR!, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const samples: Array<ReturnType<typeof memoryByKind>> = [];
    for (let i = 0; i < SAMPLES; i++) {
      samples.push(memoryByKind([app.pid!, postmaster]));
      await sleep(2_000);
    }
    const kinds = [...new Set(samples.flatMap((s) => [...s.keys()]))];
    const row = (kind: string) => {
      const rss = median(samples.map((s) => s.get(kind)?.rssMb ?? 0));
      const pss = median(samples.map((s) => s.get(kind)?.pssMb ?? 0));
      return { rss, pss, count: samples.at(-1)!.get(kind)?.count ?? 0 };
    };
    const label =
      [...args['node-arg'], ...args.env, ...args['temporal-arg'].map((a) => `temporal ${a}`)].join(' ') ||
      'as configured';
    console.log(
      `idle memory, ${args['npm-start'] ? 'npm start' : 'node dist/start.js'} (${label}); ready in ${(readyMs / 1000).toFixed(1)} s; chat answered 帮助 and 学时`,
    );
    let totalRss = 0;
    let totalPss = 0;
    for (const kind of kinds) {
      const { rss, pss, count } = row(kind);
      totalRss += rss;
      totalPss += pss;
      console.log(
        `  ${kind.padEnd(16)} RSS ${rss.toFixed(0).padStart(4)} MB  PSS ${pss.toFixed(0).padStart(4)} MB  (${count} process${count > 1 ? 'es' : ''})`,
      );
    }
    // The target counts database, Temporal and LawDesk; npm and its shell are only the launcher around them.
    const launcher = ['npm start', 'sh'].map(row);
    const ownRss = totalRss - launcher.reduce((n, r) => n + r.rss, 0);
    const ownPss = totalPss - launcher.reduce((n, r) => n + r.pss, 0);
    console.log(
      `  ${'tree'.padEnd(16)} RSS ${totalRss.toFixed(0).padStart(4)} MB  PSS ${totalPss.toFixed(0).padStart(4)} MB`,
    );
    console.log(
      `  ${'without npm'.padEnd(16)} RSS ${ownRss.toFixed(0).padStart(4)} MB  PSS ${ownPss.toFixed(0).padStart(4)} MB  (node, Temporal, PostgreSQL: target < 400 MB)`,
    );
    for (const file of probeFiles()) {
      console.log(
        `  inside node ${file.split('.').at(-2)}, thread ${file.split('.').at(-1)}: ${readFileSync(path.join(tmpdir(), file), 'utf8')}`,
      );
    }
  } finally {
    await stopApp(app);
    rmSync(dataDir, { recursive: true, force: true });
    removeProbeFiles();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
