import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEISHU_SEND_LIMITS, sendBudgetFor } from '../../src/platform/feishu/message-sender';
import type { certificateExpiryWatchWorkflow } from '../../src/processes/certificate/expiry-watch';
import { addDays } from '../../src/core/calendar';
import { dateIn } from '../../src/core/dates';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';
import { expectEachToldOnce, MESSAGES_PATH, refuseNextSend, sentUuids } from './notice-checks';

// Issue 20, item 5: the certificate expiry watch recorded "told once" before sending, so a send that failed
// (the minute budget full, Feishu refusing) left an officer marked as told who was never told, and the run's
// result counted only its last attempt. Every notice is now owed first and recorded as given only once Feishu
// accepted it; a retry sends only what is still owed, under the same uuid.

const taskQueue = 'expiry-owed';
let bed: WorkflowTestbed;

beforeAll(async () => {
  bed = await startWorkflowTestbed({ taskQueue, stickyCache: true });
  await bed.startWorker();
}, 180_000);

afterAll(() => bed?.close());

/** `count` officers of a new unit with one admin, their certificates ending `daysLeft` days after the test server's today. */
async function officersDue(unitName: string, prefix: string, count: number, daysLeft: number) {
  const today = dateIn(TEST_TZ, new Date(await bed.env.currentTimeMs()));
  const unit = await bed.db.prisma.unit.create({ data: { name: unitName } });
  const expires = new Date(`${addDays(today, daysLeft)}T00:00:00Z`);
  const officers = Array.from({ length: count }, (_, i) => ({
    name: `${prefix}${i + 1}`,
    certNo: `${prefix}-${i + 1}`,
    openId: `ou_${prefix}_${i + 1}`,
    unitId: unit.id,
    certExpires: expires,
  }));
  await bed.db.prisma.officer.createMany({
    data: [
      ...officers,
      {
        name: `${prefix}法制员`,
        certNo: `${prefix}-ADM`,
        openId: `ou_${prefix}_admin`,
        unitId: unit.id,
        role: 'admin',
      },
    ],
  });
  return { officers: officers.map((o) => ({ certNo: o.certNo, openId: o.openId })), admin: `ou_${prefix}_admin` };
}

const runWatch = (workflowId: string) =>
  bed.client.workflow.execute<typeof certificateExpiryWatchWorkflow>('certificateExpiryWatchWorkflow', {
    taskQueue,
    workflowId,
    args: [],
  });

describe('certificate expiry watch: no notice recorded as given before Feishu accepted it', () => {
  it(
    'more notices due than the minute allows: every officer and the admin copy arrive, and the result counts them all',
    { timeout: 240_000 },
    async () => {
      // Feishu's windows scaled down (100 a "minute" of 8 s) so 60 officers due at once overflow the minute as
      // 550 did: 120 messages, both on our budget and on the fake Feishu.
      const limits = { perSecond: 50, perMinute: 100, minuteMs: 8_000 };
      sendBudgetFor(bed.fake.appId, limits);
      bed.fake.setRateLimits(limits);
      const due = await officersDue('县交通运输局', 'JT', 60, 20);

      const result = await runWatch('expiry-over-budget');

      await expectEachToldOnce(bed, due.officers);
      expect(bed.fake.messagesTo(due.admin)).toHaveLength(60);
      expect(result).toMatchObject({ noticed: 60, messages: 120 });
      sendBudgetFor(bed.fake.appId, FEISHU_SEND_LIMITS);
      bed.fake.setRateLimits(undefined);
    },
  );

  it(
    'a send Feishu refuses stays owed; the retry sends only it, under the same uuid',
    { timeout: 240_000 },
    async () => {
      const due = await officersDue('县应急管理局', 'YJ', 3, 150);
      const before = bed.fake.requests.length;
      refuseNextSend(bed);

      const result = await runWatch('expiry-refused');

      await expectEachToldOnce(bed, due.officers);
      expect(bed.fake.messagesTo(due.admin)).toHaveLength(3);
      // The refused request's uuid came back once more and was accepted: the same message, not a second one.
      const uuids = sentUuids(bed.fake.requests.slice(before).filter((r) => r.path === MESSAGES_PATH));
      expect(uuids.length).toBe(7);
      expect(new Set(uuids).size).toBe(6);
      expect(result).toMatchObject({ noticed: 3, messages: 6 });
      // A second run the same day tells nobody again.
      expect(await runWatch('expiry-refused-again')).toMatchObject({ noticed: 0, messages: 0 });
    },
  );
});
