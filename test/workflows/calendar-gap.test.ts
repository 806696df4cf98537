import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  loadCalendarFile,
  replanProvisionalSteps,
  SHIPPED_CALENDAR_DIR,
} from '../../src/processes/casework/calendar-store';
import { caseViewQuery, decideUpdate } from '../../src/processes/casework/contract';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';
import type { dailyDigestWorkflow, pinnedCertificateStepWorkflow } from './fixtures/pinned-certificate-step';

// Issue 20 item 9, across the 2026 → 2027 boundary: a certificate step opened on Wednesday 2026-12-30 with only
// the shipped 2026 notice loaded sends its card at once with a provisional (暂定) deadline — 31 Dec, then 元旦
// and a weekend, 4 and 5 Jan — and loading 2027 plans it again: the card and the desk follow, and the owner is
// told when the deadline moved. The step's start and the activities' clock are pinned to that Wednesday.

const taskQueue = 'calendar-gap';
const OPENED = '2026-12-30T02:00:00.000Z'; // Wednesday 10:00 Beijing time
const PROVISIONAL_DUE = '2027-01-05T16:00:00.000Z'; // Tuesday 5 Jan 24:00
const person = (k: keyof typeof PEOPLE) => ({ name: PEOPLE[k].name, openId: PEOPLE[k].openId });
let bed: WorkflowTestbed;
let fake: WorkflowTestbed['fake'];
let db: WorkflowTestbed['db'];
let dir: string;

beforeAll(async () => {
  bed = await startWorkflowTestbed({
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./fixtures/pinned-certificate-step.ts', import.meta.url)),
    now: () => new Date(OPENED),
  });
  ({ fake, db } = bed);
  await seedCounty(db.prisma);
  // No escalation ladder: its rungs are timers on the test server's clock, which starts at today's date; the plan
  // and its recomputation are what is tested here (the ladder has its own tests).
  await db.prisma.escalationRule.deleteMany();
  const shipped = await loadCalendarFile(db.prisma, path.join(SHIPPED_CALENDAR_DIR, 'cn-2026.csv'), 'test');
  expect(shipped).toEqual({ ok: true, years: [2026] });
  dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-gap-'));
  await bed.startWorker();
}, 180_000);

afterAll(async () => {
  await bed?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  fake.reset();
  await db.prisma.calendarYear.deleteMany({ where: { year: 2027 } }); // its days go with it
});

let caseNo = 0;
async function openStep() {
  const handle = await bed.client.workflow.start<typeof pinnedCertificateStepWorkflow>(
    'pinnedCertificateStepWorkflow',
    {
      taskQueue,
      workflowId: `certificate-gap-${++caseNo}`,
      args: [
        { startedAt: OPENED, head: person('head'), applicant: person('admin'), escalateTo: [person('unitLeader')] },
      ],
    },
  );
  // At once: the plan no longer waits (the old code retried planStep for an hour, and again, until 2027 was loaded).
  await fake.waitFor(() => fake.messagesTo(PEOPLE.head.openId).length === 1, 10_000);
  return handle;
}

async function load2027(lines: string[]): Promise<void> {
  const file = path.join(dir, `cn-2027-${caseNo}.csv`);
  writeFileSync(file, ['日期,类型,名称', ...lines].join('\n'));
  expect(await loadCalendarFile(db.prisma, file, 'test')).toEqual({ ok: true, years: [2027] });
  expect(await replanProvisionalSteps(db.prisma, bed.client, TEST_TZ)).toEqual({ cases: 1, failed: [] });
}

const row = (workflowId: string) =>
  db.prisma.deadlineItem.findFirstOrThrow({
    where: { workflowId },
    select: { dueAt: true, provisional: true, state: true },
  });
const text = (m: { content: unknown }) => JSON.stringify(m.content);

