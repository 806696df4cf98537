import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_COLUMN } from '../../src/processes/files/errors-workbook';
import { TEMPLATE_HELP_SHEET, templateHeaders } from '../../src/processes/files/templates';
import { recogniseKind } from '../../src/processes/files/chat-file';
import { fileImportWorkflowId } from '../../src/processes/files/contract';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, type Harness, sendFile, startHarness } from '../support/lawdesk';

// Files sent in chat (issue 11): an admin drags a workbook into the chat, sees a preview, clicks 导入.
// Every workbook here is built by the test, shaped like real exports (a merged title above the header,
// blank rows, full-width digits, serial dates, numeric 执法证号).

type Cell = string | number | Date | null;

async function workbook(rows: Cell[][], opts: { title?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  if (opts.title) {
    ws.addRow([opts.title]);
    ws.mergeCells(1, 1, 1, rows[0]!.length); // a title merged across the columns, as exports have
    ws.addRow([]);
  }
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEADER = ['姓名', '执法证号', '单位', '角色', '手机号', '证件有效期'];

describe('files in chat: roster and training as workbooks', () => {
  let h: Harness;
  const prisma = () => h.app.ctx.prisma;

  const send = (openId: string, fileName: string, bytes: Buffer, answers = 1) =>
    sendFile(h, openId, fileName, bytes, answers);

  async function openWorkbook(fileKey: string) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(h.fake.fileBytes(fileKey)! as unknown as ArrayBuffer);
    return wb.worksheets[0]!;
  }

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(prisma());
  });
  afterAll(() => h?.stop());

  const awkwardRoster = () =>
    workbook(
      [
        HEADER,
        ['刘一', 'HN101', '县市场监管局', 'officer', '１３８００００１１０１', new Date(Date.UTC(2028, 5, 30))],
        [null, null, null, null, null, null], // a blank line in the middle
        ['陈二', 14010002, '县市场监管局', '执法人员', 13800001102, 47_300], // numeric 执法证号, serial date
        ['杨三', 'hn103', '县市场监管局', '', '', '2029年3月5日'],
      ],
      { title: '县市场监管局执法人员名册(2026年)' },
    );

  it('a roster workbook: preview, nothing written, then 导入 writes it; the same file again changes nothing', async () => {
    const [preview] = await send(PEOPLE.admin.openId, '名册.xlsx', await awkwardRoster());
    const text = cardText(preview!.content);
    expect(text).toContain('人员名册');
    expect(text).toContain('3 / 0 / 0'); // added / updated / unchanged
    expect(await prisma().officer.count({ where: { certNo: { in: ['HN101', '14010002', 'HN103'] } } })).toBe(0);

    const answer = await h.fake.userActsOnCard(h.eventUrl, PEOPLE.admin.openId, {
      messageId: preview!.messageId,
      value: buttonValue(preview!.content, { action: 'file_import' }),
    });
    expect(answer.toast?.type).toBe('success');
    expect(cardText(h.fake.latestContent(preview!.messageId))).toContain('新增 3 人');
    const officers = await prisma().officer.findMany({
      where: { certNo: { in: ['HN101', '14010002', 'HN103'] } },
      orderBy: { certNo: 'asc' },
      select: { certNo: true, name: true, mobile: true, certExpires: true, role: true },
    });
    expect(
      officers.map((o) => [o.certNo, o.name, o.mobile, o.certExpires?.toISOString().slice(0, 10) ?? null, o.role]),
    ).toEqual([
      ['14010002', '陈二', '13800001102', '2029-07-01', 'officer'],
      ['HN101', '刘一', '13800001101', '2028-06-30', 'officer'],
      ['HN103', '杨三', null, '2029-03-05', 'officer'],
    ]);

    const [again] = await send(PEOPLE.admin.openId, '名册.xlsx', await awkwardRoster());
    expect(cardText(again!.content)).toContain('0 / 0 / 3');
    const second = await h.fake.userActsOnCard(h.eventUrl, PEOPLE.admin.openId, {
      messageId: again!.messageId,
      value: buttonValue(again!.content, { action: 'file_import' }),
    });
    expect(cardText(second.card)).toContain('新增 0 人,更新 0 人,未变 3 人');
  });

  it('three bad rows: an error card and an error workbook with an error column, nothing written', async () => {
    const count = await prisma().officer.count();
    const bytes = await workbook([
      HEADER,
      ['', 'HN201', '县市场监管局', 'officer', '', ''],
      ['好人', 'HN202', '县市场监管局', 'officer', '', ''],
      ['钱四', 'HN203', '县市场监管局', '队长', '', ''],
      ['孙五', 'HN204', '县市场监管局', 'officer', '', '明年'],
    ]);
    const answers = await send(PEOPLE.admin.openId, '错误名册.xlsx', bytes, 2);
    const card = answers.find((m) => m.msgType === 'interactive')!;
    const text = cardText(card.content);
    expect(text).toContain('3 处错误');
    expect(text).toContain('第 2 行');
    expect(text).toContain('第 4 行');
    expect(text).toContain('第 5 行');
    expect(text).not.toContain('file_import');
    const file = answers.find((m) => m.msgType === 'file')!;
    const sheet = await openWorkbook(file.content.file_key);
    expect(sheet.getRow(1).values).toEqual([undefined, '行号', ...HEADER, ERROR_COLUMN]);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(2).getCell(1).value).toBe(2);
    expect(String(sheet.getRow(2).getCell(8).value)).toContain('姓名不能为空');
    expect(sheet.getRow(3).getCell(5).value).toBe('队长');
    expect(String(sheet.getRow(3).getCell(8).value)).toContain('未知角色');
    expect(String(sheet.getRow(4).getCell(8).value)).toContain('日期无法识别');
    expect(await prisma().officer.count()).toBe(count);
  });

  it("a unit admin may not import another unit's rows: refused row by row; the bureau may", async () => {
    const count = await prisma().officer.count();
    const rows = [
      HEADER,
      ['本单位人', 'HN301', '县市场监管局', 'officer', '', ''],
      ['外单位人', 'SF301', '县司法局', 'officer', '', ''],
      ['又一个', 'SF302', '县司法局', 'officer', '', ''],
    ];
    const answers = await send(PEOPLE.admin.openId, '跨单位.xlsx', await workbook(rows), 2);
    const text = cardText(answers.find((m) => m.msgType === 'interactive')!.content);
    expect(text).toContain('第 3 行 · 单位「县司法局」: 只能导入本单位(县市场监管局)的人员');
    expect(text).toContain('第 4 行');
    expect(text).not.toContain('第 2 行');
    expect(await prisma().officer.count()).toBe(count);

    const [preview] = await send(PEOPLE.reviewer.openId, '跨单位.xlsx', await workbook(rows));
    expect(cardText(preview!.content)).toContain('3 / 0 / 0');
    await h.fake.userActsOnCard(h.eventUrl, PEOPLE.reviewer.openId, {
      messageId: preview!.messageId,
      value: buttonValue(preview!.content, { action: 'file_import' }),
    });
    expect(await prisma().officer.count()).toBe(count + 3);
  });

  it("an officer's file is refused politely, without downloading it", async () => {
    const downloads = () => h.fake.requests.filter((r) => r.path.includes('/resources/')).length;
    const before = downloads();
    const [reply] = await send(PEOPLE.officer.openId, '名册.xlsx', await awkwardRoster());
    expect(reply!.msgType).toBe('text');
    expect(reply!.content.text).toContain('由本单位法制员或司法局导入');
    expect(downloads()).toBe(before);
  });

  it('a training workbook from the platform is recognised and imported for the own unit', async () => {
    const bytes = await workbook([
      ['姓名', '执法证号', '课程名称', '培训类别', '学时', '培训日期'],
      ['刘一', 'HN101', '行政处罚法解读', '公共法律知识', '２', '2026/3/5'],
      ['陈二', 14010002, '执法文书写作', '行政执法技能', 1.5, 46_090],
    ]);
    const [preview] = await send(PEOPLE.admin.openId, '培训记录.xlsx', bytes);
    expect(cardText(preview!.content)).toContain('培训记录');
    expect(cardText(preview!.content)).toContain('2 / 0 / 0');
    const answer = await h.fake.userActsOnCard(h.eventUrl, PEOPLE.admin.openId, {
      messageId: preview!.messageId,
      value: buttonValue(preview!.content, { action: 'file_import' }),
    });
    expect(cardText(answer.card)).toContain('新增 2 条');
    const dates = await prisma().trainingRecord.findMany({
      where: { source: 'import' },
      orderBy: { date: 'asc' },
      select: { date: true, halfHours: true },
    });
    expect(dates.map((d) => [d.date.toISOString().slice(0, 10), d.halfHours])).toEqual([
      ['2026-03-05', 4],
      ['2026-03-09', 3],
    ]);
  });

  it('a CSV saved by Excel on Chinese Windows (GB18030, not UTF-8) is read', async () => {
    // 姓名,执法证号,单位 / 周六,HN601,县市场监管局 in GB18030 (Node encodes only UTF-8, so the bytes are written out)
    const bytes = Buffer.from(
      'd0d5c3fb2cd6b4b7a8d6a4bac52cb5a5cebb0a' + 'd6dcc1f92c484e3630312ccfd8cad0b3a1bce0b9dcbed6' + '0a',
      'hex',
    );
    expect(new TextDecoder('gb18030').decode(bytes)).toBe('姓名,执法证号,单位\n周六,HN601,县市场监管局\n');
    const [preview] = await send(PEOPLE.admin.openId, '名册.csv', bytes);
    expect(cardText(preview!.content)).toContain('1 / 0 / 0');
  });

  it.each([
    ['a PDF', '名册.pdf', Buffer.from('%PDF-1.4'), '不是表格文件'],
    ['a corrupt workbook', '名册.xlsx', Buffer.from('PK\u0003\u0004 not really a zip'), '不是有效的 Excel 工作簿'],
    [
      'a password-protected workbook',
      '名册.xlsx',
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]),
      '设置了打开密码',
    ],
    ['an unknown header', '别的表.csv', Buffer.from('序号,备注\n1,甲\n'), '没有认出'],
    ['a file over 10 MB', '大表.csv', Buffer.alloc(10 * 1024 * 1024 + 1, 'a'), '超过 10 MB'],
    [
      'over 50,000 rows',
      '长表.csv',
      Buffer.from(`姓名,执法证号,单位\n${'甲,X1,县市场监管局\n'.repeat(50_001)}`),
      '超过 50000 行',
    ],
  ])('%s: one clear message, nothing written', async (_name, fileName, bytes, expected) => {
    const count = await prisma().officer.count();
    const [reply] = await send(PEOPLE.admin.openId, fileName, bytes);
    expect(reply!.msgType).toBe('text');
    expect(reply!.content.text).toContain(expected);
    expect(await prisma().officer.count()).toBe(count);
  });
});

