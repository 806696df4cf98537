import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateIn } from '../../src/core/dates';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, clickCard, receivedWorkbook, sayTo, startHarness, type Harness } from '../support/lawdesk';

// Issue 20, item 8 (two parts): "这一步已经处理过了" was said for a step that had not begun, and exports of other
// people's records left no trace.

describe('step messages and audited exports (issue 20 item 8)', () => {
  let h: Harness;
  const inbox = (person: { openId: string }) => h.fake.messagesTo(person.openId);

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
    await loadTestCalendar(h.app.ctx.prisma, dateIn('Asia/Shanghai', new Date()), 0);
  });
  afterAll(() => h?.stop());

  it('a click for a step that has not begun says so, not that it was already handled', async () => {
    await sayTo(h, PEOPLE.admin.openId, '证件办理');
    await h.fake.waitFor(() => inbox(PEOPLE.admin).length === 1);
    const submit = buttonValue(inbox(PEOPLE.admin)[0]!.content, { action: 'certificate_case_submit' });
    expect(
      (await clickCard(h, PEOPLE.admin.openId, submit, { formValue: { officer: '张三', reason: 'investigation' } }))
        .toast?.type,
    ).toBe('success');
    await h.fake.waitFor(() => inbox(PEOPLE.head).length === 1, 15_000);
    const headApprove = buttonValue(inbox(PEOPLE.head)[0]!.content, { action: 'case_decide', outcome: 'approved' });

    // The bureau's step, clicked while the case still waits on the unit head.
    const early = await clickCard(h, PEOPLE.reviewer.openId, { ...headApprove, stepKey: 'bureau' });
    expect(early.toast).toEqual({ type: 'error', content: '这一步还没有开始,请等前面的步骤办完' });

    expect((await clickCard(h, PEOPLE.head.openId, headApprove)).toast?.content).toBe('已同意');
    expect((await clickCard(h, PEOPLE.head.openId, headApprove)).toast).toEqual({
      type: 'error',
      content: '这一步已经处理过了',
    });
  });

  it('an export of someone else’s certificate record is recorded on that record, and shows in its next export', async () => {
    const exported = await clickCard(
      h,
      PEOPLE.admin.openId,
      { action: 'export_certificate_audit' },
      { formValue: { certNos: PEOPLE.stranger.certNo } },
    );
    expect(exported.toast?.type).toBe('success');
    const rows = await h.app.ctx.prisma.auditEvent.findMany({
      where: { subject: PEOPLE.stranger.certNo, action: 'certificate.audit_exported' },
    });
    expect(rows).toEqual([
      expect.objectContaining({
        actor: PEOPLE.admin.openId,
        details: expect.objectContaining({ byName: PEOPLE.admin.name }),
      }),
    ]);

    // The officer, exporting their own record, sees who looked at it; their own export adds no row.
    expect((await clickCard(h, PEOPLE.stranger.openId, { action: 'export_certificate_audit' })).toast?.type).toBe(
      'success',
    );
    const { workbook } = await receivedWorkbook(h, PEOPLE.stranger.openId);
    const text = workbook.worksheets.map((s) => s.getSheetValues().flat().join(' ')).join(' ');
    expect(text).toContain('导出证件记录');
    expect(text).toContain(PEOPLE.admin.name);
    expect(
      await h.app.ctx.prisma.auditEvent.count({
        where: { subject: PEOPLE.stranger.certNo, action: 'certificate.audit_exported' },
      }),
    ).toBe(1);
  });

  it('an export of a unit’s training records is recorded', async () => {
    expect((await clickCard(h, PEOPLE.head.openId, { action: 'export_unit_hours' })).toast?.type).toBe('success');
    const rows = await h.app.ctx.prisma.auditEvent.findMany({ where: { action: 'training.exported' } });
    expect(rows).toEqual([
      expect.objectContaining({
        actor: PEOPLE.head.openId,
        subject: '县市场监管局',
        details: expect.objectContaining({ kind: 'export-unit-hours', byName: PEOPLE.head.name }),
      }),
    ]);
  });
});
