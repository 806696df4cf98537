// Issue 18 items 1 and 2 on a real Temporal dev server: a worker stopped in the middle of a fan-out gives it the grace
// time, then cancels it (it stops between sends instead of holding the shutdown for the whole fan-out), and the next
// worker's retry sends only who is still owed: every leader gets the monthly bulletin exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLawDesk } from '../../src/app/app';
import { sendBudgetFor, type SendLimits } from '../../src/platform/feishu/message-sender';
import { type Harness } from '../support/lawdesk';
import { startDoorHarness } from '../reliability/door-harness';

const LEADERS = 16;
const LIMITS: SendLimits = { perSecond: 2, perMinute: 1_000 }; // 16 cards take ~8 s: the shutdown lands mid-way

describe('a worker stopped in the middle of a fan-out', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startDoorHarness();
    const unit = await h.app.ctx.prisma.unit.create({ data: { name: '县司法局' } });
    for (let i = 0; i < LEADERS; i++)
      await h.app.ctx.prisma.officer.create({
        data: { name: `领导${i}`, certNo: `LD${i}`, openId: `ou_leader_${i}`, unitId: unit.id, role: 'leader' },
      });
  });
  afterAll(() => h?.stop());

  it('cancels it after the grace time, and the retry elsewhere sends only the rest', { timeout: 120_000 }, async () => {
    h.fake.setRateLimits(LIMITS);
    sendBudgetFor(h.fake.appId, LIMITS);
    const config = h.app.ctx.config;
    // Stop the harness's worker and start one with a short grace time, the way an operator's settings would.
    await h.app.close();
    h.app = await startLawDesk(config, {
      receiver: true,
      worker: true,
      log: () => {},
      shutdown: { workerGraceMs: 500, workerForceMs: 10_000 },
    });
    const workflowId = `bulletin-shutdown-${Date.now()}`;
    await h.app.ctx.temporal.workflow.start('referralBulletinWorkflow', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ month: '2026-01' }],
    });
    await h.fake.waitFor(() => h.fake.messages.length >= 3, 20_000);

    const stoppingAt = Date.now();
    await h.app.close();
    const stoppedInMs = Date.now() - stoppingAt;
    const sentBeforeStop = h.fake.messages.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(h.fake.messages.length).toBe(sentBeforeStop); // nothing goes out from a stopped worker
    expect(sentBeforeStop).toBeLessThan(LEADERS);
    expect(stoppedInMs).toBeLessThan(5_000); // the grace time, not the fan-out's remaining ~6 s

    await h.restart();
    const result = await h.app.ctx.temporal.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ month: '2026-01', sent: LEADERS });
    const receivers = h.fake.messages.map((m) => m.receiveId);
    expect(receivers).toHaveLength(LEADERS);
    expect(new Set(receivers).size).toBe(LEADERS);
  });
});