describe('a step whose deadline falls in a year with no notice', () => {
  it('sends its card at once marked 暂定; a 2027 notice that keeps 5 Jan a working day clears the mark and tells nobody', async () => {
    const handle = await openStep();
    const card = fake.messagesTo(PEOPLE.head.openId)[0]!;
    expect(text(card)).toContain('1/5 24:00 前(剩 6天14小时;暂定,2027 年放假安排未导入)');
    expect((await handle.query(caseViewQuery)).currentStep!.deadline).toMatchObject({
      dueAt: PROVISIONAL_DUE,
      provisional: true,
    });
    expect(await row(handle.workflowId)).toEqual({
      dueAt: new Date(PROVISIONAL_DUE),
      provisional: true,
      state: 'open',
    });

    // 元旦 2027 falls on a Friday: 1–3 Jan off, no 调休. The deadline stays; only the mark goes.
    await load2027(['2027-01-01,休,元旦', '2027-01-02,休,元旦', '2027-01-03,休,元旦']);
    await fake.waitFor(() => !text({ content: fake.latestContent(card.messageId) }).includes('暂定'), 10_000);
    expect(await row(handle.workflowId)).toEqual({
      dueAt: new Date(PROVISIONAL_DUE),
      provisional: false,
      state: 'open',
    });
    expect(text({ content: fake.latestContent(card.messageId) })).toContain('1/5 24:00 前');
    expect(fake.messagesTo(PEOPLE.head.openId)).toHaveLength(1); // not moved: nobody is told

    await handle.executeUpdate(decideUpdate, {
      args: [{ stepKey: 'unit_head', actorOpenId: PEOPLE.head.openId, outcome: 'approved' }],
    });
    expect(await handle.result()).toMatchObject({ outcome: 'approved' });
  });

  it('moves the deadline when the notice gives a day off the provisional plan counted, and tells the owner', async () => {
    const handle = await openStep();
    expect(text(fake.messagesTo(PEOPLE.head.openId)[0]!)).toContain('暂定,2027 年放假安排未导入');

    // A notice that also gives Monday 4 Jan: the third working day is now Wednesday 6 Jan.
    await load2027(['2027-01-01,休,元旦', '2027-01-02,休,元旦', '2027-01-03,休,元旦', '2027-01-04,休,元旦']);
    await fake.waitFor(() => fake.messagesTo(PEOPLE.head.openId).length === 2, 10_000);
    const told = fake.messagesTo(PEOPLE.head.openId)[1]!;
    expect(told.msgType).toBe('text');
    expect(text(told)).toContain(
      '2027 年放假安排已导入:「证件暂扣 · 张三(HN001)」单位负责人审批的期限重新计算,由 1/5 24:00 改为 1/6 24:00。',
    );
    expect(await row(handle.workflowId)).toEqual({
      dueAt: new Date('2027-01-06T16:00:00.000Z'),
      provisional: false,
      state: 'open',
    });
    expect((await handle.query(caseViewQuery)).currentStep!.deadline).toMatchObject({
      dueAt: '2027-01-06T16:00:00.000Z',
    });
    const card = fake.messagesTo(PEOPLE.head.openId)[0]!;
    await fake.waitFor(
      () => text({ content: fake.latestContent(card.messageId) }).includes('1/6 24:00 前(剩 7天14小时)'),
      10_000,
    );
    const audit = await db.prisma.auditEvent.findMany({
      where: { subject: handle.workflowId, action: 'case.step_replanned' },
    });
    expect(audit.map((a) => a.details)).toEqual([
      {
        step: 'unit_head',
        from: PROVISIONAL_DUE,
        to: '2027-01-06T16:00:00.000Z',
        provisional: false,
        told: PEOPLE.head.name,
      },
    ]);

    // A second sweep (the daily watch) finds nothing left to plan again.
    expect(await replanProvisionalSteps(db.prisma, bed.client, TEST_TZ)).toEqual({ cases: 0, failed: [] });
    await handle.executeUpdate(decideUpdate, {
      args: [{ stepKey: 'unit_head', actorOpenId: PEOPLE.head.openId, outcome: 'rejected', comment: '结束测试' }],
    });
    expect(await handle.result()).toMatchObject({ outcome: 'rejected' });
  });
});

describe('the calendar watch (on the daily digest, working days)', () => {
  const digest = (day: string, run = '') =>
    bed.client.workflow.execute<typeof dailyDigestWorkflow>('dailyDigestWorkflow', {
      taskQueue,
      workflowId: `digest-${day}${run}`,
      args: [{ day }],
    });
  const reminders = () =>
    fake.messagesTo(PEOPLE.reviewer.openId).filter((m) => text(m).includes('节假日安排还没有导入'));

  it('reminds each bureau person once a working day from 1 November until next year is loaded', async () => {
    expect(await digest('2026-10-30')).toMatchObject({ status: 'sent', calendar: { reminded: 0 } }); // October: not yet
    expect(reminders()).toHaveLength(0);
    expect(await digest('2026-11-02')).toMatchObject({
      status: 'sent',
      calendar: { missingYear: 2027, reminded: 1, failed: [] },
    });
    expect(reminders()).toHaveLength(1);
    expect(text(reminders()[0]!)).toContain('2027 年的节假日安排还没有导入执法通');
    expect(await digest('2026-11-02', '-again')).toMatchObject({ calendar: { missingYear: 2027, reminded: 0 } }); // a rerun of the day
    expect(await digest('2026-11-07')).toMatchObject({ status: 'rest-day' }); // Saturday
    expect(await digest('2026-11-09')).toMatchObject({ calendar: { reminded: 1 } });
    expect(reminders()).toHaveLength(2);
    expect(fake.messagesTo(PEOPLE.bureauLeader.openId).filter((m) => text(m).includes('节假日安排'))).toHaveLength(0); // the bureau's staff, not its leaders
  });

  it('asks a case to plan again when the year was loaded without a Temporal client at hand (the CLI on its own)', async () => {
    const handle = await openStep();
    await loadCalendarFile(
      db.prisma,
      writeNotice(['2027-01-01,休,元旦', '2027-01-02,休,元旦', '2027-01-03,休,元旦', '2027-01-04,休,元旦']),
      'cli',
    );
    expect(await digest('2026-12-31')).toMatchObject({ calendar: { reminded: 0, replanned: 1 } });
    await fake.waitFor(
      () => fake.messagesTo(PEOPLE.head.openId).some((m) => text(m).includes('由 1/5 24:00 改为 1/6 24:00')),
      10_000,
    );
    expect(await row(handle.workflowId)).toEqual({
      dueAt: new Date('2027-01-06T16:00:00.000Z'),
      provisional: false,
      state: 'open',
    });
    expect(reminders()).toHaveLength(0);
    await handle.executeUpdate(decideUpdate, {
      args: [{ stepKey: 'unit_head', actorOpenId: PEOPLE.head.openId, outcome: 'approved' }],
    });
    await handle.result();
  });
});

function writeNotice(lines: string[]): string {
  const file = path.join(dir, `notice-${++caseNo}.csv`);
  writeFileSync(file, ['日期,类型,名称', ...lines].join('\n'));
  return file;
}
