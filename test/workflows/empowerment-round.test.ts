import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRegister } from '../../src/processes/empowerment/store';
import { importEmpowerment } from '../../src/processes/empowerment/import';
import { addDays } from '../../src/core/calendar';
import { dateIn } from '../../src/core/dates';
import { yearRound } from '../../src/processes/empowerment/round-rules';
import { caseViewQuery, decideUpdate, type OpenStep } from '../../src/processes/casework/contract';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { registerSheet, seedTownship, TOWN } from '../support/empowerment-fixture';
import { startWorkflowTestbed, TEST_TZ, type WorkflowTestbed } from '../support/workflow-testbed';

// A township's evaluation round in skipped time: 150 matters (100 交由行使 whose original department is not on
// the roster, 50 委托 from 县市场监管局) through self-assessment → departments → bureau → leader, with the
// worker restarted mid-round; and a self-assessment nobody answers, reminded then escalated, never decided.

const TZ = TEST_TZ;
const HOUR = 3_600_000;
const taskQueue = 'empowerment-rounds';
// No sticky cache (the testbed's default): the Java test server keeps a stopped worker's sticky queue, and the
// round would wait on it forever after the restart below (every task replays the history instead: ~90 s).
let bed: WorkflowTestbed;
let env: WorkflowTestbed['env'];
let fake: WorkflowTestbed['fake'];
let db: WorkflowTestbed['db'];
let plain: WorkflowTestbed['client'];

beforeAll(async () => {
  bed = await startWorkflowTestbed({ taskQueue });
  ({ env, fake, db, client: plain } = bed);
  await seedCounty(db.prisma);
  await seedTownship(db.prisma);
  const today = dateIn(TZ, new Date(await env.currentTimeMs()));
  await loadTestCalendar(db.prisma, today, 0);
  const imported = await importEmpowerment(
    db.prisma,
    registerSheet(TOWN.name, 100, 50),
    'test',
    'register.xlsx',
    today,
  );
  expect(imported).toMatchObject({ ok: true, versions: 1, matters: 150 });
  await bed.startWorker();
}, 180_000);

afterAll(() => bed?.close());

type Handle = WorkflowHandle;

async function openSteps(handle: Handle, prefix: string, count: number): Promise<OpenStep[]> {
  let steps: OpenStep[] = [];
  await until(
    async () => {
      try {
        steps = (await handle.query(caseViewQuery)).openSteps.filter((s) => s.key.startsWith(prefix));
      } catch {
        return false; // not started yet
      }
      return steps.length === count;
    },
    40_000,
    async () =>
      `${prefix}: ${JSON.stringify((await handle.query(caseViewQuery).catch(() => undefined))?.openSteps.map((s) => s.key))} ${JSON.stringify((await handle.describe()).raw.pendingActivities?.map((a) => [a.activityType?.name, a.lastFailure?.message]))}`,
  );
  return steps;
}

