import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSheetBytes, SheetError } from '../../src/platform/sheets/spreadsheet';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { cardText, clickImport, sendFile, startHarness, type Harness } from '../support/lawdesk';
import { certificateLatencyWhile, rosterXlsx, strayCellXlsx, zipOf } from './crafted-xlsx';

// Issue 20, item 1: reading a spreadsheet walked exceljs's columnCount per row (rows² × columns) on the event
// loop. An 8,000-row roster in chat kept everyone else waiting 11 s and its 导入 click was answered after 14 s;
// a 1.7 KB file with one cell at GR20000 pinned the CPU for minutes. Now a sheet is read off the event loop in
// time linear in its cells, its declared size is checked first, and a read past its time budget is stopped.

describe('a spreadsheet cannot freeze LawDesk', () => {
  let h: Harness;
  const prisma = () => h.app.ctx.prisma;

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(prisma());
  });
  afterAll(() => h?.stop());

  it('an 8,000-row roster in chat: everyone else is answered meanwhile, and the 导入 click within Feishu’s 3 s', async () => {
    const sending = sendFile(h, PEOPLE.admin.openId, '大名册.xlsx', await rosterXlsx(8000));
    const latencies = await certificateLatencyWhile(h, PEOPLE.officer.openId, sending);
    const [preview] = await sending;
    expect(cardText(preview!.content)).toContain('8000 / 0 / 0');
    expect(Math.max(...latencies)).toBeLessThan(1000);

    const clicked = performance.now();
    const answer = await clickImport(h, PEOPLE.admin.openId, preview!);
    expect(performance.now() - clicked).toBeLessThan(3000);
    expect(answer.toast?.content).toBe('已开始导入');
  }, 120_000);

  it('one cell at GR20000 in a tiny file: one sentence within seconds, nothing written, nobody else waits', async () => {
    const bytes = await strayCellXlsx('GR20000');
    expect(bytes.length).toBeLessThan(10_000);
    const count = await prisma().officer.count();
    const started = performance.now();
    const sending = sendFile(h, PEOPLE.admin.openId, '名册.xlsx', bytes);
    const latencies = await certificateLatencyWhile(h, PEOPLE.officer.openId, sending);
    const [reply] = await sending;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(reply!.msgType).toBe('text');
    expect(reply!.content.text).toMatch(/^「名册\.xlsx」.*A1:GR20000.*[。]$/);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(await prisma().officer.count()).toBe(count);
  }, 300_000);

  it('a sheet that declares more than 50,000 rows is refused before it is read', async () => {
    const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C60001"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>执法证号</t></is></c><c r="C1" t="inlineStr"><is><t>单位</t></is></c></row></sheetData></worksheet>`;
    const bytes = zipOf([
      {
        name: 'xl/workbook.xml',
        text: '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        text: '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      },
      { name: 'xl/worksheets/sheet1.xml', text: sheet },
    ]);
    const [reply] = await sendFile(h, PEOPLE.admin.openId, '长表.xlsx', bytes);
    expect(reply!.content.text).toContain('超过 50000 行');
  });

  // Parts of a sheet exceljs expands cell by cell on load, each a few bytes in the file.
  const oneSheet = (sheetXml: string, workbookExtra = '') =>
    zipOf([
      {
        name: 'xl/workbook.xml',
        text: `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets>${workbookExtra}</workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        text: '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      },
      {
        name: 'xl/worksheets/sheet1.xml',
        text: `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>执法证号</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>刘一</t></is></c><c r="B2" t="inlineStr"><is><t>HN901</t></is></c></row></sheetData>${sheetXml}</worksheet>`,
      },
    ]);

  it.each([
    [
      'a whole-column drop-down (as templates have)',
      oneSheet(
        '<dataValidations count="1"><dataValidation type="list" sqref="B2:B1048576"><formula1>"a,b"</formula1></dataValidation></dataValidations>',
      ),
    ],
    [
      'a defined name over the whole sheet',
      oneSheet('', '<definedNames><definedName name="全表">名册!$A$1:$XFD$1048576</definedName></definedNames>'),
    ],
  ])('%s: read in a moment', async (_name, bytes) => {
    const started = performance.now();
    const sheet = await readSheetBytes(bytes, '名册.xlsx');
    expect(sheet.rows).toEqual([{ row: 2, cells: ['刘一', 'HN901'] }]);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('one merge over the whole sheet: refused in a sentence, in a moment', async () => {
    const started = performance.now();
    const refused = await readSheetBytes(
      oneSheet('<mergeCells count="1"><mergeCell ref="C1:XFD1048576"/></mergeCells>'),
      '名册.xlsx',
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SheetError);
    expect((refused as Error).message).toMatch(/^「名册\.xlsx」.*合并单元格/);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('a read past its time budget is stopped and says so; the next read works', async () => {
    const bytes = await rosterXlsx(8000);
    const refused = await readSheetBytes(bytes, '名册.xlsx', { timeBudgetMs: 50 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SheetError);
    expect((refused as Error).message).toContain('已停止读取');
    expect((await readSheetBytes(await rosterXlsx(3), '名册.xlsx')).rows).toHaveLength(3);
  }, 120_000);
});
