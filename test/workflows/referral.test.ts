import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCalendar } from '../../src/processes/casework/calendar-store';
import { addDays } from '../../src/core/calendar';
import { dateIn } from '../../src/core/dates';
import { planDeadline } from '../../src/core/deadlines';
import { chaseSchedule } from '../../src/processes/referral/leads';
import { dueAfterPauses } from '../../src/processes/referral/pauses';
import { caseViewQuery, withdrawUpdate } from '../../src/processes/casework/contract';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';
import {
  actValues,
  criminalInput,
  decide,
  ECO,
  interAgencyInput,
  leadInput,
  SEND_VALUES,
  seedReceivingUnit,
  starter,
  waitStep,
  watchSteps,
} from '../support/referral-fixture';

// Referrals in skipped time on the Java test server: 行刑衔接 on time, with a late head decision, and through
// 不立案 → 复议 → 检察院监督; an inter-agency referral refused and sent to 指定管辖; a lead sent back once and not
// twice; a lead five working days late → 通报. Five test holidays follow today, so day clocks cross a holiday.

const TZ = TEST_TZ;
const HOUR = 3_600_000;
const taskQueue = 'referrals';
const today = () => dateIn(TZ, new Date());
let bed: WorkflowTestbed;
let env: WorkflowTestbed['env'];
let fake: WorkflowTestbed['fake'];
let db: WorkflowTestbed['db'];
let client: WorkflowTestbed['client']; // the clock moves only when a test says so
let start: ReturnType<typeof starter>;

beforeAll(async () => {
  bed = await startWorkflowTestbed({ taskQueue, stickyCache: true });
  ({ env, fake, db, client } = bed);
  await seedCounty(db.prisma);
  await seedReceivingUnit(db.prisma);
  watchSteps(db.prisma);
  await loadTestCalendar(db.prisma, dateIn(TZ, new Date(await env.currentTimeMs())), 5);
  await bed.startWorker();
  start = starter(client, taskQueue);
}, 180_000);

afterAll(() => bed?.close());
afterEach(async () => {
  // A referral a test leaves waiting is withdrawn by its applicant, so it ends through its own code and later
  // sleeps skip only ours (terminating it under a running activity can leave the Java test server's clock held).
  for (const handle of start.started.splice(0)) {
    if ((await handle.describe()).status.name !== 'RUNNING') continue;
    const ended = (async () => {
      const view = await handle.query(caseViewQuery);
      await handle
        .executeUpdate(withdrawUpdate, { args: [{ actorOpenId: view.applicant.openId!, reason: 'test over' }] })
        .catch(() => undefined);
      await handle.result().catch(() => undefined);
      return true;
    })().catch(() => true);
    // A run wedged on the test server would hold every later test behind its withdrawal: after 15 s it is ended by force.
    if (!(await Promise.race([ended, sleep(15_000, false, { ref: false })])))
      await handle.terminate('test over: the run did not answer its withdrawal').catch(() => undefined);
  }
  fake.reset();
});

const texts = (openId: string) => fake.messagesTo(openId).map((m) => JSON.stringify(m.content));
const register = (workflowId: string) => db.prisma.referral.findUniqueOrThrow({ where: { workflowId } });

