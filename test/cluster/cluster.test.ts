import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { FakeFeishu } from '../fakes/fake-feishu';
import { buildIfStale, killAll, spawnLawDesk, waitStarted, type LawDeskProcess, type Role } from '../support/cluster';
import { ENCRYPT_KEY } from '../support/lawdesk';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startTestTemporal, type DevServer } from '../support/temporal';

// Issue 18: production's topology in one test file. One PostgreSQL, one Temporal server (the dev server standing
// for the standalone one), the fake Feishu enforcing Feishu's 50/s and 1,000/min with 429, and 2 × `npm run bot`
// + 2 × `npm run worker` as real processes from dist/, all started at the same moment on an empty database.

describe('two bots and two workers on one database and one Temporal', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-cluster-'));
  let postgres: TestPostgres;
  let temporal: DevServer;
  let fake: FakeFeishu;
  let env: NodeJS.ProcessEnv;
  let db: Database | undefined;
  const procs: LawDeskProcess[] = [];

  const start = async (name: string, role: Role) => {
    const proc = await spawnLawDesk(name, role, env);
    procs.push(proc);
    return proc;
  };

  beforeAll(async () => {
    buildIfStale();
    [postgres, temporal, fake] = await Promise.all([
      startPostgres(),
      startTestTemporal(),
      FakeFeishu.start({ encryptKey: ENCRYPT_KEY, rateLimits: { perSecond: 50, perMinute: 1_000 } }),
    ]);
    env = {
      FEISHU_APP_ID: fake.appId,
      FEISHU_APP_SECRET: fake.appSecret,
      FEISHU_DOMAIN: fake.url,
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_VERIFICATION_TOKEN: fake.verificationToken,
      FEISHU_MODE: 'webhook',
      DATABASE_URL: postgres.url,
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'lawdesk-cluster',
    };
  });

  afterAll(async () => {
    await killAll(procs);
    await db?.close();
    await temporal?.stop();
    await fake?.stop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('all four start together on an empty database and none crashes', async () => {
    const four = await Promise.all([
      start('bot-1', 'bot'),
      start('bot-2', 'bot'),
      start('worker-1', 'worker'),
      start('worker-2', 'worker'),
    ]);
    await Promise.all(four.map((p) => waitStarted(p)));
    expect(four.map((p) => p.exit)).toEqual([undefined, undefined, undefined, undefined]);
    db = await openDatabase({ DATABASE_URL: postgres.url, DATA_DIR: dataDir });
    const years = await db.prisma.calendarYear.findMany({ select: { year: true }, orderBy: { year: 'asc' } });
    expect(years.map((y) => y.year)).toEqual([2025, 2026]);
    // The shipped calendar was loaded once, by one of the four: one audit row per shipped file, not one per process.
    const loads = await db.prisma.auditEvent.findMany({
      where: { action: 'calendar.loaded', actor: 'system:shipped-calendar' },
      select: { details: true },
    });
    expect(loads.map((l) => (l.details as { source: string }).source).sort()).toEqual(['cn-2025.csv', 'cn-2026.csv']);
  });
});
