import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/processes/training/unit-hours-workbook';
import { dateIn } from '../../src/core/dates';
import { STATUS_WORDS, defaultRule, trainingStatus } from '../../src/processes/training/rules';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, clickCard, importSampleTraining, sayTo, startHarness, type Harness } from '../support/lawdesk';

// 导出Excel on the 本单位学时 card, end to end: the admin clicks, LawDesk builds the workbook, uploads it to
// (fake) Feishu and sends it as a file message; the test opens the uploaded bytes with exceljs and reads them
// cell by cell. An officer's click is refused and nothing is uploaded.

describe('导出Excel of the unit’s training hours', () => {
  let h: Harness;
  const today = dateIn('Asia/Shanghai', new Date());
  const year = Number(today.slice(0, 4));
  const say = (openId: string, text: string) => sayTo(h, openId, text);
  const click = (openId: string, messageId: string, value: Record<string, unknown>) =>
    clickCard(h, openId, value, { messageId });
  const inbox = (openId: string) => h.fake.messagesTo(openId);
  const uploads = () => h.fake.requests.filter((r) => r.path === '/open-apis/im/v1/files').length;
  let card: { messageId: string; value: Record<string, unknown> };

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
    await loadTestCalendar(h.app.ctx.prisma, today, 0);
    await importSampleTraining(h, year);

    await say(PEOPLE.admin.openId, '本单位学时');
    await h.fake.waitFor(() => inbox(PEOPLE.admin.openId).length === 1);
    const sent = inbox(PEOPLE.admin.openId)[0]!;
    card = { messageId: sent.messageId, value: buttonValue(sent.content, { action: 'export_unit_hours' }) };
  });
  afterAll(() => h?.stop());

  it('sends the admin the whole unit as an xlsx file message', async () => {
    const started = Date.now();
    expect((await click(PEOPLE.admin.openId, card.messageId, card.value)).toast).toEqual({
      type: 'success',
      content: '已发送Excel',
    });
    expect(Date.now() - started).toBeLessThan(2500); // inside Feishu's 3 s for a card callback

    const message = inbox(PEOPLE.admin.openId).at(-1)!;
    expect(message).toMatchObject({
      msgType: 'file',
      receiveIdType: 'open_id',
      receiveId: PEOPLE.admin.openId,
      uuid: expect.stringMatching(/^export-unit-hours-/),
    });
    const fileKey = message.content.file_key as string;
    expect(h.fake.uploadedFile(fileKey)).toMatchObject({
      fileType: 'xls',
      fileName: `县市场监管局${year}年度学时(截至${today}).xlsx`,
    });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(h.fake.fileBytes(fileKey)! as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([`${year}年度学时`, '说明']);

    const sheet = workbook.getWorksheet(`${year}年度学时`)!;
    const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1); // exceljs rows are 1-based
    expect(values(1)).toEqual([
      '姓名',
      '执法证号',
      '单位',
      '公共法律知识',
      '业务知识',
      '行政执法技能',
      '合计',
      '还差',
      '状态',
    ]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(3); // the two officers; admin, head and leader are not on the list

    // 张三 is short of hours, so he comes before 路人 who has met the requirement.
    const zhangStatus = trainingStatus(
      defaultRule(year),
      { total: 11.5, byCategory: { public_law: 6, business: 2, skills: 3.5 } },
      today,
    );
    expect(values(2)).toEqual(['张三', 'HN001', '县市场监管局', 6, 2, 3.5, 11.5, 48.5, STATUS_WORDS[zhangStatus]]);
    expect(values(3)).toEqual(['路人', 'HN009', '县市场监管局', 12, 48, 0, 60, 0, '达标']);
    expect(typeof sheet.getCell('G2').value).toBe('number'); // hours are numbers, so Excel can sum them
    // Widths fit the Chinese text: 县市场监管局 is six characters, twelve units wide.
    expect(sheet.getColumn(3).width).toBeGreaterThanOrEqual(displayWidth('县市场监管局'));
    expect(sheet.getColumn(4).width).toBeGreaterThanOrEqual(displayWidth('公共法律知识'));

    const rule = workbook.getWorksheet('说明')!;
    const about = new Map<string, unknown>();
    rule.eachRow((row) => about.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(about.get('单位')).toBe('县市场监管局');
    expect(about.get('培训年度')).toBe(year);
    expect(about.get('年度要求(学时)')).toBe(60);
    expect(about.get('统计截至')).toEqual(new Date(`${today}T00:00:00Z`));
    expect(about.get('人数')).toBe(2);
  });

  it('serves the same bytes through the message-resource API', async () => {
    const message = inbox(PEOPLE.admin.openId).at(-1)!;
    const fileKey = message.content.file_key as string;
    const res = await h.app.ctx.feishu.sdk.im.v1.messageResource.get({
      params: { type: 'file' },
      path: { message_id: message.messageId, file_key: fileKey },
    });
    const chunks: Buffer[] = [];
    for await (const c of res.getReadableStream()) chunks.push(Buffer.from(c as Buffer));
    expect(Buffer.concat(chunks).equals(h.fake.fileBytes(fileKey)!)).toBe(true);
  });

  it('refuses an officer politely and uploads nothing', async () => {
    const before = { uploads: uploads(), messages: h.fake.messages.length };
    const answer = await click(PEOPLE.officer.openId, card.messageId, card.value);
    expect(answer.toast).toEqual({
      type: 'warning',
      content: '本单位学时由法制员和负责人导出。查看自己的学时请发送「学时」。',
    });
    expect({ uploads: uploads(), messages: h.fake.messages.length }).toEqual(before);
  });
});
