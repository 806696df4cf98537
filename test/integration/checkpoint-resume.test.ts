import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/platform/feishu/client';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { createActivities } from '../../src/processes';
import { FakeFeishu } from '../fakes/fake-feishu';

// A checkpoint that hits Feishu's rate limit halfway: the paced fan-out waits for Feishu's reset; a send refused
// past what it may wait stays owed, and the retry sends only what is still owed (read from notice_delivery, not
// from a heartbeat's position in a list that may have changed since).

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
    for (const i of [1, 2, 3])
      await db.prisma.officer.create({
        data: { name: `落后${i}`, certNo: `JT${i}`, openId: `ou_behind_${i}`, unitId },
      });
    await db.prisma.officer.create({
      data: { name: '法制员', certNo: 'JT-ADM', openId: 'ou_jt_admin', unitId, role: 'admin' },
    });
  });
  afterAll(async () => {
    await db?.close();
    await fake?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('waits for the reset Feishu names, and a retry sends only who is still owed', { timeout: 60_000 }, async () => {
    const { trainingCheckpoint } = createActivities({
      prisma: db.prisma,
      feishu: new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url }),
      timeZone: 'Asia/Shanghai',
    });
    const sends = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages');
    const attempt = (n: number) =>
      new MockActivityEnvironment({ attempt: n, workflowExecution: { workflowId: 'training-year-test', runId: 'r1' } });

    // Refused with 429 and a 7-second reset: the paced fan-out waits that long and then everyone is told.
    fake.rateLimitNext({ path: '/open-apis/im/v1/messages' }, 7);
    const beats: unknown[] = [];
    const first = attempt(1);
    first.on('heartbeat', (d: unknown) => beats.push(d));
    const startedAt = Date.now();
    expect(await first.run(trainingCheckpoint, { unitId, year: 2026, checkpoint: '2026-09-30' })).toMatchObject({
      officers: 3,
      behind: ['JT1', 'JT2', 'JT3'],
      messages: 4,
    });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(6_500);
    expect(beats.at(-1)).toMatchObject({ done: 4, total: 4 });
    expect(fake.messages).toHaveLength(4);

    // Two sends refused past what a send may wait: the attempt fails for Temporal to retry, the two stay owed …
    fake.reset();
    const input = { unitId, year: 2026, checkpoint: '2026-11-01' };
    fake.rateLimitNext({ path: '/open-apis/im/v1/messages' }, 600, 2);
    const failure = await attempt(1)
      .run(trainingCheckpoint, input)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'NoticesOwed', nonRetryable: false });
    expect(fake.messages).toHaveLength(2);
    const refused = sends()
      .slice(0, 2)
      .map((r) => (r.body as { uuid: string }).uuid);

    // … and the retry sends only those two, under the uuids they were refused with; the result counts all four.
    expect(await attempt(2).run(trainingCheckpoint, input)).toMatchObject({ messages: 4 });
    expect(
      sends()
        .slice(4)
        .map((r) => (r.body as { uuid: string }).uuid)
        .sort(),
    ).toEqual(refused.sort());
    expect(fake.messages.map((m) => m.receiveId).sort()).toEqual([
      'ou_behind_1',
      'ou_behind_2',
      'ou_behind_3',
      'ou_jt_admin',
    ]);
  });
});
