// A throwaway PostgreSQL server for tests.
//
// `TEST_POSTGRES_URL` set → that database is used as is. Otherwise a private cluster is created in a temp dir
// (initdb, trust auth, fsync off), started on a free port on 127.0.0.1, and removed again by stop().
// PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user (via runuser).
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { findOnPath } from '../../lib/temporal-binaries';
import { freePort } from '../../lib/temporal-dev-server';

export interface TestPostgres {
  /** postgresql://postgres@127.0.0.1:PORT/lawdesk_test (or TEST_POSTGRES_URL). */
  url: string;
  /** Stops the server and removes its data dir; a no-op for TEST_POSTGRES_URL. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Database created in the new cluster (default `lawdesk_test`). */
  database?: string;
  env?: NodeJS.ProcessEnv;
}

const NOT_INSTALLED =
  'No PostgreSQL server found (initdb/pg_ctl not on PATH nor in /usr/lib/postgresql/*/bin): run `npm run setup`, ' +
  'or set TEST_POSTGRES_URL to an existing database.';

/** The directory holding initdb, pg_ctl and postgres, or undefined when no PostgreSQL server is installed. */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const complete = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));
  const onPath = findOnPath('initdb', env);
  if (onPath) {
    const dir = dirname(realpathSync(onPath));
    if (complete(dir)) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = join(root, v, 'bin');
      if (complete(dir)) return dir;
    }
  }
  return undefined;
}

function run(cmd: string, args: string[], opts: { asUser?: string; cwd: string; timeoutMs?: number }): Promise<string> {
  const [file, argv] = opts.asUser ? ['runuser', ['-u', opts.asUser, '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolveRun, reject) => {
    execFile(
      file,
      argv,
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const out = `${stdout}${stderr}`.trim();
          reject(new Error(`${[file, ...argv].join(' ')} failed: ${err.message}${out ? `\n${out}` : ''}`));
        } else {
          resolveRun(`${stdout}${stderr}`);
        }
      },
    );
  });
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

// Clusters still running when this process exits are shut down (immediate mode), so no orphans are left.
const liveClusters = new Map<string, () => void>();
let exitHookInstalled = false;
function trackCluster(dataDir: string, killSync: () => void): void {
  liveClusters.set(dataDir, killSync);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const kill of liveClusters.values()) kill();
    });
  }
}

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<TestPostgres> {
  const env = opts.env ?? process.env;
  const external = env.TEST_POSTGRES_URL?.trim();
  if (external) return { url: external, stop: async () => undefined };

  const binDir = findPostgresBinDir(env);
  if (!binDir) throw new Error(NOT_INSTALLED);
  const database = opts.database ?? 'lawdesk_test';

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const asUser = isRoot ? 'postgres' : undefined;
  const owner = asUser ? lookupUser(asUser) : undefined;
  if (asUser && !owner) {
    throw new Error('Running as root, but there is no `postgres` OS user to run PostgreSQL as: run `npm run setup`.');
  }

  const base = mkdtempSync(join(tmpdir(), 'lawdesk-pg-'));
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  const logFile = join(base, 'postgres.log');
  mkdirSync(socketDir);
  if (owner) {
    chownSync(base, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  const pgCtl = join(binDir, 'pg_ctl');
  const cleanup = () => rmSync(base, { recursive: true, force: true });

  let started = false;
  try {
    await run(
      join(binDir, 'initdb'),
      ['-D', dataDir, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { asUser, cwd: base },
    );

    let port = 0;
    let lastError: unknown;
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      port = await freePort();
      const serverOpts = `-k ${socketDir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await run(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOpts, 'start'], {
          asUser,
          cwd: base,
        });
        started = true;
      } catch (err) {
        lastError = err;
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        if (!/could not bind|address already in use/i.test(log)) {
          throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- postgres.log ---\n${log.slice(-4000)}`);
        }
      }
    }
    if (!started) throw lastError;

    const killSync = () => {
      spawnSync(asUser ? 'runuser' : pgCtl, [...(asUser ? ['-u', asUser, '--', pgCtl] : []), '-D', dataDir, '-m', 'immediate', 'stop'], {
        cwd: base,
        stdio: 'ignore',
      });
      cleanup();
    };
    trackCluster(dataDir, killSync);

    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } finally {
      await admin.end();
    }

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        try {
          await run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], { asUser, cwd: base });
        } catch {
          await run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { asUser, cwd: base }).catch(() => undefined);
        } finally {
          liveClusters.delete(dataDir);
          cleanup();
        }
      })());

    return { url: `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`, stop };
  } catch (err) {
    if (started) {
      await run(pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop'], { asUser, cwd: base }).catch(() => undefined);
      liveClusters.delete(dataDir);
    }
    cleanup();
    throw err;
  }
}
