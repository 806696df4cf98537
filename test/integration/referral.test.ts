import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateIn } from '../../src/core/dates';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, clickCard, sayTo, startHarness, type Harness } from '../support/lawdesk';
import { ECO, SEND_VALUES, seedReceivingUnit } from '../support/referral-fixture';

// Referrals through chat (real SDK ⇄ fake Feishu ⇄ dev server): a 行刑衔接 from the case team's report to the
// police's 立案 and the hand-over, each step card to the person the statute names and a stranger's click refused;
// then an inter-agency referral that the receiving unit signs for (送达回证) by card; 移送 and 移送台账.

describe('referrals in chat', () => {
  let h: Harness;
  const say = (openId: string, text: string) => sayTo(h, openId, text);
  const click = (openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) =>
    clickCard(h, openId, value, { formValue });
  const inbox = (person: { openId: string }) => h.fake.messagesTo(person.openId);
  const latest = (person: { openId: string }) => inbox(person).at(-1)!.content;
  /** Waits for the person's nth message and clicks `outcome` on it. */
  const decideOn = async (
    person: { openId: string },
    n: number,
    outcome: string,
    formValue?: Record<string, unknown>,
  ) => {
    await h.fake.waitFor(() => inbox(person).length === n, 15_000);
    const answer = await click(
      person.openId,
      buttonValue(latest(person), { action: 'case_decide', outcome }),
      formValue,
    );
    expect(answer.toast?.type).toBe('success');
    return answer;
  };
  const today = () => dateIn('Asia/Shanghai', new Date());

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
    await seedReceivingUnit(h.app.ctx.prisma);
    await loadTestCalendar(h.app.ctx.prisma, today(), 0);
  });
  afterAll(() => h?.stop());

  it('行刑衔接 from the report to 立案 and hand-over, every card to the right person', async () => {
    await say(PEOPLE.officer.openId, '移送案件');
    await h.fake.waitFor(() => inbox(PEOPLE.officer).length === 1);
    const submit = buttonValue(latest(PEOPLE.officer), { action: 'criminal_referral_submit' });
    const form = {
      title: '某商行销售伪劣产品案',
      summary: '销售金额约 12 万元',
      crimeType: 'ordinary',
      police: '县公安局',
      procuratorate: '县人民检察院',
    };
    expect((await click(PEOPLE.officer.openId, submit, { ...form, team: '' })).toast?.content).toContain(
      '专案组其他成员',
    );
    expect((await click(PEOPLE.officer.openId, submit, { ...form, team: 'HN001' })).toast?.content).toBe(
      '专案组至少需要 2 名执法人员',
    );
    expect((await click(PEOPLE.officer.openId, submit, { ...form, team: PEOPLE.stranger.certNo })).toast?.type).toBe(
      'success',
    );

    // The head decides (310 第5条); someone from another unit cannot.
    await h.fake.waitFor(() => inbox(PEOPLE.head).length === 1, 15_000);
    expect(cardText(latest(PEOPLE.head))).toContain('负责人决定是否移送');
    const refused = await click(
      ECO.admin.openId,
      buttonValue(latest(PEOPLE.head), { action: 'case_decide', outcome: 'approved' }),
    );
    expect(refused.toast).toEqual({ type: 'error', content: `您不是这一步的处理人(应由 ${PEOPLE.head.name} 处理)` });

    // 移送: the admin sees it waiting on the head, with the time left.
    await say(PEOPLE.admin.openId, '移送');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === 1);
    expect(cardText(latest(PEOPLE.admin))).toMatch(/行刑衔接.*某商行销售伪劣产品案.*负责人决定是否移送.*王局长/);

    await decideOn(PEOPLE.head, 1, 'approved', { comment: '同意移送' });
    // The liaison sends within 24 hours with the four documents and the copy to the procuratorate.
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === 2, 15_000);
    expect(cardText(latest(PEOPLE.admin))).toContain('涉案物品清单');
    await decideOn(PEOPLE.admin, 2, 'sent', SEND_VALUES);
    await decideOn(PEOPLE.admin, 3, 'received', { date: today(), documentNo: '县公受〔2026〕1号' });
    await decideOn(PEOPLE.admin, 4, 'filed', {
      date: `${today()} +0800`,
      documentNo: '县公立〔2026〕2号',
      file: '立案决定书.pdf',
    });
    // After 立案 the case team hands over the items and files within 3 days.
    await decideOn(PEOPLE.officer, 2, 'handedOver');

    await h.fake.waitFor(
      () => inbox(PEOPLE.officer).length === 3 && inbox(PEOPLE.head).length === 2 && inbox(PEOPLE.admin).length === 5,
      15_000,
    );
    expect(cardText(latest(PEOPLE.officer))).toContain('已结束');
    await new Promise((r) => setTimeout(r, 500));
    // The admin: the 移送 list, three step cards, the outcome. No one else was told anything: the unit's leader had no lateness to hear of, the second team member no step.
    expect(
      [PEOPLE.officer, PEOPLE.head, PEOPLE.admin, PEOPLE.unitLeader, PEOPLE.stranger, ECO.admin].map(
        (p) => inbox(p).length,
      ),
    ).toEqual([3, 2, 5, 0, 0, 0]);
    const row = await h.app.ctx.prisma.referral.findFirstOrThrow({ where: { kind: 'criminal' } });
    expect(row).toMatchObject({
      status: 'closed',
      stepsDone: 5,
      stepsLate: 0,
      counterpart: '县公安局',
      procuratorate: '县人民检察院',
    });
    const recorded = await h.app.ctx.prisma.auditEvent.findFirstOrThrow({
      where: { subject: row.workflowId, action: 'referral.policeDecision.filed' },
    });
    expect(recorded).toMatchObject({ actor: PEOPLE.admin.openId });
    expect(JSON.stringify(recorded.details)).toContain('县公立〔2026〕2号');
  });

  it('an inter-agency referral: the receiving unit signs for it by card, a stranger cannot; the ledger counts it', async () => {
    const before = inbox(PEOPLE.admin).length;
    await say(PEOPLE.admin.openId, '部门移送');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === before + 1);
    const submit = buttonValue(latest(PEOPLE.admin), { action: 'inter_agency_referral_submit' });
    expect(
      (
        await click(PEOPLE.admin.openId, submit, {
          receivingUnit: ECO.unit,
          matterKind: 'other',
          title: '某厂违法排污',
          summary: '检查中发现',
        })
      ).toast?.type,
    ).toBe('success');
    await decideOn(PEOPLE.admin, before + 2, 'sent', { letterNo: '县市监移函〔2026〕1号' });

    await h.fake.waitFor(() => inbox(ECO.admin).length === 1, 15_000);
    expect(cardText(latest(ECO.admin))).toContain('送达回证');
    const sign = buttonValue(latest(ECO.admin), { action: 'case_decide', outcome: 'signed' });
    expect((await click(PEOPLE.stranger.openId, sign)).toast).toEqual({
      type: 'error',
      content: `您不是这一步的处理人(应由 ${ECO.admin.name} 处理)`,
    });
    expect((await click(ECO.admin.openId, sign)).toast?.type).toBe('success');
    await decideOn(ECO.admin, 2, 'accepted');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === before + 3, 15_000);
    expect(cardText(latest(PEOPLE.admin))).toContain('接收');

    await say(PEOPLE.reviewer.openId, '移送台账');
    await h.fake.waitFor(() => inbox(PEOPLE.reviewer).length === 1);
    expect(cardText(latest(PEOPLE.reviewer))).toContain('| 县市场监管局 | 2 | 0 | 0 | 100% | 0 | 0 |');
    const exported = await click(
      PEOPLE.reviewer.openId,
      buttonValue(latest(PEOPLE.reviewer), { action: 'export_referral_ledger' }),
    );
    expect(exported.toast).toEqual({ type: 'success', content: '已发送Excel' });
    const officerBefore = inbox(PEOPLE.officer).length;
    await say(PEOPLE.officer.openId, '移送台账');
    await h.fake.waitFor(() => inbox(PEOPLE.officer).length === officerBefore + 1);
    expect(cardText(latest(PEOPLE.officer))).toContain('移送台账由司法局和司法局领导查看');
  });

  it('a case amount reaching a threshold asks the case team whether to refer, and records the answer', async () => {
    const before = inbox(PEOPLE.officer).length;
    await say(PEOPLE.officer.openId, '登记案值');
    await h.fake.waitFor(() => inbox(PEOPLE.officer).length === before + 1);
    const submit = buttonValue(latest(PEOPLE.officer), { action: 'case_amount_submit' });
    expect(
      (
        await click(PEOPLE.officer.openId, submit, {
          caseRef: '县市监罚〔2026〕11号',
          caseType: 'fakeProducts',
          amount: '30000',
        })
      ).toast?.content,
    ).toBe('已登记,未达到追诉标准');
    expect(
      (
        await click(PEOPLE.officer.openId, submit, {
          caseRef: '县市监罚〔2026〕12号',
          caseType: 'fakeProducts',
          amount: '80000',
        })
      ).toast?.type,
    ).toBe('warning');
    await h.fake.waitFor(() => inbox(PEOPLE.officer).length === before + 2);
    expect(cardText(latest(PEOPLE.officer))).toContain('第11条');
    const notNeeded = buttonValue(latest(PEOPLE.officer), { action: 'referral_prompt_answer', answer: 'notNeeded' });
    expect((await click(PEOPLE.stranger.openId, notNeeded, { reason: '无' })).toast?.content).toBe(
      '只有登记该案件的专案组成员可以回答',
    );
    expect((await click(PEOPLE.officer.openId, notNeeded)).toast?.content).toBe('不需要移送时请说明理由');
    expect((await click(PEOPLE.officer.openId, notNeeded, { reason: '复核后金额不足,系重复计算' })).toast?.type).toBe(
      'success',
    );
    expect(
      await h.app.ctx.prisma.referralPrompt.findMany({
        select: { caseRef: true, answer: true, reason: true, answeredBy: true },
      }),
    ).toEqual([
      {
        caseRef: '县市监罚〔2026〕12号',
        answer: 'notNeeded',
        reason: '复核后金额不足,系重复计算',
        answeredBy: PEOPLE.officer.openId,
      },
    ]);
    expect(await h.app.ctx.prisma.auditEvent.count({ where: { action: 'referral.threshold_notNeeded' } })).toBe(1);
  });

  it('a case the police send back is registered by the liaison, whose first card records the police letter', async () => {
    const before = inbox(PEOPLE.admin).length;
    await say(PEOPLE.admin.openId, '公安移送');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === before + 1);
    const submit = buttonValue(latest(PEOPLE.admin), { action: 'reverse_referral_submit' });
    expect(
      (
        await click(PEOPLE.admin.openId, submit, {
          police: '县公安局',
          title: '不构成犯罪退回案',
          summary: '需行政处罚',
        })
      ).toast?.type,
    ).toBe('success');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === before + 2, 15_000);
    expect(cardText(latest(PEOPLE.admin))).toContain('接收公安机关移送');
    await decideOn(PEOPLE.admin, before + 2, 'received', { date: today(), documentNo: '县公移〔2026〕5号' });
    await h.fake.waitFor(() => inbox(PEOPLE.head).some((m) => cardText(m.content).includes('受理审查')), 15_000);
  });
});
