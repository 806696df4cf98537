import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRegister } from '../../src/processes/empowerment/store';
import { importEmpowerment } from '../../src/processes/empowerment/import';
import { dateIn } from '../../src/core/dates';
import { caseViewQuery } from '../../src/processes/casework/contract';
import { cardActionEvent, messageReceiveEvent } from '../fakes/fake-feishu';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { registerSheet, seedTownship, TOWN } from '../support/empowerment-fixture';
import { buttonValue, cardText, startHarness, type Harness } from '../support/lawdesk';

// An evaluation round through chat, the real SDK against the fake Feishu: the bureau starts it with
// 发起赋权评估, the township admin answers the self-assessment cards, another township's admin is refused,
// the department and the bureau decide by card clicks, the leader decides, and the register changes.

describe('empowerment in chat', () => {
  let h: Harness;
  const TZ = 'Asia/Shanghai';
  const say = (openId: string, text: string) =>
    h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId, text }), { encrypt: true });
  const click = async (openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) => {
    const answer = await h.fake.sendEvent(h.eventUrl, cardActionEvent({ openId, value, formValue }), { encrypt: true });
    return JSON.parse(answer.body) as { toast?: { type: string; content: string } };
  };
  const cards = (openId: string, word: string) =>
    h.fake.messagesTo(openId).filter((m) => cardText(m.content).includes(word));
  const workflowId = `empowerment-round-${TOWN.name}-${dateIn(TZ, new Date()).slice(0, 4)}年度`;

  /** Fills the card's form the way the person would: every field the step names, by `value`. */
  async function answerCard(
    openId: string,
    content: unknown,
    value: (name: string, label: string) => string | undefined,
    outcome = 'submitted',
  ) {
    const button = buttonValue(content, { action: 'case_decide', outcome });
    const view = await h.app.ctx.temporal.workflow.getHandle(workflowId).query(caseViewQuery);
    const step = view.openSteps.find((s) => s.key === button.stepKey)!;
    const form: Record<string, string> = {};
    for (const f of step.fields ?? []) {
      const v = value(f.name, f.label);
      if (v !== undefined) form[f.name] = v;
    }
    return click(openId, button, form);
  }

  beforeAll(async () => {
    h = await startHarness();
    const prisma = h.app.ctx.prisma;
    await seedCounty(prisma);
    await seedTownship(prisma);
    const today = dateIn(TZ, new Date());
    await loadTestCalendar(prisma, today, 0);
    expect(
      await importEmpowerment(prisma, registerSheet(TOWN.name, 8, 4), 'test', 'register.csv', today),
    ).toMatchObject({ ok: true, matters: 12 });
  });
  afterAll(() => h?.stop());

  it('赋权 shows the township its matters; 赋权台账 is the bureau’s, refused to a township admin', async () => {
    await say(TOWN.admin.openId, '赋权');
    await h.fake.waitFor(() => h.fake.messagesTo(TOWN.admin.openId).length === 1, 10_000);
    const mine = cardText(h.fake.messagesTo(TOWN.admin.openId)[0]!.content);
    expect(mine).toContain('12 项');
    expect(mine).toContain('县市监委〔2025〕1号');
    await say(TOWN.admin.openId, '赋权台账');
    await h.fake.waitFor(() => h.fake.messagesTo(TOWN.admin.openId).length === 2, 10_000);
    expect(cardText(h.fake.messagesTo(TOWN.admin.openId)[1]!.content)).toContain('由司法局和领导查看');
  });

  it('a round by card clicks changes the register; another township’s admin is refused', async () => {
    await say(PEOPLE.reviewer.openId, '发起赋权评估');
    await h.fake.waitFor(() => cards(TOWN.admin.openId, '乡镇自评 第').length === 2, 20_000);

    const [first, second] = cards(TOWN.admin.openId, '乡镇自评 第');
    const refused = await click(TOWN.otherAdmin.openId, buttonValue(first!.content, { action: 'case_decide' }), {
      staff: '1',
    });
    expect(refused.toast).toMatchObject({ type: 'error', content: expect.stringContaining('您不是这一步的处理人') });

    const selfAnswer = (name: string) =>
      name.endsWith('_cases')
        ? '3'
        : name.endsWith('_wish')
          ? 'keep'
          : { staff: '6', certified: '4', equipment: '执法车1辆', problems: '无' }[name];
    expect((await answerCard(TOWN.admin.openId, first!.content, selfAnswer)).toast).toMatchObject({ type: 'success' });
    expect((await answerCard(TOWN.admin.openId, second!.content, selfAnswer)).toast).toMatchObject({ type: 'success' });

    // 县市场监管局 (on the roster) gives its opinion through its head; 自然资源's department is not on the roster: the bureau.
    await h.fake.waitFor(
      () =>
        cards(PEOPLE.head.openId, '意见').length === 1 && cards(PEOPLE.reviewer.openId, '原主管部门意见').length === 1,
      20_000,
    );
    const keepAll = (name: string) => (name === 'opinion' ? '同意' : 'keep');
    expect(
      (await answerCard(PEOPLE.head.openId, cards(PEOPLE.head.openId, '意见')[0]!.content, keepAll)).toast,
    ).toMatchObject({ type: 'success' });
    expect(
      (await answerCard(PEOPLE.reviewer.openId, cards(PEOPLE.reviewer.openId, '原主管部门意见')[0]!.content, keepAll))
        .toast,
    ).toMatchObject({ type: 'success' });

    // The bureau's legality review proposes to withdraw D001; the leader decides as proposed.
    await h.fake.waitFor(() => cards(PEOPLE.reviewer.openId, '合法性审查').length === 2, 20_000);
    for (const review of cards(PEOPLE.reviewer.openId, '合法性审查')) {
      const answer = await answerCard(PEOPLE.reviewer.openId, review.content, (name, label) =>
        name === 'legality'
          ? '合法'
          : name.endsWith('_adjust')
            ? undefined
            : label.startsWith('D001')
              ? 'withdraw'
              : 'keep',
      );
      expect(answer.toast).toMatchObject({ type: 'success' });
    }
    await h.fake.waitFor(() => cards(PEOPLE.bureauLeader.openId, '领导决定').length === 1, 20_000);
    const decided = await answerCard(
      PEOPLE.bureauLeader.openId,
      cards(PEOPLE.bureauLeader.openId, '领导决定')[0]!.content,
      (name) => (name === 'reference' ? '县政发〔2026〕1号' : undefined),
      'decided',
    );
    expect(decided.toast).toMatchObject({ type: 'success' });

    await h.fake.waitFor(() => cards(TOWN.admin.openId, '收回 1 项').length === 1, 20_000);
    const register = await readRegister(h.app.ctx.prisma, TOWN.name, '9999-12-31');
    expect(register).toMatchObject({ version: 2, decision: { kind: 'evaluation', reference: '县政发〔2026〕1号' } });
    const codes = register!.grants.flatMap((g) => g.matters.map((m) => m.code));
    expect(codes).toHaveLength(11);
    expect(codes).not.toContain('D001');

    // The ledger now shows the township evaluated, nothing in progress.
    await say(PEOPLE.reviewer.openId, '赋权台账');
    await h.fake.waitFor(() => cards(PEOPLE.reviewer.openId, '赋权台账 · 全县').length === 1, 10_000);
    const ledger = cardText(cards(PEOPLE.reviewer.openId, '赋权台账 · 全县')[0]!.content);
    expect(ledger).toContain(`${TOWN.name}:交由行使 7 · 委托 4`);
    expect(ledger).toContain('进行中的评估(0 轮)');
    expect(ledger).toContain('评估按「默认评估模板」给出建议');
  });
});
