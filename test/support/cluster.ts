// Several LawDesk processes as production runs them: `npm run bot` and `npm run worker` as real child processes
// (the built JavaScript in dist/, `node dist/bot.js` / `node dist/worker.js`), sharing one PostgreSQL, one Temporal
// and one task queue. Used by test/cluster: cold start together on an empty database, kills, SIGTERM timings.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/platform/temporal/dev-server';
import { ROOT } from './processes';

export type Role = 'bot' | 'worker';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LawDeskProcess {
  name: string;
  role: Role;
  child: ChildProcess;
  /** The bot's HTTP port (workers listen on nothing). */
  port?: number;
  /** Everything the process printed, stdout and stderr interleaved. */
  output(): string;
  /** Settles when the process has exited, however. */
  exited: Promise<Exit>;
  /** Set once it has exited. */
  exit?: Exit;
}

/** `npm run bot` / `npm run worker` build first when stale; the test does the same, once, before starting anything. */
export function buildIfStale(): void {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`build failed\n${built.stdout}\n${built.stderr}`);
}

/** Starts one bot or worker from dist/ with `env` on top of this process's environment. */
export async function spawnLawDesk(name: string, role: Role, env: NodeJS.ProcessEnv): Promise<LawDeskProcess> {
  // Each its own port: a bot's webhook, a worker's probes and metrics (/healthz, /readyz, /metrics).
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(ROOT, 'dist', `${role}.js`)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const proc: LawDeskProcess = {
    name,
    role,
    child,
    port,
    output: () => output,
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        proc.exit = { code, signal };
        resolve(proc.exit);
      });
    }),
  };
  return proc;
}

// bin/run.ts prints this once every part is up: the worker polling and the Schedules ensured, the bot listening.
const STARTED_LINE = '执法通 LawDesk 已启动';

/** Waits until the process says it started (and a bot answers /healthz); fails with its output if it exits first. */
export async function waitStarted(proc: LawDeskProcess, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const fail = (why: string) => new Error(`${proc.name} ${why}\n--- ${proc.name} output ---\n${proc.output()}`);
  for (;;) {
    if (proc.exit) throw fail(`exited (${JSON.stringify(proc.exit)}) before it started`);
    if (proc.output().includes(STARTED_LINE)) {
      if (proc.role === 'worker') return;
      const health = await fetch(`http://127.0.0.1:${proc.port}/healthz`).catch(() => undefined);
      if (health?.status === 200) return;
    }
    if (Date.now() > deadline) throw fail(`did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Sends `signal` and resolves with how the process ended and how long it took, in ms; rejects past `timeoutMs`. */
export async function signalAndTime(
  proc: LawDeskProcess,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<Exit & { ms: number }> {
  const sent = Date.now();
  proc.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${proc.name} still running ${timeoutMs} ms after ${signal}\n${proc.output()}`)),
      timeoutMs,
    );
  });
  try {
    const exit = await Promise.race([proc.exited, late]);
    return { ...exit, ms: Date.now() - sent };
  } finally {
    clearTimeout(timer);
  }
}

/** Kills whatever is still running (the end of a test file), without waiting for a clean stop. */
export async function killAll(procs: LawDeskProcess[]): Promise<void> {
  const running = procs.filter((p) => !p.exit);
  for (const p of running) p.child.kill('SIGKILL');
  await Promise.all(running.map((p) => p.exited));
}

/** The Feishu event address of a running bot. */
export const eventUrl = (bot: LawDeskProcess) => `http://127.0.0.1:${bot.port}/webhook/event`;

/** The pid in a Temporal worker identity (`pid@host`, the SDK's default): which of our processes did the work. */
export const pidOfIdentity = (identity: string | null | undefined) => Number((identity ?? '').split('@')[0]);
