import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardActionEvent, messageReceiveEvent } from '../fakes/fake-feishu';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, receivedWorkbook, startHarness, type Harness } from '../support/lawdesk';

// 导出证件记录 from the 证件 card, end to end through the fake Feishu: the admin types 执法证号 into the box on the
// card (or an officer presses the button for their own), a file message arrives, and the uploaded bytes read
// back with exceljs show one sheet per certificate in words. Asking for someone else's record without the
// right sends nothing.

describe('导出Excel of a certificate’s audit trail', () => {
  let h: Harness;
  let card: { messageId: string; value: Record<string, unknown> };
  const inbox = (openId: string) => h.fake.messagesTo(openId);
  const uploads = () => h.fake.requests.filter((r) => r.path === '/open-apis/im/v1/files').length;
  const press = async (openId: string, inputValue?: string) =>
    JSON.parse(
      (
        await h.fake.sendEvent(
          h.eventUrl,
          cardActionEvent({
            openId,
            messageId: card.messageId,
            value: card.value,
            ...(inputValue !== undefined ? { tag: 'input', name: 'certNos', inputValue } : {}),
          }),
          { encrypt: true },
        )
      ).body,
    ) as {
      toast?: { type: string; content: string };
    };
  const values = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

  beforeAll(async () => {
    h = await startHarness();
    const prisma = h.app.ctx.prisma;
    await seedCounty(prisma);
    // The trail of a 暂扣 on 张三's certificate as the processes record it (times in UTC; 01:00Z is 09:00 in Changsha).
    const at = (hhmm: string) => new Date(`2026-03-05T${hhmm}:00Z`);
    await prisma.auditEvent.createMany({
      data: [
        {
          at: at('01:00'),
          actor: 'cli',
          action: 'officer.created',
          subject: 'HN001',
          details: { row: 2, name: '张三', unit: '县市场监管局', role: 'officer' },
        },
        {
          at: at('02:00'),
          actor: PEOPLE.admin.openId,
          action: 'certificate_case.opened',
          subject: 'HN001',
          details: {
            workflowId: 'certificate-case-HN001',
            action: 'suspend',
            reason: 'training',
            details: '2025年度学时不足',
          },
        },
        {
          at: at('03:00'),
          actor: 'system:deadline',
          action: 'case.step_reminded',
          subject: 'certificate-case-HN001',
          details: { step: 'unit_head', milestone: 'half', to: ['王局长'] },
        },
        {
          at: at('04:00'),
          actor: PEOPLE.head.openId,
          action: 'certificate_case.approved',
          subject: 'HN001',
          details: { workflowId: 'certificate-case-HN001', step: 'unit_head', comment: '同意' },
        },
        {
          at: at('05:00'),
          actor: 'system:certificate',
          action: 'certificate.changed',
          subject: 'HN001',
          details: { action: 'suspend', reason: 'training', from: 'active', to: 'suspended', approvedBy: '周审核' },
        },
        { at: at('06:00'), actor: 'system:future', action: 'something.new', subject: 'HN001', details: { x: 1 } },
        {
          at: at('07:00'),
          actor: 'cli',
          action: 'officer.created',
          subject: 'HN009',
          details: { row: 8, name: '路人', unit: '县市场监管局', role: 'officer' },
        },
        {
          at: at('08:00'),
          actor: 'cli',
          action: 'officer.created',
          subject: 'SF001',
          details: { row: 6, name: '周审核', unit: '县司法局', role: 'bureau' },
        },
      ],
    });
    await h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId: PEOPLE.admin.openId, text: '证件' }), {
      encrypt: true,
    });
    await h.fake.waitFor(() => inbox(PEOPLE.admin.openId).length === 1);
    const sent = inbox(PEOPLE.admin.openId)[0]!;
    card = { messageId: sent.messageId, value: buttonValue(sent.content, { action: 'export_certificate_audit' }) };
  });
  afterAll(() => h?.stop());

  it('offers the 执法证号 box to the admin, and an officer only their own record', async () => {
    expect(JSON.stringify(inbox(PEOPLE.admin.openId)[0]!.content)).toContain('"name":"certNos"');
    await h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId: PEOPLE.officer.openId, text: '证件' }), {
      encrypt: true,
    });
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === 1);
    const officerCard = JSON.stringify(inbox(PEOPLE.officer.openId)[0]!.content);
    expect(officerCard).not.toContain('"name":"certNos"');
    expect(officerCard).toContain('导出本人证件记录');
  });

  it('sends the admin one sheet per certificate of their unit, in words', async () => {
    expect((await press(PEOPLE.admin.openId, 'hn001, HN009')).toast).toEqual({
      type: 'success',
      content: '已发送Excel',
    });
    const { message, workbook, fileName } = await receivedWorkbook(h, PEOPLE.admin.openId);
    expect(message.uuid).toMatch(/^export-certificate-audit-/);
    expect(fileName).toMatch(/^执法证件记录 2 人\(\d{4}-\d{2}-\d{2}\)\.xlsx$/);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['HN001 张三', 'HN009 路人']);

    const sheet = workbook.getWorksheet('HN001 张三')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(values(sheet, 1)).toEqual(['时间', '操作人', '操作', '详情']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    // Wall-clock time in Changsha, written as Excel dates with a format a person reads.
    expect(sheet.getCell('A2').value).toEqual(new Date('2026-03-05T09:00:00Z'));
    expect(sheet.getColumn(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(values(sheet, 2)).toEqual([
      expect.any(Date),
      '命令行导入',
      '录入名册',
      '姓名 张三;单位 县市场监管局;角色 执法人员;名册第 2 行',
    ]);
    expect(values(sheet, 3).slice(1)).toEqual([
      '李法制',
      '申请证件办理',
      '申请暂扣;原因:学时不足;说明:2025年度学时不足',
    ]);
    // The case's reminder is recorded under the case, not the certificate: it is still on the certificate's sheet.
    expect(values(sheet, 4).slice(1)).toEqual(['系统(期限提醒)', '催办', '环节:单位负责人审批;提醒 王局长']);
    expect(values(sheet, 5).slice(1)).toEqual(['王局长', '审批同意', '环节:单位负责人审批;意见:同意']);
    expect(values(sheet, 6).slice(1)).toEqual([
      '系统(certificate)',
      '证件状态变更',
      '暂扣:有效 → 暂扣;原因:学时不足;批准:周审核',
    ]);
    // An action this export has no words for yet is kept under its code, details as recorded.
    expect(values(sheet, 7).slice(1)).toEqual(['系统(future)', 'something.new', '{"x":1}']);
    expect(String(sheet.getCell('A9').value)).toContain('张三 · 县市场监管局 · HN001 · 当前状态 有效');

    const other = workbook.getWorksheet('HN009 路人')!;
    expect(other.getCell('C2').value).toBe('录入名册');
    expect(other.getCell('A3').value).toBeNull();
  });

  it('gives an officer their own certificate from the button', async () => {
    expect((await press(PEOPLE.officer.openId)).toast).toEqual({ type: 'success', content: '已发送Excel' });
    const { workbook } = await receivedWorkbook(h, PEOPLE.officer.openId);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['HN001 张三']);
  });

  it.each([
    ['an officer asking for a colleague', PEOPLE.officer.openId, 'HN009', 'HN009'],
    ['an admin asking for another unit', PEOPLE.admin.openId, 'HN001 SF001', 'SF001'],
  ])('refuses %s and uploads nothing', async (_, openId, typed, refused) => {
    const before = { uploads: uploads(), messages: h.fake.messages.length };
    const answer = await press(openId, typed);
    expect(answer.toast?.type).toBe('warning');
    expect(answer.toast?.content).toContain(`没有权限导出 ${refused} 的证件记录`);
    expect({ uploads: uploads(), messages: h.fake.messages.length }).toEqual(before);
  });

  it('lets the bureau export anyone, and says so when a number is unknown', async () => {
    expect((await press(PEOPLE.reviewer.openId, 'HN009')).toast?.type).toBe('success');
    expect((await receivedWorkbook(h, PEOPLE.reviewer.openId)).workbook.worksheets.map((s) => s.name)).toEqual([
      'HN009 路人',
    ]);
    const before = uploads();
    expect((await press(PEOPLE.reviewer.openId, 'XX999')).toast).toEqual({
      type: 'error',
      content: '没有执法证号 XX999 的记录',
    });
    expect(uploads()).toBe(before);
  });
});
