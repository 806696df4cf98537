import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT_OF_DATE } from '../../src/processes/casework/chat';
import { dateIn } from '../../src/core/dates';
import { caseViewQuery } from '../../src/processes/casework/contract';
import { certificateCaseWorkflowId } from '../../src/processes/certificate/contract';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, clickCard, sayTo, startHarness, type Harness } from '../support/lawdesk';

// Issue 20, item 3: case workflow ids are reused (`certificate-case-<certNo>`) and buttons named no run, so 驳回
// on an ended 暂扣 case's card rejected the officer's new 恢复 case and redrew the old card as the new case. A
// lead's id was built from unit + title, so two leads with one title to one unit collided.

describe('a card acts on its own run only (issue 20 item 3)', () => {
  let h: Harness;
  const inbox = (person: { openId: string }) => h.fake.messagesTo(person.openId);
  const click = (
    openId: string,
    value: Record<string, unknown>,
    formValue?: Record<string, unknown>,
    messageId?: string,
  ) => clickCard(h, openId, value, { formValue, messageId });

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
    await loadTestCalendar(h.app.ctx.prisma, dateIn('Asia/Shanghai', new Date()), 0);
  });
  afterAll(() => h?.stop());

  /** Polls an asynchronous condition (the database, Temporal) until it holds. */
  async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The admin's form, filled and submitted: a new certificate case on 张三. */
  async function openCase(reason: string): Promise<void> {
    const before = inbox(PEOPLE.admin).length;
    await sayTo(h, PEOPLE.admin.openId, '证件办理');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === before + 1);
    const submit = buttonValue(inbox(PEOPLE.admin)[before]!.content, { action: 'certificate_case_submit' });
    expect((await click(PEOPLE.admin.openId, submit, { officer: PEOPLE.officer.certNo, reason })).toast).toEqual({
      type: 'success',
      content: '已提交审批',
    });
  }

  it('驳回 on an ended 暂扣 case’s card does not touch the new 恢复 case: the card is out of date and shows how its case ended', async () => {
    await openCase('investigation');
    await h.fake.waitFor(() => inbox(PEOPLE.head).length === 1, 15_000);
    const oldCard = inbox(PEOPLE.head)[0]!.content;
    const oldReject = buttonValue(oldCard, { action: 'case_decide', outcome: 'rejected' });
    expect(oldReject.runId).toEqual(expect.any(String)); // the button names its run

    expect(
      (await click(PEOPLE.head.openId, buttonValue(oldCard, { action: 'case_decide', outcome: 'approved' }))).toast
        ?.content,
    ).toBe('已同意');
    await h.fake.waitFor(() => inbox(PEOPLE.reviewer).length === 1, 15_000);
    await click(
      PEOPLE.reviewer.openId,
      buttonValue(inbox(PEOPLE.reviewer)[0]!.content, { action: 'case_decide', outcome: 'approved' }),
    );
    await until(
      async () =>
        (await h.app.ctx.prisma.officer.findUniqueOrThrow({ where: { certNo: PEOPLE.officer.certNo } })).certStatus ===
        'suspended',
    );
    const handle = h.app.ctx.temporal.workflow.getHandle(certificateCaseWorkflowId(PEOPLE.officer.certNo));
    await until(async () => (await handle.describe()).status.name === 'COMPLETED');

    await openCase('causeCleared'); // 恢复: the same workflow id, a new run
    await h.fake.waitFor(
      () => inbox(PEOPLE.head).filter((m) => cardText(m.content).includes('恢复')).length === 1,
      15_000,
    );

    const stale = await click(PEOPLE.head.openId, oldReject, { comment: '旧卡片上的驳回' });
    expect(stale.toast).toEqual({ type: 'info', content: OUT_OF_DATE });
    const redrawn = cardText(stale.card);
    expect(redrawn).toContain('已办结'); // the 暂扣 case as it ended …
    expect(redrawn).toContain('暂扣');
    expect(redrawn).not.toContain('恢复'); // … not the new case
    expect(redrawn).not.toContain('case_decide'); // and no buttons

    const current = await handle.query(caseViewQuery); // the 恢复 case is untouched, still at its first step
    expect(current.status).toBe('open');
    expect(current.decisions).toEqual([]);
    expect(current.currentStep?.key).toBe('unit_head');
  });

  it('a button that names no run (a card from before) is out of date and changes nothing', async () => {
    const { runId: _runId, ...legacy } = buttonValue(inbox(PEOPLE.head).at(-1)!.content, {
      action: 'case_decide',
      outcome: 'approved',
    });
    const answer = await click(PEOPLE.head.openId, legacy);
    expect(answer.toast?.content).toContain('此卡片已过期');
    const view = await h.app.ctx.temporal.workflow
      .getHandle(certificateCaseWorkflowId(PEOPLE.officer.certNo))
      .query(caseViewQuery);
    expect(view.decisions).toEqual([]);
  });

  it('two leads with the same title to one unit are two leads; one form card submitted twice is one', async () => {
    const form = {
      unit: '县市场监管局',
      source: '12345',
      leadType: 'complaint',
      title: '群众投诉某超市销售过期食品',
      summary: '市民来电反映',
    };
    const first = await click(PEOPLE.reviewer.openId, { action: 'lead_dispatch_submit' }, form, 'om_lead_form_1');
    const second = await click(
      PEOPLE.reviewer.openId,
      { action: 'lead_dispatch_submit' },
      { ...form, summary: '另一位市民来电' },
      'om_lead_form_2',
    );
    expect([first.toast?.type, second.toast?.type]).toEqual(['success', 'success']);
    const twice = await click(PEOPLE.reviewer.openId, { action: 'lead_dispatch_submit' }, form, 'om_lead_form_1');
    expect(twice.toast).toMatchObject({ type: 'error', content: expect.stringContaining('已经提交过了') });

    await until(async () => (await h.app.ctx.prisma.referral.count({ where: { kind: 'lead' } })) === 2);
    const leads = await h.app.ctx.prisma.referral.findMany({
      where: { kind: 'lead' },
      select: { workflowId: true, title: true },
    });
    expect(leads.map((l) => l.title)).toEqual([form.title, form.title]);
    for (const lead of leads) expect(lead.workflowId).not.toContain(form.title); // ids are never free text
  });
});
