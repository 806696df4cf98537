import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dateIn } from '../../src/core/dates';
import { caseViewQuery, decideUpdate, withdrawUpdate } from '../../src/processes/casework/contract';
import { certificateCaseWorkflowId, type CertificateCaseInput } from '../../src/processes/certificate/contract';
import { caseInput, loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';

// Certificate cases in skipped time on the Java test server: approvals, rejection, withdrawal, reminders at
// half time, escalation at a deadline that a holiday pushes out, and no automatic approval after 30 days.

const TZ = TEST_TZ;
const HOUR = 3_600_000;
const taskQueue = 'certificate-cases';
let bed: WorkflowTestbed;
let env: WorkflowTestbed['env'];
let fake: WorkflowTestbed['fake'];
let db: WorkflowTestbed['db'];
let holidays: string[];

beforeAll(async () => {
  bed = await startWorkflowTestbed({ taskQueue });
  ({ env, fake, db } = bed);
  await seedCounty(db.prisma);
  holidays = await loadTestCalendar(db.prisma, dateIn(TZ, new Date(await env.currentTimeMs())), 5);
  await bed.startWorker();
}, 180_000);

afterAll(() => bed?.close());

let caseNo = 0;
let input: CertificateCaseInput;
beforeEach(async () => {
  fake.reset();
  await db.prisma.officer.update({ where: { certNo: PEOPLE.officer.certNo }, data: { certStatus: 'active' } });
  // A distinct certificate number per case keeps each test's workflow id its own.
  input = caseInput({ certNo: `${PEOPLE.officer.certNo}` });
  caseNo++;
});
afterEach(() => fake.reset());

// Waiting for a result through env.client lets the test server skip time while it waits; the cases here end
// on a click, so their results are awaited through a plain client and the clock moves only when a test says so.
async function start(overrides: Partial<CertificateCaseInput> = {}) {
  const handle = await bed.client.workflow.start('certificateCaseWorkflow', {
    taskQueue,
    workflowId: `${certificateCaseWorkflowId(PEOPLE.officer.certNo)}-${caseNo}`,
    args: [{ ...input, ...overrides }],
  });
  await fake.waitFor(() => fake.messagesTo(PEOPLE.head.openId).length === 1, 15_000);
  return handle;
}

const decide = (
  handle: Awaited<ReturnType<typeof start>>,
  stepKey: string,
  actor: string,
  outcome: 'approved' | 'rejected' | 'confirmed',
  comment?: string,
) => handle.executeUpdate(decideUpdate, { args: [{ stepKey, actorOpenId: actor, outcome, comment }] });

describe('certificate case workflow', () => {
  it('approve path: unit head, then bureau; the register changes and officer, admin and head are told', async () => {
    const handle = await start();
    await expect(decide(handle, 'unit_head', PEOPLE.stranger.openId, 'approved')).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    await expect(decide(handle, 'unit_head', PEOPLE.stranger.openId, 'approved')).rejects.toMatchObject({
      cause: { message: expect.stringContaining('您不是这一步的处理人') },
    });
    const afterHead = await decide(handle, 'unit_head', PEOPLE.head.openId, 'approved', '同意暂扣');
    expect(afterHead.decisions).toMatchObject([
      { stepKey: 'unit_head', outcome: 'approved', by: { name: PEOPLE.head.name }, comment: '同意暂扣' },
    ]);
    await expect(decide(handle, 'unit_head', PEOPLE.head.openId, 'approved')).rejects.toThrow(
      WorkflowUpdateFailedError,
    ); // a second click is harmless
    await fake.waitFor(() => fake.messagesTo(PEOPLE.reviewer.openId).length === 1, 15_000);
    await decide(handle, 'bureau', PEOPLE.reviewer.openId, 'approved');

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'executed', newStatus: 'suspended' });
    expect(
      await db.prisma.officer.findUnique({ where: { certNo: PEOPLE.officer.certNo }, select: { certStatus: true } }),
    ).toEqual({ certStatus: 'suspended' });
    await fake.waitFor(
      () =>
        [PEOPLE.officer, PEOPLE.admin].every((p) => fake.messagesTo(p.openId).length === 1) &&
        fake.messagesTo(PEOPLE.head.openId).length === 2,
    );
    expect(JSON.stringify(fake.messagesTo(PEOPLE.officer.openId)[0]!.content)).toContain('已暂扣');
    // The head's approval card was re-rendered with the decision and without buttons.
    const headCard = fake.messagesTo(PEOPLE.head.openId)[0]!;
    expect(JSON.stringify(fake.latestContent(headCard.messageId))).toContain('同意暂扣');
    expect(JSON.stringify(fake.latestContent(headCard.messageId))).not.toContain('case_decide');
    const audit = await db.prisma.auditEvent.findMany({
      where: { subject: PEOPLE.officer.certNo, action: { startsWith: 'certificate' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'certificate_case.opened',
      'certificate_case.approved',
      'certificate_case.approved',
      'certificate.changed',
    ]);
  });

  it('reject path: a reason is required; the case ends, the register is untouched, the admin sees why', async () => {
    const handle = await start();
    await expect(decide(handle, 'unit_head', PEOPLE.head.openId, 'rejected')).rejects.toMatchObject({
      cause: { message: '「驳回」时请填写理由' },
    });
    await decide(handle, 'unit_head', PEOPLE.head.openId, 'rejected', '证据不足');
    expect(await handle.result()).toMatchObject({ status: 'rejected', reason: '证据不足', step: '单位负责人审批' });
    expect(
      await db.prisma.officer.findUnique({ where: { certNo: PEOPLE.officer.certNo }, select: { certStatus: true } }),
    ).toEqual({ certStatus: 'active' });
    await fake.waitFor(() => fake.messagesTo(PEOPLE.admin.openId).length === 1);
    expect(JSON.stringify(fake.messagesTo(PEOPLE.admin.openId)[0]!.content)).toContain('证据不足');
  });

  it('withdraw: only the applicant may, and the case ends withdrawn', async () => {
    const handle = await start();
    await expect(
      handle.executeUpdate(withdrawUpdate, { args: [{ actorOpenId: PEOPLE.head.openId }] }),
    ).rejects.toMatchObject({ cause: { message: '只有申请人可以撤回' } });
    await handle.executeUpdate(withdrawUpdate, { args: [{ actorOpenId: PEOPLE.admin.openId, reason: '误报' }] });
    expect(await handle.result()).toMatchObject({ status: 'withdrawn', reason: '误报' });
  });

  it('withdraw (收回) asks the admin to confirm the hand-in before the register changes', async () => {
    const handle = await start({ action: 'withdraw', reason: 'transfer' });
    await decide(handle, 'unit_head', PEOPLE.head.openId, 'approved');
    await fake.waitFor(() => fake.messagesTo(PEOPLE.reviewer.openId).length === 1, 15_000);
    await decide(handle, 'bureau', PEOPLE.reviewer.openId, 'approved');
    await fake.waitFor(() => fake.messagesTo(PEOPLE.admin.openId).length === 1, 15_000);
    expect(
      await db.prisma.officer.findUnique({ where: { certNo: PEOPLE.officer.certNo }, select: { certStatus: true } }),
    ).toEqual({ certStatus: 'active' });
    await decide(handle, 'handover', PEOPLE.admin.openId, 'confirmed');
    expect(await handle.result()).toMatchObject({ status: 'executed', newStatus: 'withdrawn' });
  });

  it('walks the escalation ladder: half time, the deadline (held past quiet hours), +1 and +5 working days; never approves by itself', async () => {
    const handle = await start();
    const deadline = (await handle.query(caseViewQuery)).currentStep!.deadline!;
    // Five test holidays follow today, so 3 working days end well after them.
    expect(dateIn(TZ, new Date(deadline.dueAt))).not.toBe(holidays[0]);
    expect(Date.parse(deadline.dueAt)).toBeGreaterThan(Date.parse(`${holidays.at(-1)}T00:00:00+08:00`) + 24 * HOUR);
    expect(
      await db.prisma.deadlineItem.findFirst({
        where: { workflowId: handle.workflowId },
        select: { state: true, stepKey: true, ownerName: true, dueAt: true },
      }),
    ).toEqual({ state: 'open', stepKey: 'unit_head', ownerName: PEOPLE.head.name, dueAt: new Date(deadline.dueAt) });
    const now = await env.currentTimeMs();

    await env.sleep(Date.parse(deadline.remindAt) - now - HOUR);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messagesTo(PEOPLE.head.openId)).toHaveLength(1); // only the step card so far
    await env.sleep(2 * HOUR);
    await fake.waitFor(() => fake.messagesTo(PEOPLE.head.openId).length === 2);
    expect(JSON.stringify(fake.messagesTo(PEOPLE.head.openId)[1]!.content)).toContain('催办');

    // The deadline is 24:00; quiet hours (21:00–08:00) hold the escalation until 08:00.
    await env.sleep(Date.parse(deadline.dueAt) - (await env.currentTimeMs()) + 7 * HOUR);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messagesTo(PEOPLE.unitLeader.openId)).toHaveLength(0);
    await env.sleep(2 * HOUR);
    await fake.waitFor(() => fake.messagesTo(PEOPLE.unitLeader.openId).length === 1);
    expect(JSON.stringify(fake.messagesTo(PEOPLE.unitLeader.openId)[0]!.content)).toContain('已超期');
    expect(fake.messagesTo(PEOPLE.bureauLeader.openId)).toHaveLength(0); // the bureau hears at +5 working days

    await env.sleep('30 days');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const view = await handle.query(caseViewQuery);
    expect(view.decisions).toEqual([]);
    expect(view.currentStep).toMatchObject({ key: 'unit_head', reminders: 3 }); // due, due+1, due+5: each once
    expect(fake.messagesTo(PEOPLE.unitLeader.openId)).toHaveLength(3);
    expect(fake.messagesTo(PEOPLE.bureauLeader.openId)).toHaveLength(1);
    const rungs = await db.prisma.auditEvent.findMany({
      where: { subject: handle.workflowId, action: { in: ['case.step_reminded', 'case.step_overdue'] } },
      orderBy: { id: 'asc' },
    });
    expect(rungs.map((r) => (r.details as { milestone: string }).milestone)).toEqual(['half', 'due', 'due+1', 'due+5']);
    expect(
      await db.prisma.officer.findUnique({ where: { certNo: PEOPLE.officer.certNo }, select: { certStatus: true } }),
    ).toEqual({ certStatus: 'active' });
    await decide(handle, 'unit_head', PEOPLE.head.openId, 'rejected', '结束测试');
    expect(await handle.result()).toMatchObject({ status: 'rejected' });
    expect(
      await db.prisma.deadlineItem.findFirst({
        where: { workflowId: handle.workflowId },
        select: { state: true, outcome: true },
      }),
    ).toEqual({ state: 'done', outcome: 'rejected' });
  });
});
