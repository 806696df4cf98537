import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCalendar } from '../../src/processes/casework/calendar-store';
import type { dailyDigestWorkflow } from '../../src/processes/desk/digest-workflow';
import { dateIn } from '../../src/core/dates';
import { certificateCaseWorkflowId } from '../../src/processes/certificate/contract';
import { cardActionEvent, messageReceiveEvent } from '../fakes/fake-feishu';
import { caseInput, loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, startHarness, type Harness } from '../support/lawdesk';

// The leaders' desk through chat: three units each with a case waiting on its head; the bureau's leader gets
// one digest card listing all three, the unit's leader one listing theirs; 催办 clicked twice nudges once;
// the head's 待办 shows the case and approving from it closes the row.

const UNITS = [
  { unit: '县市场监管局', officer: PEOPLE.officer, head: PEOPLE.head },
  {
    unit: '县应急管理局',
    officer: { name: '钱五', openId: 'ou_qian', certNo: 'YJ001' },
    head: { name: '孙局长', openId: 'ou_sun', certNo: 'YJ002' },
  },
  {
    unit: '县生态环境局',
    officer: { name: '郑六', openId: 'ou_zheng', certNo: 'ST001' },
    head: { name: '冯局长', openId: 'ou_feng', certNo: 'ST002' },
  },
];

