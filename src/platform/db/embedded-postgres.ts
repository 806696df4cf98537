import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureReachable, POSTGRES_MAJOR, postgresBinaries, reachableBinaries, serverUser } from './postgres-binaries';
import { initCluster, isProcessAlive, liveServer, startCluster, stopCluster } from './postgres-cluster';
import { removeRuntimeEntry, writeRuntimeEntry } from '../runtime-file';

// The embedded database of `npm start` and the CLI when no DATABASE_URL is set: a real PostgreSQL 17 in
// DATA_DIR/pg, listening on 127.0.0.1 only, the `postgres` role behind a password generated once and kept in
// DATA_DIR/pg-password (0600). Whichever process finds no server running starts it; the others join it through
// DATA_DIR/run/postgres.json. Every process using it registers in DATA_DIR/run/postgres-users/, and the last
// one to leave stops it, so a CLI that started the server does not stop it under an `npm start` that joined later.

export interface EmbeddedPostgres {
  url: string;
  /** True when this process started the server (false: it joined one already running). */
  started: boolean;
  /** Leaves the server; the last live user stops it. */
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function useEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedPostgres> {
  dataDir = path.resolve(dataDir);
  const dir = path.join(dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(path.join(dataDir, 'run', 'postgres-users'), { recursive: true, mode: 0o700 });
  const me = path.join(dataDir, 'run', 'postgres-users', `${process.pid}-${randomBytes(4).toString('hex')}`);
  const joined = await withStartLock(dataDir, async () => {
    let server = liveServer(dir);
    let started = false;
    if (!server) {
      const user = serverUser(log);
      ensureReachable(user, dataDir, { own: true, log });
      const bin = reachableBinaries(await postgresBinaries(), user, dataDir, log);
      moveAsideForeignData(dir, log);
      const password = passwordOf(dataDir, !existsSync(dir));
      if (!existsSync(dir)) {
        const t0 = Date.now();
        await initCluster(bin, dir, user, { password });
        log(`数据库: 已在 ${dir} 新建内嵌 PostgreSQL ${POSTGRES_MAJOR} (${Date.now() - t0} ms)`);
      }
      await startCluster(bin, dir, user);
      server = liveServer(dir);
      if (!server) throw new Error(`内嵌 PostgreSQL 启动后没有留下 ${dir}/postmaster.pid`);
      started = true;
    } else {
      // A server nobody has registered for (its owner was killed with kill -9) or a live owner's: join it.
      for (let i = 0; !server.ready && i < 600; i++) {
        await sleep(100);
        server = liveServer(dir) ?? server;
      }
    }
    const url = `postgresql://postgres:${encodeURIComponent(passwordOf(dataDir, false))}@127.0.0.1:${server.port}/postgres?sslmode=disable`;
    writeRuntimeEntry(dataDir, 'postgres', url, server.pid);
    writeFileSync(me, String(process.pid));
    return { url, started, pid: server.pid };
  });
  log(
    joined.started
      ? `数据库: 内嵌 PostgreSQL ${POSTGRES_MAJOR} (${dir},127.0.0.1:${new URL(joined.url).port})`
      : `数据库: 加入正在运行的内嵌 PostgreSQL (${dir},127.0.0.1:${new URL(joined.url).port})`,
  );
  stopAtExit.set(me, { dir, pid: joined.pid });
  installExitHook();
  let released: Promise<void> | undefined;
  return {
    url: joined.url,
    started: joined.started,
    release: () =>
      (released ??= withStartLock(dataDir, async () => {
        stopAtExit.delete(me);
        rmSync(me, { force: true });
        if (otherUsers(dataDir).length) return;
        removeRuntimeEntry(dataDir, 'postgres');
        await stopCluster(dir, joined.pid);
      })),
  };
}

/** Live processes still registered as users of the embedded server (entries of dead ones are removed). */
function otherUsers(dataDir: string): string[] {
  const folder = path.join(dataDir, 'run', 'postgres-users');
  return readdirSync(folder).filter((name) => {
    const pid = Number(name.split('-')[0]);
    if (pid && isProcessAlive(pid)) return true;
    rmSync(path.join(folder, name), { force: true });
    return false;
  });
}

/**
 * The password of the `postgres` role: generated when the cluster is created, read back afterwards. A cluster
 * without its password file cannot be opened by us; say where rather than fail at the first connection.
 */
function passwordOf(dataDir: string, create: boolean): string {
  const file = path.join(dataDir, 'pg-password');
  if (create && !existsSync(file))
    writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EACCES') {
      throw new Error(
        `无权读取内嵌 PostgreSQL 的密码文件 ${file}:请用启动 LawDesk 的同一个系统用户运行,或设置 DATABASE_URL。`,
      );
    }
    throw new Error(
      `内嵌 PostgreSQL 的密码文件 ${file} 不见了,无法连接 ${path.join(dataDir, 'pg')} 里的数据库:请找回该文件,或设置 DATABASE_URL。`,
    );
  }
}

/**
 * DATA_DIR/pg of an older LawDesk held PGlite's files (PostgreSQL 18 in WebAssembly, a format this server cannot
 * open), and anything else that is not a PostgreSQL 17 cluster cannot be started either: move it aside, keep it.
 */
function moveAsideForeignData(dir: string, log: (line: string) => void): void {
  if (!existsSync(dir)) return;
  if (readdirSync(dir).length === 0) return void rmSync(dir, { recursive: true });
  let version = '';
  try {
    version = readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim();
  } catch {
    /* not a cluster */
  }
  if (version === POSTGRES_MAJOR) return;
  const aside = `${dir}.${version === '18' ? 'pglite' : 'old'}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dir, aside);
  const what =
    version === '18'
      ? '旧版 LawDesk 的 PGlite 数据 (PostgreSQL 18 格式)'
      : `不是 PostgreSQL ${POSTGRES_MAJOR} 的数据库目录${version ? ` (PostgreSQL ${version})` : ''}`;
  log(`数据库: ${dir} 里是${what},内嵌 PostgreSQL ${POSTGRES_MAJOR} 打不开,已原样移到 ${aside},新数据库从空开始。`);
}

/**
 * One process at a time starts, joins or stops the server of a DATA_DIR (two processes started at once would
 * otherwise both run initdb or both start a server). A lock left by a killed process is taken over.
 */
async function withStartLock<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const file = path.join(dataDir, 'run', 'postgres.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim() || NaN);
      if (Number.isInteger(holder) && !isProcessAlive(holder)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`等了 3 分钟,内嵌 PostgreSQL 仍被进程 ${holder} 锁着 (${file})`);
      await sleep(50);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(file, { force: true });
  }
}

// A process that exits without close() (an uncaught error, process.exit) still leaves; if it was the last user
// the server gets its fast-shutdown signal (synchronous: nothing can be awaited in an 'exit' handler).
// A signal nobody else listens for (a test runner's SIGTERM, Ctrl+C before bin/run.ts has set up its clean stop)
// would end the process without an 'exit' event and leave the server behind: then we exit as Node would have,
// which runs the hook. Where someone else listens (bin/run.ts closes LawDesk cleanly), it is theirs to handle.
const stopAtExit = new Map<string, { dir: string; pid: number }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(128 + constants.signals[signal]);
    });
  }
  process.once('exit', () => {
    for (const [me, server] of stopAtExit) {
      rmSync(me, { force: true });
      const dataDir = path.dirname(server.dir);
      if (otherUsers(dataDir).length) continue;
      removeRuntimeEntry(dataDir, 'postgres');
      try {
        process.kill(server.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
  });
}