describe('模板: blank workbooks per import kind', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
  });
  afterAll(() => h?.stop());

  it('sends a unit admin the roster and training templates, each read back as its own kind, with a 填写说明 sheet', async () => {
    await h.fake.userSendsText(h.eventUrl, PEOPLE.admin.openId, '模板');
    await h.fake.waitFor(() => h.fake.messagesTo(PEOPLE.admin.openId).some((m) => m.msgType === 'text'), 15_000);
    const files = h.fake.messagesTo(PEOPLE.admin.openId).filter((m) => m.msgType === 'file');
    expect(files).toHaveLength(2); // the calendar is the bureau's; the register's is for townships on it
    const kinds = [];
    for (const file of files) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(h.fake.fileBytes(file.content.file_key)! as unknown as ArrayBuffer);
      expect(wb.worksheets.map((s) => s.name)[1]).toBe(TEMPLATE_HELP_SHEET);
      const headers = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1).map(String);
      kinds.push(recogniseKind(headers));
      const help = wb.worksheets[1]!;
      expect(help.rowCount).toBe(headers.length + 1);
      expect(help.getRow(2).getCell(1).value).toBe(headers[0]);
      expect(String(help.getRow(2).getCell(3).value).length).toBeGreaterThan(1);
    }
    expect(kinds).toEqual(['roster', 'training']);
    expect(templateHeaders('roster')).toEqual(['姓名', '执法证号', '单位', '角色', 'open_id', '手机号', '证件有效期']);
  });

  it('sends the bureau the calendar, register and settings (ladder, campaigns, department map, lead rules, thresholds) templates too; an officer gets a polite word instead', async () => {
    await h.fake.userSendsText(h.eventUrl, PEOPLE.reviewer.openId, '导入模板');
    await h.fake.waitFor(() => h.fake.messagesTo(PEOPLE.reviewer.openId).some((m) => m.msgType === 'text'), 15_000);
    expect(h.fake.messagesTo(PEOPLE.reviewer.openId).filter((m) => m.msgType === 'file')).toHaveLength(9);
    await h.fake.userSendsText(h.eventUrl, PEOPLE.officer.openId, '模板');
    await h.fake.waitFor(() => h.fake.messagesTo(PEOPLE.officer.openId).length > 0, 15_000);
    expect(h.fake.messagesTo(PEOPLE.officer.openId).map((m) => m.msgType)).toEqual(['text']);
  });
});

