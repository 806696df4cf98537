import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDir, findTemporalCli, findTestServerWrapper } from '../../src/platform/temporal/binaries';
import { freePort, startDevServer } from '../../src/platform/temporal/dev-server';
import { startPostgres } from './postgres';
import { createTimeSkippingEnv, startTestTemporal } from './temporal';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  return fn().finally(() => console.log(`[timing] ${label}: ${Math.round(performance.now() - t0)} ms`));
}

describe('temporal-binaries', () => {
  it('finds binaries in the order TEMPORAL_CLI_PATH, PATH, cache', () => {
    const dir = tempDir('lawdesk-bin-');
    const fake = join(dir, 'fake-temporal');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    const emptyCache = join(dir, 'cache');
    expect(cacheDir({ LAWDESK_CACHE: emptyCache })).toBe(emptyCache);
    expect(cacheDir({ HOME: '/home/x' })).toBe('/home/x/.cache/lawdesk');
    expect(findTemporalCli({ TEMPORAL_CLI_PATH: fake, PATH: '', LAWDESK_CACHE: emptyCache })).toBe(fake);
    expect(findTemporalCli({ PATH: '', LAWDESK_CACHE: emptyCache })).toBeUndefined();
    expect(findTestServerWrapper({ LAWDESK_CACHE: emptyCache })).toBeUndefined();
    writeFileSync(join(dir, 'temporal'), '#!/bin/sh\n');
    chmodSync(join(dir, 'temporal'), 0o755);
    expect(findTemporalCli({ PATH: `/nonexistent:${dir}`, LAWDESK_CACHE: emptyCache })).toBe(join(dir, 'temporal'));
  });

  it('freePort returns a bindable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await portIsFree(port)).toBe(true);
  });
});

describe('temporal dev server', () => {
  it('starts, serves describeNamespace and search attributes, and stops (port freed)', async () => {
    const server = await timed('dev server start (in memory)', () =>
      startTestTemporal({ searchAttributes: { LawdeskCaseNo: 'Keyword', LawdeskScore: 'Int' } }),
    );
    cleanups.push(() => server.stop());
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.namespace).toBe('default');

    const connection = await Connection.connect({ address: server.address });
    try {
      const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
      const sa = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(sa.customAttributes ?? {})).toEqual(expect.arrayContaining(['LawdeskCaseNo', 'LawdeskScore']));
    } finally {
      await connection.close();
    }

    const port = Number(server.address.split(':')[1]);
    await timed('dev server stop', () => server.stop());
    await server.stop(); // idempotent
    expect(await portIsFree(port)).toBe(true);
  });

  it('keeps workflows in a persistent dbFilename across stop/start', async () => {
    const dir = tempDir('lawdesk-temporal-db-');
    const dbFilename = join(dir, 'nested', 'temporal.sqlite');
    const workflowId = `persist-${Date.now()}`;

    const first = await timed('dev server start (sqlite, new)', () => startDevServer({ dbFilename }));
    cleanups.push(() => first.stop());
    {
      const connection = await Connection.connect({ address: first.address });
      const client = new Client({ connection, namespace: 'default' });
      // No worker polls this task queue: the workflow just stays Running.
      await client.workflow.start('NobodyRunsThis', { taskQueue: 'no-worker', workflowId, args: [{ a: 1 }] });
      await connection.close();
    }
    await first.stop();
    expect(existsSync(dbFilename)).toBe(true);

    const second = await timed('dev server start (sqlite, existing)', () => startDevServer({ dbFilename }));
    cleanups.push(() => second.stop());
    const connection = await Connection.connect({ address: second.address });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const desc = await client.workflow.getHandle(workflowId).describe();
      expect(desc.type).toBe('NobodyRunsThis');
      expect(desc.status.name).toBe('RUNNING');
    } finally {
      await connection.close();
      await second.stop();
    }
  });

  it('fails clearly when the server exits early', async () => {
    await expect(startDevServer({ extraArgs: ['--no-such-flag'], startTimeoutMs: 10_000 })).rejects.toThrow(
      /exited with code \d+ before it was ready[\s\S]*no-such-flag/,
    );
  });
});

describe('postgres', () => {
  it('startPostgres gives a URL that pg can query, and stop removes it', async () => {
    const db = await timed('postgres start (initdb + start + createdb)', () => startPostgres());
    cleanups.push(() => db.stop());
    expect(db.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/lawdesk_test$/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const res = await client.query<{ one: number; db: string }>('select 1 as one, current_database() as db');
      expect(res.rows[0]).toEqual({ one: 1, db: 'lawdesk_test' });
    } finally {
      await client.end();
    }
    await timed('postgres stop', () => db.stop());
    const after = new pg.Client({ connectionString: db.url, connectionTimeoutMillis: 2_000 });
    await expect(after.connect()).rejects.toThrow();
    await after.end().catch(() => undefined);
  });
});

// Needs the jars from `npm run setup` (.ci/run installs them); without them this fails rather than hide.
describe('time-skipping test server', () => {
  it('starts and skips 3 days quickly', async () => {
    const env = await timed('time-skipping test server start', () => createTimeSkippingEnv());
    let tornDown = false;
    const teardown = async () => {
      if (!tornDown) {
        tornDown = true;
        await env.teardown();
      }
    };
    cleanups.push(teardown);
    expect(env.supportsTimeSkipping).toBe(true);
    const before = await env.currentTimeMs();
    const t0 = performance.now();
    await env.sleep('3 days');
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000);
    await timed('time-skipping test server teardown', teardown);
  });
});