async function until(predicate: () => Promise<boolean>, timeoutMs: number, why?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms ${why ? await why() : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Answers every field of the step: `value(fieldName, label)` gives each; the owner clicks 提交. */
async function answer(
  handle: Handle,
  step: OpenStep,
  value: (name: string, label: string) => string | undefined,
  outcome = 'submitted',
) {
  const values: Record<string, string> = {};
  for (const f of step.fields ?? []) {
    const v = value(f.name, f.label);
    if (v !== undefined) values[f.name] = v;
  }
  return handle.executeUpdate(decideUpdate, {
    args: [{ stepKey: step.key, actorOpenId: step.owner.openId!, outcome, values }],
  });
}

const codeOf = (label: string) => /^([DE]\d{3})/.exec(label)?.[1] ?? '';
/** Every 7th matter reported no case in the period (零办件). */
const zeroCases = (code: string) => Number(code.slice(1)) % 7 === 0;

describe('empowerment round workflow', () => {
  it('150 matters: self-assessment → departments → bureau → leader gives the right new register version; a worker restart mid-round changes nothing', async () => {
    const handle = await plain.workflow.start('empowermentRoundWorkflow', {
      taskQueue,
      workflowId: 'empowerment-round-城关镇-2026年度',
      args: [
        {
          township: TOWN.name,
          config: yearRound(2026, { originalDepartments: { 自然资源: '县自然资源局' } }),
          startedBy: { name: PEOPLE.reviewer.name, openId: PEOPLE.reviewer.openId },
        },
      ],
    });

    // 1. Fifteen self-assessment cards reach the township admin together.
    const selfSteps = await openSteps(handle, 'self_', 15);
    await fake.waitFor(() => fake.messagesTo(TOWN.admin.openId).length === 15, 30_000);
    expect(selfSteps.every((s) => s.owner.openId === TOWN.admin.openId)).toBe(true);
    for (const step of selfSteps) {
      await answer(handle, step, (name, label) => {
        if (name.endsWith('_cases')) return zeroCases(codeOf(label)) ? '0' : '4';
        if (name.endsWith('_wish')) return codeOf(label) === 'D010' ? 'return' : 'keep';
        return { staff: '8', certified: '5', equipment: '执法车1辆', problems: '' }[name];
      });
    }

    // 2. Departments: 县市场监管局 (on the roster: its head) 5 cards; 县自然资源局 (not on the roster: the bureau) 10.
    const deptSteps = await openSteps(handle, 'dept_', 15);
    // Every card out and every desk row written before the restart (an activity cut off mid-flight waits out its timeout).
    await fake.waitFor(
      () => fake.messagesTo(PEOPLE.head.openId).length === 5 && fake.messagesTo(PEOPLE.reviewer.openId).length === 10,
      30_000,
    );
    await until(async () => !(await handle.describe()).raw.pendingActivities?.length, 30_000);

    // The worker goes away mid-round and a new one replays the history: nothing is sent twice.
    await bed.stopWorker();
    await bed.startWorker();
    expect(deptSteps.filter((s) => s.owner.openId === PEOPLE.head.openId)).toHaveLength(5);
    const byBureau = deptSteps.filter((s) => s.owner.openId === PEOPLE.reviewer.openId);
    expect(byBureau).toHaveLength(10);
    expect(byBureau[0]!.title).toContain('不在名册中');
    for (const step of deptSteps)
      await answer(handle, step, (name, label) =>
        name === 'opinion' ? '' : codeOf(label) === 'D010' ? 'withdraw' : 'keep',
      );
    expect(fake.messagesTo(TOWN.admin.openId)).toHaveLength(15);

    // 3. The bureau proposes: zero-case matters withdrawn, E002 adjusted with a new name, the rest kept.
    const reviewSteps = await openSteps(handle, 'bureau_', 15);
    for (const step of reviewSteps) {
      await answer(handle, step, (name, label) => {
        const code = codeOf(label);
        if (name === 'legality') return '合法';
        if (name.endsWith('_adjust')) return code === 'E002' ? '市场监管事项2(限警告)' : undefined;
        if (code === 'E002') return 'adjust';
        return zeroCases(code) || code === 'D010' ? 'withdraw' : 'keep';
      });
    }

    // 4. The leader decides, keeping D007 after all (one line overrides the proposal).
    const [decision] = await openSteps(handle, 'decision_', 1);
    expect(decision!.owner.openId).toBe(PEOPLE.bureauLeader.openId);
    await answer(
      handle,
      decision!,
      (name) => ({ reference: '县政发〔2026〕9号', overrides: 'D007 保留' })[name],
      'decided',
    );

    const result = await handle.result();
    // Zero-case codes among 1..100 (D) and 1..50 (E): 14 + 7; D007 kept; D010 withdrawn.
    expect(result).toMatchObject({
      status: 'decided',
      version: 2,
      counts: { keep: 150 - 21 + 1 - 1 - 1, adjust: 1, withdraw: 21 - 1 + 1 },
    });
    const register = await readRegister(db.prisma, TOWN.name, '9999-12-31');
    expect(register).toMatchObject({
      version: 2,
      decision: { kind: 'evaluation', reference: '县政发〔2026〕9号', decidedBy: PEOPLE.bureauLeader.name },
    });
    const matters = register!.grants.flatMap((g) => g.matters);
    expect(matters).toHaveLength(150 - 21);
    const codes = new Set(matters.map((m) => m.code));
    expect(codes.has('D007')).toBe(true);
    expect(codes.has('D014')).toBe(false);
    expect(codes.has('D010')).toBe(false);
    expect(matters.find((m) => m.code === 'E002')).toMatchObject({
      name: '市场监管事项2(限警告)',
      lastOutcome: 'adjust',
      lastCases: 4,
    });
    expect(matters.find((m) => m.code === 'D007')).toMatchObject({ lastOutcome: 'keep', lastCases: 0 });
    // The version before is still there: the register as it stood yesterday has 150 matters.
    const v1 = await db.prisma.empowermentVersion.findFirstOrThrow({
      where: { township: TOWN.name, version: 1 },
      include: { grants: { include: { _count: { select: { matters: true } } } } },
    });
    expect(v1.grants.reduce((n, g) => n + g._count.matters, 0)).toBe(150);
    const round = await db.prisma.empowermentRound.findUniqueOrThrow({
      where: { workflowId: 'empowerment-round-城关镇-2026年度' },
    });
    expect(round).toMatchObject({ stage: 'published', publication: { reference: '县政发〔2026〕9号' } });
    expect(round.closedAt).not.toBeNull();
    // Township, the department on the roster and the bureau are told of the decision.
    await fake.waitFor(
      () => fake.messagesTo(TOWN.admin.openId).length === 16 && fake.messagesTo(PEOPLE.head.openId).length === 6,
    );
    expect(JSON.stringify(fake.messagesTo(TOWN.admin.openId).at(-1)!.content)).toContain('收回 21 项');
    expect(await db.prisma.deadlineItem.count({ where: { workflowId: round.workflowId, state: 'open' } })).toBe(0);
  }, 420_000);

  it('a self-assessment nobody answers is reminded, then escalated to the township head, and never decided by itself', async () => {
    fake.reset();
    await importEmpowerment(
      db.prisma,
      registerSheet('龙溪镇', 3, 0),
      'test',
      'lx.xlsx',
      dateIn(TZ, new Date(await env.currentTimeMs())),
    );
    // 龙溪镇 has an admin but no head: escalation goes to the bureau's leaders.
    const handle = await plain.workflow.start('empowermentRoundWorkflow', {
      taskQueue,
      workflowId: 'empowerment-round-龙溪镇-2026年度',
      args: [
        {
          township: '龙溪镇',
          config: yearRound(2026, { selfAssessmentClock: { unit: 'workingDays', amount: 3 } }),
          startedBy: { name: PEOPLE.reviewer.name, openId: PEOPLE.reviewer.openId },
        },
      ],
    });
    const [step] = await openSteps(handle, 'self_', 1);
    await fake.waitFor(() => fake.messagesTo(TOWN.otherAdmin.openId).length === 1);
    await env.sleep(Date.parse(step!.deadline!.remindAt) - (await env.currentTimeMs()) + HOUR);
    await fake.waitFor(() => fake.messagesTo(TOWN.otherAdmin.openId).length === 2, 15_000);
    await env.sleep(Date.parse(step!.deadline!.dueAt) - (await env.currentTimeMs()) + 10 * HOUR);
    await fake.waitFor(() => fake.messagesTo(PEOPLE.bureauLeader.openId).length >= 1, 15_000);
    expect(JSON.stringify(fake.messagesTo(PEOPLE.bureauLeader.openId)[0]!.content)).toContain('已超期');
    await env.sleep('30 days');
    const view = await handle.query(caseViewQuery);
    expect(view.status).toBe('open');
    expect(view.openSteps.map((s) => s.key)).toEqual(['self_1']);
    const overdue = await db.prisma.auditEvent.count({
      where: { subject: 'empowerment-round-龙溪镇-2026年度', action: 'case.step_overdue' },
    });
    expect(overdue).toBeGreaterThan(1);
    await handle.terminate('test over');
  }, 120_000);

  it('委托 term watch: 30-day notice to the department and the bureau, late filing flagged, once each; on expiry the township is told and the register gets a version without it', async () => {
    fake.reset();
    const today = dateIn(TZ, new Date(await env.currentTimeMs()));
    const sheet = registerSheet('龙溪镇', 0, 2, {
      termStart: addDays(today, -60),
      termEnd: addDays(today, 25),
      filed: '',
    });
    expect(await importEmpowerment(db.prisma, sheet, 'test', 'lx-wt.xlsx', today)).toMatchObject({ ok: true });
    const watch = (n: number) =>
      plain.workflow.execute('empowermentTermWatchWorkflow', { taskQueue, workflowId: `term-watch-${n}`, args: [] });
    expect(await watch(1)).toMatchObject({ terms: 1, filings: 1 });
    expect(await watch(2)).toMatchObject({ terms: 0, filings: 0, messages: 0 }); // a rerun tells nobody twice
    expect(fake.messagesTo(PEOPLE.head.openId)).toHaveLength(1);
    expect(JSON.stringify(fake.messagesTo(PEOPLE.head.openId)[0]!.content)).toContain('委托期限30天内届满');
    expect(JSON.stringify(fake.messagesTo(PEOPLE.reviewer.openId).map((m) => m.content))).toContain('备案');
    expect(fake.messagesTo(TOWN.otherAdmin.openId)).toHaveLength(0);
    const versionsBefore = await db.prisma.empowermentVersion.count({ where: { township: '龙溪镇' } });
    await env.sleep('27 days');
    expect(await watch(3)).toMatchObject({ terms: 1, filings: 0 });
    expect(JSON.stringify(fake.messagesTo(TOWN.otherAdmin.openId).map((m) => m.content))).toContain(
      '不得再以委托名义行使',
    );
    // The register itself: a new version from the day after the term, recording the expiry; the day before unchanged.
    const termEnd = addDays(today, 25);
    const after = await readRegister(db.prisma, '龙溪镇', addDays(termEnd, 1));
    expect(after).toMatchObject({
      validFrom: addDays(termEnd, 1),
      decision: { kind: 'expiry', reference: '县市监委〔2025〕1号', decidedBy: '委托期限届满' },
    });
    expect(after!.grants.map((g) => g.documentNo)).not.toContain('县市监委〔2025〕1号');
    expect((await readRegister(db.prisma, '龙溪镇', termEnd))!.grants.map((g) => g.documentNo)).toContain(
      '县市监委〔2025〕1号',
    );
    expect(await watch(4)).toMatchObject({ terms: 0, messages: 0 });
    expect(await db.prisma.empowermentVersion.count({ where: { township: '龙溪镇' } })).toBe(versionsBefore + 1);
  }, 120_000);
});
