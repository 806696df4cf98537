import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../bot/feishu-client';
import { openDatabase, type Database } from '../../lib/database';
import { createActivities } from '../../workflows/activities/index';
import { FakeFeishu } from '../fakes/fake-feishu';

// A checkpoint that hits Feishu's rate limit halfway: the activity asks Temporal to wait for Feishu's reset
// (not its own backoff), and the retry carries on from its last heartbeat instead of sending everything again.

describe('training checkpoint under a rate limit', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-cp-'));
  let db: Database;
  let fake: FakeFeishu;
  let unitId: number;
  beforeAll(async () => {
    db = await openDatabase({ DATA_DIR: dataDir, DATABASE_URL: undefined });
    fake = await FakeFeishu.start();
    const unit = await db.prisma.unit.create({ data: { name: '县交通运输局' } });
    unitId = unit.id;
    for (const i of [1, 2, 3]) await db.prisma.officer.create({ data: { name: `落后${i}`, certNo: `JT${i}`, openId: `ou_behind_${i}`, unitId } });
    await db.prisma.officer.create({ data: { name: '法制员', certNo: 'JT-ADM', openId: 'ou_jt_admin', unitId, role: 'admin' } });
  });
  afterAll(async () => {
    await db?.close();
    await fake?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('waits for the reset Feishu names and resumes where it stopped', async () => {
    const { trainingCheckpoint } = createActivities({ prisma: db.prisma, feishu: new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url }), timeZone: 'Asia/Shanghai' });
    const input = { unitId, year: 2026, checkpoint: '2026-09-30' };
    const sends = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages').length;

    // Refused with 429 and a 7-second reset: Temporal is told to wait exactly that long.
    fake.rateLimitNext({ path: '/open-apis/im/v1/messages' }, 7);
    const failure = await new MockActivityEnvironment().run(trainingCheckpoint, input).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'FeishuRateLimited', nextRetryDelay: '7s' });

    // A run heartbeats after each send (4: three officers behind and the unit admin) …
    const beats: unknown[] = [];
    const clean = new MockActivityEnvironment();
    clean.on('heartbeat', (d: unknown) => beats.push(d));
    fake.reset();
    expect(await clean.run(trainingCheckpoint, input)).toMatchObject({ officers: 3, behind: ['JT1', 'JT2', 'JT3'], messages: 4 });
    expect(beats).toEqual([1, 2, 3, 4]);
    expect(sends()).toBe(4);

    // … and a retry that had got as far as 2 sends only the rest.
    fake.reset();
    await new MockActivityEnvironment({ heartbeatDetails: 2 }).run(trainingCheckpoint, input);
    expect(sends()).toBe(2);
    expect(fake.messages.map((m) => m.receiveId).sort()).toEqual(['ou_behind_3', 'ou_jt_admin']);
  });
});
