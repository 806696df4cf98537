import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { dailyDigestWorkflow } from '../../src/processes/desk/digest-workflow';
import { loadTestCalendar } from '../support/certificate-fixture';
import { startWorkflowTestbed, type WorkflowTestbed } from '../support/workflow-testbed';
import { expectEachToldOnce, refuseNextSend } from './notice-checks';

// Issue 20, item 5, for the leaders' daily digest: a card Feishu refused was reported in the run's result and
// then nobody sent it: the leader had no digest that day. It stays owed now, the activity's retry sends it (and
// only it), and the result counts every card the run gave over all its attempts.

const taskQueue = 'digest-owed';
const DAY = '2031-03-04'; // a Tuesday: a working day, not the ranking day
const LEADERS = 30;
let bed: WorkflowTestbed;
const leaders = Array.from({ length: LEADERS }, (_, i) => ({
  openId: `ou_leader_${i + 1}`,
  unit: `县第${i + 1}执法局`,
}));

beforeAll(async () => {
  bed = await startWorkflowTestbed({ taskQueue, stickyCache: true });
  const prisma = bed.db.prisma;
  await loadTestCalendar(prisma, DAY, 0);
  for (const [i, leader] of leaders.entries()) {
    const unit = await prisma.unit.create({ data: { name: leader.unit } });
    await prisma.officer.create({
      data: { name: `分管${i + 1}`, certNo: `LD-${i + 1}`, openId: leader.openId, unitId: unit.id, role: 'leader' },
    });
    // One decision waiting in each unit, overdue on the digest's morning.
    await prisma.deadlineItem.create({
      data: {
        workflowId: `certificate-case-C${i + 1}`,
        runId: 'run-1',
        stepKey: 'unit_head',
        process: 'certificate',
        caseLabel: '证件暂扣',
        subject: `执法员${i + 1}`,
        stepTitle: '单位负责人审批',
        stepKind: 'approve',
        unitName: leader.unit,
        ownerName: `负责人${i + 1}`,
        openedAt: new Date('2031-02-24T01:00:00Z'),
        dueAt: new Date('2031-02-27T09:00:00Z'),
        clockLabel: '3个工作日',
      },
    });
  }
  await bed.startWorker();
}, 180_000);

afterAll(() => bed?.close());

const runDigest = (workflowId: string) =>
  bed.client.workflow.execute<typeof dailyDigestWorkflow>('dailyDigestWorkflow', {
    taskQueue,
    workflowId,
    args: [{ day: DAY }],
  });

describe('daily digest: a card Feishu refused stays owed until it is accepted', () => {
  it("every leader gets the day's card once, and the result counts all of them", { timeout: 120_000 }, async () => {
    refuseNextSend(bed);

    const result = await runDigest(`digest-owed-${DAY}`);

    await expectEachToldOnce(bed, leaders);
    expect(result).toMatchObject({
      status: 'sent',
      daily: { leaders: LEADERS, sent: LEADERS, alreadySent: 0, failed: [] },
    });
    // The same day again (a missed morning re-run): nobody gets a second card.
    expect(await runDigest(`digest-owed-${DAY}-again`)).toMatchObject({
      daily: { sent: 0, alreadySent: LEADERS, failed: [] },
    });
    await expectEachToldOnce(bed, leaders);
  });
});
