import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCalendar } from '../../src/processes/casework/calendar-store';
import { loadLeadRuleSheet } from '../../src/processes/referral/lead-rules';
import { dateIn } from '../../src/core/dates';
import { planDeadline } from '../../src/core/deadlines';
import { caseViewQuery } from '../../src/processes/casework/contract';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { decide, leadInput, seedReceivingUnit, starter, waitStep, watchSteps } from '../support/referral-fixture';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';

// Hotline leads on the rules a county loaded (12345 limits differ by city): a lead reads them when dispatched.
// Its own test server, so the leads it leaves waiting never touch the clock of the referral tests.

const TZ = TEST_TZ;
const taskQueue = 'lead-rules';
let bed: WorkflowTestbed;
let db: WorkflowTestbed['db'];
let start: ReturnType<typeof starter>;

beforeAll(async () => {
  bed = await startWorkflowTestbed({ taskQueue, stickyCache: true });
  db = bed.db;
  await seedCounty(db.prisma);
  await seedReceivingUnit(db.prisma);
  watchSteps(db.prisma);
  await loadTestCalendar(db.prisma, dateIn(TZ, new Date(await bed.env.currentTimeMs())), 5);
  await bed.startWorker();
  start = starter(bed.client, taskQueue);
}, 180_000);

afterAll(() => bed?.close());

describe("问题线索 on the county's own rules", () => {
  it('rules loaded by the bureau apply to leads dispatched after: a 求助 type, 投诉 in 5 working days, no send-back', async () => {
    const sheet = {
      headers: ['项目', '时限', '单位'],
      headerRow: 1,
      rows: [
        ['签收', '1', '工作日'],
        ['退单', '2', '工作日'],
        ['退单次数', '0', '次'],
        ['超期通报', '3', '工作日'],
        ['投诉', '5', '工作日'],
        ['求助', '2', '工作日'],
      ].map((cells, i) => ({ row: i + 2, cells })),
    };
    expect(await loadLeadRuleSheet(db.prisma, sheet, 'rules.xlsx', 'test')).toMatchObject({ ok: true });
    const complaint = await start('leadWorkflow', leadInput({ title: '按本县规则的投诉' }));
    await expect(
      decide(complaint, 'sign', PEOPLE.admin.openId, 'sentBack', { comment: '不属本单位' }),
    ).rejects.toMatchObject({ cause: { message: '这一步不能这样处理' } });
    await decide(complaint, 'sign', PEOPLE.admin.openId, 'signed');
    await waitStep(complaint, 'reply');
    const deadline = (await complaint.query(caseViewQuery)).currentStep!.deadline!;
    expect(deadline.dueAt).toBe(
      planDeadline(await readCalendar(db.prisma), new Date(deadline.startedAt), { unit: 'workingDays', amount: 5 }, TZ)
        .dueAt,
    );
    const help = await start('leadWorkflow', leadInput({ leadType: '求助', title: '求助线索' }));
    await decide(help, 'sign', PEOPLE.admin.openId, 'signed');
    await waitStep(help, 'reply');
    const helpDeadline = (await help.query(caseViewQuery)).currentStep!.deadline!;
    expect(helpDeadline.dueAt).toBe(
      planDeadline(
        await readCalendar(db.prisma),
        new Date(helpDeadline.startedAt),
        { unit: 'workingDays', amount: 2 },
        TZ,
      ).dueAt,
    );
    expect((await help.query(caseViewQuery)).facts).toContainEqual(['类型', '求助']);
  });
});
