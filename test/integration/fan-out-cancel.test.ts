import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/platform/feishu/client';
import { sendBudgetFor } from '../../src/platform/feishu/message-sender';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { createActivities } from '../../src/processes';
import { FakeFeishu } from '../fakes/fake-feishu';

// Issue 18 item 2: a killed worker's fan-out resumed only after its 10-minute timeout, and a cancelled one (or one on
// a worker stopping past its grace time) kept sending. Now every long activity heartbeats within a 30-second
// heartbeat timeout, a cancellation stops the fan-out between sends, and the retry sends only who is still owed.

const BEHIND = 10;

describe('a training checkpoint fan-out cancelled halfway', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-cancel-'));
  let db: Database;
  let fake: FakeFeishu;
  let unitId: number;
  beforeAll(async () => {
    db = await openDatabase({ DATA_DIR: dataDir, DATABASE_URL: undefined });
    fake = await FakeFeishu.start({ appId: 'cli_cancel_test' });
    const unit = await db.prisma.unit.create({ data: { name: '县农业农村局' } });
    unitId = unit.id;
    for (let i = 1; i <= BEHIND; i++)
      await db.prisma.officer.create({ data: { name: `落后${i}`, certNo: `NY${i}`, openId: `ou_ny_${i}`, unitId } });
    await db.prisma.officer.create({
      data: { name: '法制员', certNo: 'NY-ADM', openId: 'ou_ny_admin', unitId, role: 'admin' },
    });
  });
  afterAll(async () => {
    await db?.close();
    await fake?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'stops between sends when cancelled, and the retry sends only the rest, each once',
    { timeout: 60_000 },
    async () => {
      const limits = { perSecond: 2, perMinute: 1_000 }; // 11 messages take ~5 s: time to cancel in the middle
      fake.setRateLimits(limits);
      sendBudgetFor(fake.appId, limits);
      const { trainingCheckpoint } = createActivities({
        prisma: db.prisma,
        feishu: new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, limits }),
        timeZone: 'Asia/Shanghai',
      });
      const attempt = (n: number) =>
        new MockActivityEnvironment({ attempt: n, workflowExecution: { workflowId: 'training-cancel', runId: 'r1' } });
      const input = { unitId, year: 2026, checkpoint: '2026-09-30' };

      const first = attempt(1);
      const running = first.run(trainingCheckpoint, input).catch((e: unknown) => e);
      await fake.waitFor(() => fake.messages.length >= 2, 10_000);
      first.cancel();
      expect(await running).toBeInstanceOf(CancelledFailure);
      await new Promise((r) => setTimeout(r, 1_500)); // nothing more goes out after the cancellation
      const sentBeforeCancel = fake.messages.length;
      expect(sentBeforeCancel).toBeLessThan(BEHIND + 1);

      expect(await attempt(2).run(trainingCheckpoint, input)).toMatchObject({ messages: BEHIND + 1 });
      const receivers = fake.messages.map((m) => m.receiveId);
      expect(receivers).toHaveLength(BEHIND + 1);
      expect(new Set(receivers).size).toBe(BEHIND + 1);
    },
  );
});

describe('heartbeat timeouts', () => {
  // Any activity allowed more than a minute must heartbeat, within 30 s, so a killed worker's share is retried soon.
  const workflowFiles = readdirSync('src/processes', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join('src/processes', f))
    .filter((f) => readFileSync(f, 'utf8').includes('proxyActivities<'));
  const optionBlocks = workflowFiles.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/proxyActivities<[^>]+>\(\{([\s\S]*?)\n\}\)/g)].map((m) => ({
      file,
      options: m[1]!,
    })),
  );
  const seconds = (text: string | undefined) => {
    const m = text?.match(/'(\d+) (second|minute)s?'/);
    return m ? Number(m[1]) * (m[2] === 'minute' ? 60 : 1) : undefined;
  };

  it.each(optionBlocks.map((b) => [b.file, b.options] as const))('%s', (file, options) => {
    const startToClose = seconds(options.match(/startToCloseTimeout: ('[^']+')/)?.[1]);
    const heartbeat = seconds(options.match(/heartbeatTimeout: ('[^']+')/)?.[1]);
    // The spreadsheet import (files/workflow.ts) reads one sheet as a single step in a reader thread: 2 minutes.
    const limit = file.endsWith(path.join('files', 'workflow.ts')) ? 120 : 30;
    if ((startToClose ?? 0) > 120) expect(heartbeat, `${file}: heartbeatTimeout`).toBeLessThanOrEqual(limit);
  });
});
