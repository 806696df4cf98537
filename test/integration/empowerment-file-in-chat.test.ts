import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_HELP_SHEET, templateFileName, templateHeaders } from '../../src/processes/files/templates';
import { recogniseKind } from '../../src/processes/files/chat-file';
import type { Sheet } from '../../src/platform/sheets/spreadsheet';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { OTHER_TOWN, registerSheet, seedTownship, TOWN } from '../support/empowerment-fixture';
import {
  cardText,
  clickImport,
  type Harness,
  receivedWorkbook,
  sayTo,
  sendFile,
  startHarness,
} from '../support/lawdesk';

// The empowerment register (赋权事项登记表) sent as a file in chat (issue 11): recognised by its header,
// previewed per grant against the register without writing, imported at the 导入 click as the CLI does;
// a township admin only for their own township. Also the calendar preview, which diffs against loaded days.

const BUREAU = PEOPLE.reviewer;

async function workbookOf(sheet: Pick<Sheet, 'headers' | 'rows'>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('登记表');
  ws.addRow(sheet.headers);
  for (const { cells } of sheet.rows) ws.addRow(cells);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Two sheets as one file (rows renumbered as Excel would number them). */
function joined(a: Sheet, b: Sheet): Sheet {
  return { ...a, rows: [...a.rows, ...b.rows].map((r, i) => ({ row: i + 2, cells: r.cells })) };
}

describe('the empowerment register sent as a file in chat', () => {
  let h: Harness;
  const prisma = () => h.app.ctx.prisma;
  const inbox = (openId: string) => h.fake.messagesTo(openId);
  const register = async () => ({
    versions: await prisma().empowermentVersion.count(),
    grants: await prisma().empowermentGrant.count(),
    matters: await prisma().empowermentMatter.count(),
  });

  const send = (openId: string, fileName: string, bytes: Buffer, answers = 1) =>
    sendFile(h, openId, fileName, bytes, answers);

  const importIt = (openId: string, preview: { messageId: string; content: unknown }) =>
    clickImport(h, openId, preview);

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(prisma());
    await seedTownship(prisma());
  });
  afterAll(() => h?.stop());

  it('the bureau: preview by grant, nothing written; 导入 records one version; the same file again records none', async () => {
    const bytes = await workbookOf(registerSheet(TOWN.name, 3, 2)); // one 交由行使 grant of 3 matters, one 委托 of 2
    const [preview] = await send(BUREAU.openId, '城关镇赋权事项.xlsx', bytes);
    const text = cardText(preview!.content);
    expect(text).toContain('导入预览 · 赋权事项登记表');
    expect(text).toContain('新增 / 更新 / 未变(份赋权文件)');
    expect(text).toContain('2 / 0 / 0');
    expect(await register()).toEqual({ versions: 0, grants: 0, matters: 0 });

    const answer = await importIt(BUREAU.openId, preview!);
    expect(answer.toast?.type).toBe('success');
    expect(cardText(answer.card)).toContain(
      '导入完成: 1 个乡镇/街道,2 份赋权文件,5 个事项;新登记版本 1 个,未变 0 个。',
    );
    expect(await register()).toEqual({ versions: 1, grants: 2, matters: 5 });
    const version = await prisma().empowermentVersion.findFirstOrThrow({ where: { township: TOWN.name } });
    expect(version.decision).toMatchObject({
      kind: 'import',
      reference: '城关镇赋权事项.xlsx',
      decidedBy: BUREAU.openId,
    });

    const [again] = await send(BUREAU.openId, '城关镇赋权事项.xlsx', bytes);
    expect(cardText(again!.content)).toContain('0 / 0 / 2');
    const second = await importIt(BUREAU.openId, again!);
    expect(cardText(second.card)).toContain('新登记版本 0 个,未变 1 个');
    expect(await register()).toEqual({ versions: 1, grants: 2, matters: 5 });
  });

  it('a changed matter counts its grant as updated, another township’s grant as added', async () => {
    const town = registerSheet(TOWN.name, 3, 2);
    town.rows[0]!.cells[10] = '自然资源事项1(调整后名称)';
    const [preview] = await send(
      BUREAU.openId,
      '全县赋权事项.xlsx',
      await workbookOf(joined(town, registerSheet(OTHER_TOWN, 1, 0))),
    );
    expect(cardText(preview!.content)).toContain('1 / 1 / 1');
    await importIt(BUREAU.openId, preview!);
    expect(await prisma().empowermentVersion.count({ where: { township: TOWN.name } })).toBe(2);
    expect(await prisma().empowermentVersion.count({ where: { township: OTHER_TOWN } })).toBe(1);
    expect(await prisma().empowermentMatter.count({ where: { name: '自然资源事项1(调整后名称)' } })).toBe(1);
  });

  it('a township admin’s file with another township’s row: a row error naming row and 乡镇/街道, nothing written', async () => {
    const before = await register();
    const file = joined(registerSheet(TOWN.name, 2, 0), registerSheet(OTHER_TOWN, 1, 0)); // the 龙溪镇 row is row 4
    const answers = await send(TOWN.admin.openId, '赋权事项.xlsx', await workbookOf(file), 2);
    const text = cardText(answers.find((m) => m.msgType === 'interactive')!.content);
    expect(text).toContain('文件有错误,未导入');
    expect(text).toContain(`第 4 行 · 乡镇/街道「${OTHER_TOWN}」: 只能导入本乡镇/街道(${TOWN.name})的赋权事项`);
    expect(text).not.toContain('第 2 行');
    expect(text).not.toContain('file_import');
    const { workbook } = await receivedWorkbook(h, TOWN.admin.openId); // the error workbook, last column the error
    const errorRow = workbook.worksheets[0]!.getRow(2);
    expect(errorRow.getCell(1).value).toBe(4);
    expect(String(errorRow.getCell(errorRow.cellCount).value)).toContain('只能导入本乡镇/街道');
    expect(await register()).toEqual(before);

    // Their own township alone is theirs to import.
    const [own] = await send(TOWN.admin.openId, '赋权事项.xlsx', await workbookOf(registerSheet(TOWN.name, 3, 2)));
    expect(cardText(own!.content)).toContain('导入预览 · 赋权事项登记表');
  });

  it('a register with a 委托 term changed in place: the preview says so on its row, before any click', async () => {
    const file = registerSheet(TOWN.name, 3, 2, { termEnd: '2027-06-30' });
    const answers = await send(BUREAU.openId, '改期限.xlsx', await workbookOf(file), 2);
    const text = cardText(answers.find((m) => m.msgType === 'interactive')!.content);
    expect(text).toContain('第 5 行 · 文号「县市监委〔2025〕1号」');
    expect(text).toContain('期限不能直接改动');
  });

  it('模板 gives the bureau an empowerment template whose header imports as the register', async () => {
    await sayTo(h, BUREAU.openId, '模板');
    await h.fake.waitFor(
      () => inbox(BUREAU.openId).some((m) => m.msgType === 'text' && String(m.content.text).includes('导入模板')),
      15_000,
    );
    const files = inbox(BUREAU.openId).filter(
      (m) =>
        m.msgType === 'file' &&
        h.fake.uploadedFile(m.content.file_key as string)?.fileName === templateFileName('empowerment'),
    );
    expect(files).toHaveLength(1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(h.fake.fileBytes(files[0]!.content.file_key as string)! as unknown as ArrayBuffer);
    const headers = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headers).toEqual(templateHeaders('empowerment'));
    expect(headers.slice(0, 3)).toEqual(['乡镇/街道', '形式', '文号']);
    expect(recogniseKind(headers)).toBe('empowerment');
    const help = wb.getWorksheet(TEMPLATE_HELP_SHEET)!;
    expect(help.rowCount).toBe(headers.length + 1);
    const helpRow = (header: string) => help.getRows(2, help.rowCount - 1)!.find((r) => r.getCell(1).value === header)!;
    expect(String(helpRow('形式').getCell(3).value)).toContain('交由行使 或 委托');
    expect(helpRow('委托部门').getCell(2).value).toBe('委托必填');
    expect(String(helpRow('期限起').getCell(3).value)).toContain('2026-03-05');

    // A township's admin on the register gets it too; a county department's admin does not.
    const templatesOf = async (openId: string) => {
      await sayTo(h, openId, '模板');
      await h.fake.waitFor(
        () => inbox(openId).some((m) => m.msgType === 'text' && String(m.content.text).includes('导入模板')),
        15_000,
      );
      return inbox(openId)
        .filter((m) => m.msgType === 'file')
        .map((m) => h.fake.uploadedFile(m.content.file_key as string)?.fileName);
    };
    expect(await templatesOf(TOWN.admin.openId)).toContain(templateFileName('empowerment'));
    expect(await templatesOf(PEOPLE.admin.openId)).not.toContain(templateFileName('empowerment'));
  });
});

describe('the calendar preview diffs against the days already loaded', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
  });
  afterAll(() => h?.stop());

  it('a loaded day is unchanged, a loaded day with another 类型 is updated, a new day is added; nothing written', async () => {
    // The shipped 2026 calendar has 2026-01-01 and 2026-01-02 as 休 元旦, and nothing on 2026-12-31.
    const loaded = await h.app.ctx.prisma.calendarDay.count();
    const bytes = Buffer.from(
      '日期,类型,名称\n2026-01-01,休,元旦\n2026-01-02,班,元旦调休上班\n2026-12-31,休,测试假期\n',
    );
    await h.fake.userSendsFile(h.eventUrl, BUREAU.openId, '2026日历.csv', bytes);
    await h.fake.waitFor(() => h.fake.messagesTo(BUREAU.openId).length > 0, 15_000);
    const text = cardText(h.fake.messagesTo(BUREAU.openId)[0]!.content);
    expect(text).toContain('工作日历');
    expect(text).toContain('1 / 1 / 1');
    expect(await h.app.ctx.prisma.calendarDay.count()).toBe(loaded);
  });
});