describe('a large file imports as a workflow, with progress on the card', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
  });
  afterAll(() => h?.stop());

  it('2,001 training rows: the click answers at once, the card shows rows done / total, then the result', async () => {
    const rows = Array.from({ length: 2001 }, (_, i) => `${PEOPLE.officer.certNo},课程${i + 1},业务知识,1,2026-03-05`);
    const bytes = Buffer.from(`执法证号,课程,类别,学时,日期\n${rows.join('\n')}\n`);
    await h.fake.userSendsFile(h.eventUrl, PEOPLE.admin.openId, '平台导出.csv', bytes);
    await h.fake.waitFor(() => h.fake.messagesTo(PEOPLE.admin.openId).length > 0, 15_000);
    const preview = h.fake.messagesTo(PEOPLE.admin.openId)[0]!;
    expect(cardText(preview.content)).toContain('2001 / 0 / 0');
    const value = buttonValue(preview.content, { action: 'file_import' });
    const answer = await h.fake.userActsOnCard(h.eventUrl, PEOPLE.admin.openId, {
      messageId: preview.messageId,
      value,
    });
    expect(answer.toast?.content).toBe('已开始导入');
    const result = await h.app.ctx.temporal.workflow
      .getHandle(fileImportWorkflowId(value.messageId as string, value.fileKey as string))
      .result();
    expect(result).toEqual({ status: 'imported', summary: '新增 2001 条,已有 0 条' });
    const patches = h.fake.patches.filter((p) => p.messageId === preview.messageId).map((p) => cardText(p.content));
    expect(patches[0]).toContain('0 / 2001 行');
    expect(patches.at(-1)).toContain('新增 2001 条');
    expect(await h.app.ctx.prisma.trainingRecord.count({ where: { source: 'import' } })).toBe(2001);
  }, 60_000);
});