describe('行刑衔接 (criminal referral)', () => {
  it('on time: head approves, the liaison sends with the four documents, records receipt and 立案, the team hands over', async () => {
    const handle = await start('criminalReferralWorkflow', criminalInput());
    await expect(decide(handle, 'headDecision', PEOPLE.admin.openId, 'approved')).rejects.toMatchObject({
      cause: { message: expect.stringContaining('王局长') },
    });
    await decide(handle, 'headDecision', PEOPLE.head.openId, 'approved', { comment: '同意移送' });
    // A referral without the item list is refused at the click (310 第6条).
    const { itemList: _, ...missing } = SEND_VALUES;
    await expect(decide(handle, 'send', PEOPLE.admin.openId, 'sent', { values: missing })).rejects.toMatchObject({
      cause: { message: '请填写「涉案物品清单」' },
    });
    const view = await handle.query(caseViewQuery);
    expect(view.currentStep).toMatchObject({ key: 'send', statutory: true, deadline: { label: '24小时' } });
    await decide(handle, 'send', PEOPLE.admin.openId, 'sent', { values: SEND_VALUES });
    await decide(handle, 'policeReceipt', PEOPLE.admin.openId, 'received', {
      values: actValues(today(), '县公安受〔2026〕8号'),
    });
    // The police's 3 days run from the receipt's date, as recorded.
    await waitStep(handle, 'policeDecision');
    expect((await handle.query(caseViewQuery)).currentStep!.deadline!.startedAt).toBe(
      new Date(`${today()}T00:00:00+08:00`).toISOString(),
    );
    await decide(handle, 'policeDecision', PEOPLE.admin.openId, 'filed', {
      values: actValues(today(), '县公立字〔2026〕9号'),
    });
    await decide(handle, 'handover', PEOPLE.officer.openId, 'handedOver');
    expect(await handle.result()).toMatchObject({ status: 'closed', steps: 5, late: 0 });
    expect(await register(handle.workflowId)).toMatchObject({
      status: 'closed',
      stepsDone: 5,
      stepsLate: 0,
      refusals: 0,
      counterpart: '县公安局',
    });
    const audit = await db.prisma.auditEvent.findMany({
      where: { subject: handle.workflowId, action: { startsWith: 'referral.' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'referral.opened',
      'referral.headDecision.approved',
      'referral.send.sent',
      'referral.policeReceipt.received',
      'referral.policeDecision.filed',
      'referral.handover.handedOver',
    ]);
    expect(JSON.stringify(audit[4]!.details)).toContain('县公立字〔2026〕9号');
    await fake.waitFor(() => texts(PEOPLE.officer.openId).some((t) => t.includes('已结束')));
  });

  it('不立案 → 复议 → still refused → 检察院立案监督; each refusal counted', async () => {
    const handle = await start('criminalReferralWorkflow', criminalInput({ title: '不立案案' }));
    await decide(handle, 'headDecision', PEOPLE.head.openId, 'approved');
    await decide(handle, 'send', PEOPLE.admin.openId, 'sent', { values: SEND_VALUES });
    await decide(handle, 'policeReceipt', PEOPLE.admin.openId, 'received', { values: actValues(today(), '受1') });
    // A notice dated yesterday: the agency's 3 days for 复议 count from it, not from today's recording.
    const yesterday = addDays(today(), -1);
    await decide(handle, 'policeDecision', PEOPLE.admin.openId, 'refused', { values: actValues(yesterday, '不立1') });
    await waitStep(handle, 'reconsiderationRequest');
    expect((await handle.query(caseViewQuery)).currentStep!.deadline!.dueAt).toBe(
      new Date(`${addDays(yesterday, 4)}T00:00:00+08:00`).toISOString(),
    );
    await expect(decide(handle, 'reconsiderationRequest', PEOPLE.head.openId, 'accepted')).rejects.toMatchObject({
      cause: { message: expect.stringContaining('理由') },
    });
    await decide(handle, 'reconsiderationRequest', PEOPLE.head.openId, 'requested');
    await decide(handle, 'reconsiderationDecision', PEOPLE.admin.openId, 'refused', {
      values: actValues(today(), '复议1'),
    });
    await decide(handle, 'supervisionRequest', PEOPLE.head.openId, 'requested');
    await decide(handle, 'supervisionOutcome', PEOPLE.admin.openId, 'refused', { values: actValues(today(), '检监1') });
    expect(await handle.result()).toMatchObject({ status: 'refused', steps: 8 });
    expect(await register(handle.workflowId)).toMatchObject({ status: 'refused', refusals: 3 });
  });

  it('an outside act dated in the future is not accepted: the liaison records it again', async () => {
    const handle = await start('criminalReferralWorkflow', criminalInput({ title: '登记错误案' }));
    await decide(handle, 'headDecision', PEOPLE.head.openId, 'approved');
    await decide(handle, 'send', PEOPLE.admin.openId, 'sent', { values: SEND_VALUES });
    await decide(handle, 'policeReceipt', PEOPLE.admin.openId, 'received', {
      values: actValues(addDays(today(), 3), '受2'),
    });
    await decide(handle, 'policeReceipt-2', PEOPLE.admin.openId, 'received', { values: actValues(today(), '受2') });
    await waitStep(handle, 'policeDecision');
    expect(texts(PEOPLE.admin.openId).some((t) => t.includes('日期不能晚于今天'))).toBe(true);
    expect(
      await db.prisma.auditEvent.count({ where: { subject: handle.workflowId, action: 'referral.act_refused' } }),
    ).toBe(1);
  });
});

describe('行刑衔接 extension and 反向移送', () => {
  it('economic crimes: the police may extend once, from 3 to 10 days counted from receipt; an ordinary case cannot', async () => {
    const handle = await start(
      'criminalReferralWorkflow',
      criminalInput({ title: '经济犯罪案', crimeType: 'economic' }),
    );
    await decide(handle, 'headDecision', PEOPLE.head.openId, 'approved');
    await decide(handle, 'send', PEOPLE.admin.openId, 'sent', { values: SEND_VALUES });
    await decide(handle, 'policeReceipt', PEOPLE.admin.openId, 'received', { values: actValues(today(), '受3') });
    await waitStep(handle, 'policeDecision');
    expect((await handle.query(caseViewQuery)).currentStep!.deadline!.label).toBe('3日');
    await decide(handle, 'policeDecision', PEOPLE.admin.openId, 'extended', { values: actValues(today(), '延1') });
    await waitStep(handle, 'policeDecision-2');
    const step = (await handle.query(caseViewQuery)).currentStep!;
    expect(step.deadline).toMatchObject({
      label: '10日',
      startedAt: new Date(`${today()}T00:00:00+08:00`).toISOString(),
    });
    await expect(
      decide(handle, 'policeDecision-2', PEOPLE.admin.openId, 'extended', { values: actValues(today(), '延2') }),
    ).rejects.toMatchObject({ cause: { message: '这一步不能这样处理' } });

    const ordinary = await start('criminalReferralWorkflow', criminalInput({ title: '一般案' }));
    await decide(ordinary, 'headDecision', PEOPLE.head.openId, 'approved');
    await decide(ordinary, 'send', PEOPLE.admin.openId, 'sent', { values: SEND_VALUES });
    await decide(ordinary, 'policeReceipt', PEOPLE.admin.openId, 'received', { values: actValues(today(), '受4') });
    await expect(
      decide(ordinary, 'policeDecision', PEOPLE.admin.openId, 'extended', { values: actValues(today(), '延3') }),
    ).rejects.toMatchObject({ cause: { message: '这一步不能这样处理' } });
  });

  it('反向移送: the police send a case back; the liaison records it, the head accepts, the team reports back', async () => {
    const handle = await start('reverseReferralWorkflow', {
      unitName: '县市场监管局',
      police: '县公安局',
      title: '不构成犯罪退回案',
      summary: '经审查不构成犯罪,需行政处罚',
      applicant: { name: PEOPLE.admin.name, openId: PEOPLE.admin.openId },
    });
    await decide(handle, 'receipt', PEOPLE.admin.openId, 'received', {
      values: actValues(today(), '县公移〔2026〕5号'),
    });
    await decide(handle, 'acceptance', PEOPLE.head.openId, 'accepted');
    await decide(handle, 'feedback', PEOPLE.admin.openId, 'reported', { values: { answer: '已立案查处,罚款 2 万元' } });
    expect(await handle.result()).toMatchObject({ status: 'closed', steps: 3 });
    expect(await register(handle.workflowId)).toMatchObject({
      kind: 'reverse',
      counterpart: '县公安局',
      status: 'closed',
    });
  });
});

describe('案件移送 between administrative bodies', () => {
  it('refused by the receiving unit → 指定管辖 by the bureau; a non-member cannot sign', async () => {
    const handle = await start('interAgencyReferralWorkflow', interAgencyInput());
    expect((await (await waitStep(handle, 'send'), handle.query(caseViewQuery))).currentStep!.deadline!.label).toBe(
      '3个工作日',
    );
    await decide(handle, 'send', PEOPLE.admin.openId, 'sent', { values: { letterNo: '县市监移函〔2026〕3号' } });
    await expect(decide(handle, 'receipt', PEOPLE.stranger.openId, 'signed')).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    await decide(handle, 'receipt', ECO.admin.openId, 'signed');
    await expect(decide(handle, 'acceptance', ECO.admin.openId, 'refused')).rejects.toMatchObject({
      cause: { message: expect.stringContaining('理由') },
    });
    await decide(handle, 'acceptance', ECO.admin.openId, 'refused', { comment: '不属于本局管辖' });
    await decide(handle, 'dispute', PEOPLE.admin.openId, 'submitted');
    await waitStep(handle, 'designation');
    expect((await handle.query(caseViewQuery)).currentStep).toMatchObject({
      owner: { name: PEOPLE.reviewer.name },
      deadline: { label: '5个工作日' },
    });
    await decide(handle, 'designation', PEOPLE.reviewer.openId, 'designated', { values: { designatedUnit: ECO.unit } });
    expect(await handle.result()).toMatchObject({ status: 'closed', steps: 5 });
    expect(await register(handle.workflowId)).toMatchObject({ refusals: 1, status: 'closed' });
  });

  it('an urgent kind (food) must be sent within 24 hours, a statutory clock', async () => {
    const handle = await start(
      'interAgencyReferralWorkflow',
      interAgencyInput({ matterKind: 'food', title: '食品案' }),
    );
    await waitStep(handle, 'send');
    expect((await handle.query(caseViewQuery)).currentStep).toMatchObject({
      statutory: true,
      deadline: { label: '24小时' },
    });
  });
});

describe('问题线索 (hotline leads)', () => {
  it('sent back once, re-dispatched to another unit, which cannot send it back again', async () => {
    const handle = await start('leadWorkflow', leadInput());
    await expect(decide(handle, 'sign', PEOPLE.admin.openId, 'sentBack')).rejects.toMatchObject({
      cause: { message: expect.stringContaining('理由') },
    });
    await decide(handle, 'sign', PEOPLE.admin.openId, 'sentBack', { comment: '属生态环境部门职责' });
    await decide(handle, 'dispatch', PEOPLE.reviewer.openId, 'dispatched', { values: { unit: ECO.unit } });
    await expect(decide(handle, 'sign-2', ECO.admin.openId, 'sentBack', { comment: '再退' })).rejects.toMatchObject({
      cause: { message: '这一步不能这样处理' },
    });
    await decide(handle, 'sign-2', ECO.admin.openId, 'signed');
    await decide(handle, 'reply', ECO.admin.openId, 'replied', { values: { answer: '已责令下架' } });
    await decide(handle, 'close', PEOPLE.reviewer.openId, 'satisfied');
    expect(await handle.result()).toMatchObject({ status: 'closed' });
    expect(await register(handle.workflowId)).toMatchObject({ sendBacks: 1, unitName: ECO.unit, status: 'closed' });
  });

  it('five working days late → 通报 to the unit head and the bureau, not before', async () => {
    const handle = await start('leadWorkflow', leadInput({ leadType: 'question', title: '超期线索' }));
    await decide(handle, 'sign', PEOPLE.admin.openId, 'signed');
    await waitStep(handle, 'reply');
    const deadline = (await handle.query(caseViewQuery)).currentStep!.deadline!;
    const calendar = await readCalendar(db.prisma);
    expect(deadline.dueAt).toBe(
      planDeadline(calendar, new Date(deadline.startedAt), { unit: 'workingDays', amount: 3 }, TZ).dueAt,
    );
    const notice = chaseSchedule(calendar, new Date(deadline.startedAt), deadline.dueAt, TZ).find(
      (e) => e.kind === 'notice',
    )!;
    await env.sleep(Date.parse(notice.at) - (await env.currentTimeMs()) - HOUR);
    await new Promise((r) => setTimeout(r, 500));
    expect(texts(PEOPLE.head.openId).some((t) => t.includes('催办(已超期)'))).toBe(true);
    expect(texts(PEOPLE.head.openId).some((t) => t.includes('通报'))).toBe(false);
    await env.sleep(2 * HOUR);
    await fake.waitFor(
      () =>
        texts(PEOPLE.head.openId).some((t) => t.includes('通报')) &&
        texts(PEOPLE.bureauLeader.openId).some((t) => t.includes('通报')),
    );
    expect(
      await db.prisma.auditEvent.count({ where: { subject: handle.workflowId, action: 'referral.lead_notice' } }),
    ).toBe(1);
    await decide(handle, 'reply', PEOPLE.admin.openId, 'replied', { values: { answer: '已答复' } });
    await decide(handle, 'close', PEOPLE.reviewer.openId, 'basic');
    expect(await handle.result()).toMatchObject({ status: 'closed', late: 1 });
  });
});

// Last: it moves the test server's clock days ahead of the wall clock, and the liaison's recorded dates (checked
// against the wall clock) would then start clocks already run out.
describe('问题线索, send-back window', () => {
  it('a send-back after 2 working days from dispatch is not accepted: the unit must handle the lead', async () => {
    const handle = await start('leadWorkflow', leadInput({ title: '过期退单线索' }));
    await waitStep(handle, 'sign');
    const dispatchedAt = (await handle.query(caseViewQuery)).currentStep!.deadline!.startedAt;
    const window = planDeadline(
      await readCalendar(db.prisma),
      new Date(dispatchedAt),
      { unit: 'workingDays', amount: 2 },
      TZ,
    );
    await env.sleep(Date.parse(window.dueAt) - (await env.currentTimeMs()) + HOUR);
    await decide(handle, 'sign', PEOPLE.admin.openId, 'sentBack', { comment: '不属本单位' });
    await waitStep(handle, 'sign-2');
    await fake.waitFor(() => texts(PEOPLE.admin.openId).some((t) => t.includes('已超过退单期限')));
    expect(
      await db.prisma.auditEvent.count({ where: { subject: handle.workflowId, action: 'referral.send_back_refused' } }),
    ).toBe(1);
    await decide(handle, 'sign-2', PEOPLE.admin.openId, 'signed');
    await expect(decide(handle, 'reply', PEOPLE.admin.openId, 'replied')).resolves.toBeDefined();
    await waitStep(handle, 'reply-2'); // a reply without its content is sent back to be filled in
    expect(await register(handle.workflowId)).toMatchObject({ sendBacks: 0 });
    // sign-2 opened with its rung and chase already past: sent at once, with no 1 ms timer to race the next click
    // (the test server wedged a run whose task cancelled a timer it had just fired, about one run in three).
    const { events } = await handle.fetchHistory();
    expect(
      events!.filter((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 1) === 0),
    ).toEqual([]);
  });
});

describe('问题线索, 挂起', () => {
  it("the reply clock stops from the head's approval to resumption, and the deadline moves by the working days paused", async () => {
    const handle = await start('leadWorkflow', leadInput({ leadType: 'question', title: '挂起线索' }));
    await decide(handle, 'sign', PEOPLE.admin.openId, 'signed');
    await waitStep(handle, 'reply');
    const first = (await handle.query(caseViewQuery)).currentStep!.deadline!;
    await expect(
      decide(handle, 'reply', PEOPLE.admin.openId, 'pauseRequested', {
        values: { pauseReason: 'awaitingExpertOpinion' },
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringContaining('理由') } });
    await decide(handle, 'reply', PEOPLE.admin.openId, 'pauseRequested', {
      comment: '样品送检,等待检验报告',
      values: { pauseReason: 'awaitingExpertOpinion' },
    });
    await expect(decide(handle, 'pauseApproval', PEOPLE.admin.openId, 'approved')).rejects.toMatchObject({
      cause: { message: expect.stringContaining(PEOPLE.head.name) },
    });
    await decide(handle, 'pauseApproval', PEOPLE.head.openId, 'approved');
    await waitStep(handle, 'paused');
    await env.sleep('8 days'); // past the five test holidays: working days are paused too
    await decide(handle, 'paused', PEOPLE.admin.openId, 'resumed');
    await waitStep(handle, 'reply-2');
    const view = await handle.query(caseViewQuery);
    const [approved, resumed] = [
      view.decisions.find((d) => d.stepKey === 'pauseApproval')!,
      view.decisions.find((d) => d.stepKey === 'paused')!,
    ];
    const pause = {
      reason: 'awaitingExpertOpinion',
      requestedBy: PEOPLE.admin.openId,
      approvedBy: PEOPLE.head.openId,
      from: approved.at,
      to: resumed.at,
    };
    const moved = dueAfterPauses(
      await readCalendar(db.prisma),
      first.dueAt,
      { unit: 'workingDays', amount: 3 },
      [pause],
      new Date(resumed.at),
      TZ,
    );
    expect(Date.parse(moved)).toBeGreaterThan(Date.parse(first.dueAt));
    expect(view.currentStep!.deadline).toMatchObject({ dueAt: moved, label: '3个工作日' });
    await decide(handle, 'reply-2', PEOPLE.admin.openId, 'replied', { values: { answer: '检验合格,已答复来电人' } });
    await decide(handle, 'close', PEOPLE.reviewer.openId, 'satisfied');
    expect(await handle.result()).toMatchObject({ status: 'closed' });
  });
});

describe('行刑衔接, late', () => {
  it('a late head decision: reminded at half time, escalated at the deadline, recorded as late', async () => {
    const handle = await start('criminalReferralWorkflow', criminalInput({ title: '迟延决定案' }));
    await waitStep(handle, 'headDecision');
    const deadline = (await handle.query(caseViewQuery)).currentStep!.deadline!;
    expect(deadline.label).toBe('3日');
    await env.sleep(Date.parse(deadline.remindAt) - (await env.currentTimeMs()) + 11 * HOUR); // past any quiet-hours hold
    await fake.waitFor(() => texts(PEOPLE.head.openId).some((t) => t.includes('催办')));
    expect(fake.messagesTo(PEOPLE.unitLeader.openId)).toHaveLength(0);
    // Past 24:00 of the third day and out of quiet hours: the unit's leader hears it.
    await env.sleep(Date.parse(deadline.dueAt) - (await env.currentTimeMs()) + 10 * HOUR);
    await fake.waitFor(() => texts(PEOPLE.unitLeader.openId).some((t) => t.includes('已超期')));
    const decided = await decide(handle, 'headDecision', PEOPLE.head.openId, 'approved');
    expect(decided.decisions.at(-1)).toMatchObject({ stepKey: 'headDecision', late: true });
    await waitStep(handle, 'send');
    expect(await register(handle.workflowId)).toMatchObject({ stepsDone: 1, stepsLate: 1, stepKey: 'send' });
    expect(
      await db.prisma.auditEvent.count({ where: { subject: handle.workflowId, action: 'case.step_overdue' } }),
    ).toBeGreaterThan(0);
  });
});

describe('monthly bulletin', () => {
  it("each leader gets the month's referrals of what they lead, with stage and outcome, once", async () => {
    const month = dateIn(TZ, new Date()).slice(0, 7); // the register rows above were opened this (wall-clock) month
    const run = () =>
      client.workflow.execute('referralBulletinWorkflow', {
        taskQueue,
        workflowId: `bulletin-${month}-${Date.now()}`,
        args: [{ month }],
      });
    expect(await run()).toEqual({ month, sent: 2 });
    await run(); // a re-run sends nothing twice (the message uuid per leader and month)
    await fake.waitFor(
      () =>
        fake.messagesTo(PEOPLE.bureauLeader.openId).length >= 1 &&
        fake.messagesTo(PEOPLE.unitLeader.openId).length >= 1,
    );
    await new Promise((r) => setTimeout(r, 300));
    const county = texts(PEOPLE.bureauLeader.openId).filter((t) => t.includes('移送和线索月报'));
    const unit = texts(PEOPLE.unitLeader.openId).filter((t) => t.includes('移送和线索月报'));
    expect([county.length, unit.length]).toEqual([1, 1]);
    expect(county[0]).toContain('全县');
    expect(county[0]).toMatch(/行刑衔接.*某商行销售伪劣产品案\(县公安局\) · 办结 · 移交涉案物品和材料/);
    expect(county[0]).toContain('未立案/被拒收');
    expect(county[0]).toContain(ECO.unit); // the re-dispatched lead is now the eco unit's
    expect(unit[0]).not.toContain(`${ECO.unit} · `);
  });
});
