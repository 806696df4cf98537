import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingSuspensionOfferCard } from '../../src/processes/certificate/training-suspension-offer-card';
import { dateIn } from '../../src/core/dates';
import { caseViewQuery } from '../../src/processes/casework/contract';
import { certificateCaseWorkflowId } from '../../src/processes/certificate/contract';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, clickCard, sayTo, startHarness, type Harness } from '../support/lawdesk';

// A certificate case through chat: the admin's form, approval cards clicked as Feishu delivers clicks
// (card.action.trigger, signed and encrypted), a refused click, and a restart of LawDesk mid-case.

describe('certificate case in chat', () => {
  let h: Harness;
  const say = (openId: string, text: string) => sayTo(h, openId, text);
  const click = (openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) =>
    clickCard(h, openId, value, { formValue });
  const inbox = (person: { openId: string }) => h.fake.messagesTo(person.openId);
  const status = async () =>
    (await h.app.ctx.prisma.officer.findUniqueOrThrow({ where: { certNo: PEOPLE.officer.certNo } })).certStatus;

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
    await loadTestCalendar(h.app.ctx.prisma, dateIn('Asia/Shanghai', new Date()), 0);
  });
  afterAll(() => h?.stop());

  it('runs from the admin’s form through both approvals, survives a restart, and changes the register', async () => {
    await say(PEOPLE.admin.openId, '证件办理');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === 1);
    const form = inbox(PEOPLE.admin)[0]!.content;
    const submit = buttonValue(form, { action: 'certificate_case_submit' });

    const submitted = await click(PEOPLE.admin.openId, submit, {
      officer: '张三',
      reason: 'investigation',
      details: '涉嫌违规执法',
    });
    expect(submitted.toast).toEqual({ type: 'success', content: '已提交审批' });
    expect(cardText(submitted.card)).toContain(PEOPLE.head.name);
    const again = await click(PEOPLE.admin.openId, submit, { officer: 'HN001', reason: 'investigation' });
    expect(again.toast?.content).toContain('已有进行中的办理');

    await h.fake.waitFor(() => inbox(PEOPLE.head).length === 1, 15_000);
    const headCard = inbox(PEOPLE.head)[0]!;
    expect(cardText(headCard.content)).toContain('单位负责人审批');
    const approve = buttonValue(headCard.content, { action: 'case_decide', outcome: 'approved' });

    const refused = await click(PEOPLE.stranger.openId, approve);
    expect(refused.toast).toEqual({ type: 'error', content: `您不是这一步的处理人(应由 ${PEOPLE.head.name} 处理)` });
    expect(await status()).toBe('active');

    // The officer's own card shows the case in progress.
    await say(PEOPLE.officer.openId, '证件');
    await h.fake.waitFor(() => inbox(PEOPLE.officer).length === 1);
    expect(cardText(inbox(PEOPLE.officer)[0]!.content)).toContain('证件暂扣办理中:单位负责人审批');

    // The admin's list of open cases comes from Temporal visibility (search attributes) and the case's query.
    await say(PEOPLE.admin.openId, '证件案件');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === 2);
    expect(cardText(inbox(PEOPLE.admin)[1]!.content)).toMatch(/证件暂扣.*张三\(HN001\).*单位负责人审批\(王局长\)/);

    await h.restart(); // the worker (and receiver) go away mid-case and come back

    const approved = await click(PEOPLE.head.openId, approve, { comment: '同意' });
    expect(approved.toast).toEqual({ type: 'success', content: '已同意' });
    expect(cardText(approved.card)).toContain('✅ 同意 单位负责人审批');
    expect((await click(PEOPLE.head.openId, approve)).toast?.type).toBe('error'); // a second click changes nothing

    await h.fake.waitFor(() => inbox(PEOPLE.reviewer).length === 1, 15_000);
    await click(
      PEOPLE.reviewer.openId,
      buttonValue(inbox(PEOPLE.reviewer)[0]!.content, { action: 'case_decide', outcome: 'approved' }),
    );

    await h.fake.waitFor(
      () => inbox(PEOPLE.officer).length === 2 && inbox(PEOPLE.admin).length === 3 && inbox(PEOPLE.head).length === 2,
      15_000,
    );
    expect(await status()).toBe('suspended');
    expect(cardText(inbox(PEOPLE.officer)[1]!.content)).toContain('已暂扣');
    expect(cardText(inbox(PEOPLE.admin)[2]!.content)).toContain('已办结');
    expect(cardText(inbox(PEOPLE.head)[1]!.content)).toContain('已办结');
    await new Promise((r) => setTimeout(r, 500));
    // Exactly these messages, none twice: form, list and outcome to the admin, step card + outcome to the head, …
    expect(
      [PEOPLE.admin, PEOPLE.head, PEOPLE.reviewer, PEOPLE.officer, PEOPLE.unitLeader].map((p) => inbox(p).length),
    ).toEqual([3, 2, 1, 2, 0]);
    const audit = await h.app.ctx.prisma.auditEvent.findMany({
      where: { subject: PEOPLE.officer.certNo },
      select: { action: true, actor: true },
    });
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'certificate_case.approved', actor: PEOPLE.head.openId },
        { action: 'certificate_case.approved', actor: PEOPLE.reviewer.openId },
        expect.objectContaining({ action: 'certificate.changed' }),
      ]),
    );
  });

  it('offers a 暂扣 per officer on the training shortfall list and starts one only on the admin’s click', async () => {
    const offer = trainingSuspensionOfferCard({
      year: 2026,
      unitName: '县市场监管局',
      officers: [{ name: PEOPLE.stranger.name, certNo: PEOPLE.stranger.certNo, hours: 41.5, required: 60 }],
    });
    await h.app.ctx.feishu.sendCard(PEOPLE.admin.openId, offer, 'offer-2026');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === 4);
    const handle = h.app.ctx.temporal.workflow.getHandle(certificateCaseWorkflowId(PEOPLE.stranger.certNo));
    await expect(handle.describe()).rejects.toThrow(); // nothing started by the offer itself
    const started = await click(
      PEOPLE.admin.openId,
      buttonValue(inbox(PEOPLE.admin)[3]!.content, { action: 'start_training_suspension' }),
    );
    expect(started.toast).toEqual({ type: 'success', content: '已提交审批' });
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const view = await handle.query(caseViewQuery);
    expect(view.facts).toEqual(expect.arrayContaining([['原因', '学时不足']]));
  });

  it('refuses an officer’s request to open cases and explains who can', async () => {
    await say(PEOPLE.stranger.openId, '证件办理');
    await h.fake.waitFor(() => inbox(PEOPLE.stranger).length === 1);
    expect(cardText(inbox(PEOPLE.stranger)[0]!.content)).toContain('法制员');
  });
});
