import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { trainingYearWorkflow } from '../../src/processes/training/year-workflow';
import { trainingYearWorkflowId } from '../../src/processes/training/contract';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';
import { expectEachToldOnce, refuseNextSendToBusyUser } from './notice-checks';

// Issue 20, item 5, for the training year's checkpoint: one reminder Feishu refused for a moment (230020, the
// person was sent to too often) failed the checkpoint for good, so everyone after that officer, the unit admin's
// summary and the whole rest of the year (the year-end list) were never sent. The refused reminder now stays
// owed, the retry sends only it, and the checkpoint's result counts what was given.

const taskQueue = 'training-owed';
const YEAR = 2031; // the test server's clock skips to it: every date is pinned, whatever today is
const BEHIND = 12;
let bed: WorkflowTestbed;
let unitId: number;
const officers = Array.from({ length: BEHIND }, (_, i) => ({
  name: `落后${i + 1}`,
  certNo: `JT-${i + 1}`,
  openId: `ou_jt_${i + 1}`,
}));

beforeAll(async () => {
  bed = await startWorkflowTestbed({ taskQueue, stickyCache: true });
  const prisma = bed.db.prisma;
  const unit = await prisma.unit.create({ data: { name: '县交通运输局' } });
  const bureau = await prisma.unit.create({ data: { name: '县司法局' } });
  unitId = unit.id;
  await prisma.officer.createMany({
    data: [
      ...officers.map((o) => ({ ...o, unitId })),
      { name: '法制员', certNo: 'JT-ADM', openId: 'ou_jt_admin', unitId, role: 'admin' as const },
      { name: '负责人', certNo: 'JT-HEAD', openId: 'ou_jt_head', unitId, role: 'supervisor' as const },
      { name: '审核人', certNo: 'SF-1', openId: 'ou_bureau', unitId: bureau.id, role: 'bureau' as const },
    ],
  });
  await bed.startWorker();
}, 180_000);

afterAll(() => bed?.close());

describe('training checkpoint: a reminder Feishu refused stays owed until it is accepted', () => {
  it(
    'everyone behind, the admin, and the year end are told once; the checkpoint counts its messages',
    { timeout: 180_000 },
    async () => {
      refuseNextSendToBusyUser(bed); // the checkpoint's first reminder

      const result = await bed.env.client.workflow.execute<typeof trainingYearWorkflow>('trainingYearWorkflow', {
        taskQueue,
        workflowId: trainingYearWorkflowId(YEAR, unitId),
        args: [{ unitId, unitName: '县交通运输局', year: YEAR, timeZone: TEST_TZ, checkpoints: ['09-30'] }],
      });

      const reminders = (openId: string) =>
        bed.fake.messagesTo(openId).filter((m) => !JSON.stringify(m.content).includes('学时不足名单'));
      expect(officers.filter((o) => reminders(o.openId).length !== 1).map((o) => o.openId)).toEqual([]);
      expect(result.checkpoints).toMatchObject([
        { date: `${YEAR}-09-30`, officers: BEHIND, met: 0, messages: BEHIND + 1 },
      ]);
      expect(result.short).toHaveLength(BEHIND);
      // The year end went out too: the list to the unit head and the bureau, the 暂扣 offer to the admin.
      await expectEachToldOnce(bed, [{ openId: 'ou_jt_head' }, { openId: 'ou_bureau' }]);
      expect(bed.fake.messagesTo('ou_jt_admin')).toHaveLength(2); // the checkpoint's summary, the year end's offer
    },
  );
});