describe("leaders' desk in chat", () => {
  let h: Harness;
  const TZ = 'Asia/Shanghai';
  const say = (openId: string, text: string) =>
    h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId, text }), { encrypt: true });
  const click = async (openId: string, value: Record<string, unknown>) => {
    const answer = await h.fake.sendEvent(h.eventUrl, cardActionEvent({ openId, value }), { encrypt: true });
    return JSON.parse(answer.body) as { toast?: { type: string; content: string } };
  };
  const inbox = (openId: string) => h.fake.messagesTo(openId);
  const digests = (openId: string) => inbox(openId).filter((m) => cardText(m.content).includes('今日待办提醒'));

  beforeAll(async () => {
    h = await startHarness();
    const prisma = h.app.ctx.prisma;
    await seedCounty(prisma);
    for (const { unit, officer, head } of UNITS.slice(1)) {
      const { id } = await prisma.unit.create({ data: { name: unit } });
      await prisma.officer.create({ data: { ...officer, unitId: id, role: 'officer' } });
      await prisma.officer.create({ data: { ...head, unitId: id, role: 'supervisor' } });
    }
    await loadTestCalendar(prisma, dateIn(TZ, new Date()), 0);
  });
  afterAll(() => h?.stop());

  it('the digest is a Schedule at 08:30 county time, every day (the workflow skips rest days by the calendar)', async () => {
    const schedule = await h.app.ctx.temporal.schedule.getHandle('daily-digest').describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyDigestWorkflow' });
    expect(schedule.spec.timezone).toBe('Asia/Shanghai');
    expect(schedule.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 8, end: 8, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
    });
  });

  it('one digest per leader, 催办 once a day, 待办 acts and closes the row', async () => {
    const p = (x: { name: string; openId: string }) => ({ name: x.name, openId: x.openId });
    for (const { unit, officer, head } of UNITS) {
      await h.app.ctx.temporal.workflow.start('certificateCaseWorkflow', {
        taskQueue: h.app.ctx.config.TEMPORAL_TASK_QUEUE,
        workflowId: certificateCaseWorkflowId(officer.certNo),
        args: [
          caseInput({
            certNo: officer.certNo,
            officer: p(officer),
            unitName: unit,
            unitHead: p(head),
            stepClock: { unit: 'workingDays', amount: 1 },
          }),
        ],
      });
    }
    for (const { head } of UNITS) await h.fake.waitFor(() => inbox(head.openId).length === 1, 15_000);
    expect(await h.app.ctx.prisma.deadlineItem.count({ where: { state: 'open' } })).toBe(3);

    // The digest for a morning three working days on: every item is then overdue.
    const calendar = await readCalendar(h.app.ctx.prisma);
    const day = calendar.addWorkingDays(dateIn(TZ, new Date()), 3);
    const run = await h.app.ctx.temporal.workflow.execute<typeof dailyDigestWorkflow>('dailyDigestWorkflow', {
      taskQueue: h.app.ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: `digest-test-${day}`,
      args: [{ day }],
    });
    expect(run).toMatchObject({ status: 'sent', daily: { leaders: 2, sent: 2, nothingDue: 0 } });
    expect(digests(PEOPLE.bureauLeader.openId)).toHaveLength(1);
    const bureauCard = cardText(digests(PEOPLE.bureauLeader.openId)[0]!.content);
    for (const { officer, head } of UNITS) {
      expect(bureauCard).toContain(`${officer.name}(${officer.certNo})`);
      expect(bureauCard).toContain(head.name);
    }
    expect(bureauCard).toContain('🔴 超期 **3**');
    const unitCard = cardText(digests(PEOPLE.unitLeader.openId)[0]!.content);
    expect(digests(PEOPLE.unitLeader.openId)).toHaveLength(1);
    expect(unitCard).toContain(PEOPLE.officer.name);
    expect(unitCard).not.toContain(UNITS[1]!.officer.name);

    // 催办 on the second unit's item, twice: its head hears once; someone who leads nothing is refused.
    const sunItem = await h.app.ctx.prisma.deadlineItem.findFirstOrThrow({ where: { unitName: UNITS[1]!.unit } });
    const nudge = buttonValue(digests(PEOPLE.bureauLeader.openId)[0]!.content, {
      action: 'deadline_nudge',
      itemId: sunItem.id,
    });
    expect((await click(PEOPLE.stranger.openId, nudge)).toast?.type).toBe('error');
    expect((await click(PEOPLE.bureauLeader.openId, nudge)).toast).toEqual({
      type: 'success',
      content: `已催办 ${UNITS[1]!.head.name}`,
    });
    expect((await click(PEOPLE.bureauLeader.openId, nudge)).toast?.content).toContain('今天已催办过');
    await h.fake.waitFor(() => inbox(UNITS[1]!.head.openId).length === 2);
    await new Promise((r) => setTimeout(r, 300));
    const nudges = inbox(UNITS[1]!.head.openId).filter((m) => cardText(m.content).includes('催办'));
    expect(nudges).toHaveLength(1);
    expect(cardText(nudges[0]!.content)).toContain(`${PEOPLE.bureauLeader.name} 催办`);
    // The unit's own leader may not nudge another unit.
    expect((await click(PEOPLE.unitLeader.openId, nudge)).toast?.content).toContain('只有分管该单位的领导');

    // 待办 for the first unit's head: the case with its button; approving from it closes the row.
    await say(PEOPLE.head.openId, '待办');
    await h.fake.waitFor(() => inbox(PEOPLE.head.openId).length === 2);
    const todo = inbox(PEOPLE.head.openId)[1]!.content;
    expect(cardText(todo)).toContain('证件暂扣 · 张三(HN001)');
    expect(cardText(todo)).toContain('单位负责人审批');
    const approve = buttonValue(todo, { action: 'case_decide', outcome: 'approved' });
    expect((await click(PEOPLE.head.openId, approve)).toast).toEqual({ type: 'success', content: '已同意' });
    await h.fake.waitFor(() => inbox(PEOPLE.reviewer.openId).length === 1, 15_000);
    const rows = await h.app.ctx.prisma.deadlineItem.findMany({
      where: { workflowId: certificateCaseWorkflowId(PEOPLE.officer.certNo) },
      orderBy: { id: 'asc' },
      select: { stepKey: true, state: true, outcome: true, ownerName: true },
    });
    expect(rows).toEqual([
      { stepKey: 'unit_head', state: 'done', outcome: 'approved', ownerName: PEOPLE.head.name },
      { stepKey: 'bureau', state: 'open', outcome: null, ownerName: PEOPLE.reviewer.name },
    ]);
    await say(PEOPLE.head.openId, '待办');
    await h.fake.waitFor(() => inbox(PEOPLE.head.openId).length === 3);
    expect(cardText(inbox(PEOPLE.head.openId)[2]!.content)).toContain('没有待办事项');
  });
});
