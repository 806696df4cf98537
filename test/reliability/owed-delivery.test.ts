import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/platform/feishu/client';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { createActivities } from '../../src/processes';
import { OWED_ATTEMPTS } from '../../src/processes/casework/notice-delivery';
import { FakeFeishu } from '../fakes/fake-feishu';

// The two edges of an owed notice, on the expiry watch with its clock pinned (asOf): a person Feishu keeps
// refusing is handed back as owed on the last attempt instead of failing the run (and tried again by the next
// run); a message Feishu accepted just before the worker died is sent again under the same uuid, which Feishu
// takes as the same message, so the officer still has exactly one.

const AS_OF = '2031-03-04T01:00:00Z'; // 09:00 in the county
const MESSAGES = '/open-apis/im/v1/messages';
const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-owed-'));
let db: Database;
let fake: FakeFeishu;
let activities: ReturnType<typeof createActivities>;
const attempt = (n: number, workflowId: string) =>
  new MockActivityEnvironment({ attempt: n, workflowExecution: { workflowId, runId: 'r1' } });

beforeAll(async () => {
  db = await openDatabase({ DATA_DIR: dataDir, DATABASE_URL: undefined });
  fake = await FakeFeishu.start();
  activities = createActivities({
    prisma: db.prisma,
    feishu: new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url }),
    timeZone: 'Asia/Shanghai',
  });
  const unit = await db.prisma.unit.create({ data: { name: '县交通运输局' } });
  await db.prisma.officer.createMany({
    data: [
      {
        name: '李一',
        certNo: 'JT-1',
        openId: 'ou_jt_1',
        unitId: unit.id,
        certExpires: new Date('2031-03-20T00:00:00Z'),
      },
      {
        name: '李二',
        certNo: 'JT-2',
        openId: 'ou_jt_2',
        unitId: unit.id,
        certExpires: new Date('2031-03-25T00:00:00Z'),
      },
    ],
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
  await fake?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('owed notices at the edges', () => {
  it('the last attempt hands back who is still owed; the next run tells them', async () => {
    const refuse = () =>
      fake.failNext(
        { method: 'POST', path: MESSAGES },
        { status: 400, body: { code: 230013, msg: 'Bot has NO availability to this user.' } },
      );
    refuse();
    const failure = await attempt(1, 'watch-day-1')
      .run(activities.sendExpiryNotices, { asOf: AS_OF })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'NoticesOwed', nonRetryable: false });
    refuse();
    const last = (await attempt(OWED_ATTEMPTS, 'watch-day-1').run(activities.sendExpiryNotices, {
      asOf: AS_OF,
    })) as Awaited<ReturnType<typeof activities.sendExpiryNotices>>;
    expect(last).toMatchObject({ noticed: 1, messages: 1, owed: [expect.stringMatching(/^ou_jt_[12]$/)] });
    const owedTo = last.owed![0]!;
    expect(fake.messagesTo(owedTo)).toHaveLength(0);
    const row = await db.prisma.noticeDelivery.findFirstOrThrow({ where: { openId: owedTo } });
    expect(row).toMatchObject({ givenAt: null, lastError: expect.stringContaining('230013') });

    // The next day's run (Feishu takes it now): the owed one is told, nobody twice.
    expect(await attempt(1, 'watch-day-2').run(activities.sendExpiryNotices, { asOf: '2031-03-05T01:00:00Z' })).toEqual(
      { noticed: 1, messages: 1 },
    );
    expect([fake.messagesTo('ou_jt_1').length, fake.messagesTo('ou_jt_2').length]).toEqual([1, 1]);
  });

  it('a message Feishu accepted before the worker died is not a second message when sent again', async () => {
    // As if the worker died between Feishu's answer and recording it: the row still says owed.
    await db.prisma.noticeDelivery.updateMany({ where: { openId: 'ou_jt_1' }, data: { givenAt: null, givenBy: null } });
    const before = fake.requests.filter((r) => r.path === MESSAGES).length;
    expect(
      await attempt(1, 'watch-day-2-retry').run(activities.sendExpiryNotices, { asOf: '2031-03-05T01:00:00Z' }),
    ).toEqual({ noticed: 1, messages: 1 });
    expect(fake.requests.filter((r) => r.path === MESSAGES).length - before).toBe(1); // sent again …
    expect(fake.messagesTo('ou_jt_1')).toHaveLength(1); // … under the same uuid: still one message
  });
});
