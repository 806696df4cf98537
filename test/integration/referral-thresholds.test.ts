import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_HELP_SHEET, templateFileName, templateHeaders } from '../../src/processes/files/templates';
import { checkCaseAmount } from '../../src/processes/referral/store';
import { loadThresholdFile } from '../../src/processes/referral/thresholds';
import { parseCsv } from '../../src/platform/sheets/spreadsheet';
import { EXAMPLE_THRESHOLDS } from '../../src/processes/referral/rules';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import {
  buttonValue,
  cardText,
  clickCard,
  clickImport,
  csvBytes,
  type Harness,
  receivedWorkbook,
  sayTo,
  sendFile,
  startHarness,
} from '../support/lawdesk';

// The county's prosecution thresholds (追诉标准 differ by province and change) as a file the bureau sends in
// chat: previewed against the table in force by 案件类型 (what it adds, changes and removes), loaded at 导入 by
// the CLI's own loader, and the next 登记案值 checks the county's amount instead of the shipped example's.

const BUREAU = PEOPLE.reviewer;
const csv = csvBytes;

// Against the shipped examples (three types at 50,000 yuan): fakeProducts drops to 30,000, counterfeitTrademark
// is written as shipped, illegalBusiness is new and counterfeitGoods is left out.
const COUNTY = [
  '案件类型,名称,追诉标准(元),依据',
  'fakeProducts,生产、销售伪劣产品(销售金额),3万,刑法第140条; 本省立案追诉标准',
  'counterfeitTrademark,假冒注册商标(非法经营数额),"50,000",刑法第213条; 立案追诉标准',
  'illegalBusiness,非法经营(经营数额),５０００００,刑法第225条',
];

describe('prosecution thresholds sent as a file in chat', () => {
  let h: Harness;
  const prisma = () => h.app.ctx.prisma;
  const inbox = (openId: string) => h.fake.messagesTo(openId);
  const table = () => prisma().referralThreshold.findMany({ orderBy: { caseType: 'asc' } });

  const send = (openId: string, fileName: string, bytes: Buffer, answers = 1) =>
    sendFile(h, openId, fileName, bytes, answers);
  const importIt = (openId: string, preview: { messageId: string; content: unknown }) =>
    clickImport(h, openId, preview);

  async function caseAmountForm() {
    const before = inbox(PEOPLE.officer.openId).length;
    await sayTo(h, PEOPLE.officer.openId, '登记案值');
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === before + 1, 10_000);
    return inbox(PEOPLE.officer.openId).at(-1)!.content;
  }

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(prisma());
  });
  afterAll(() => h?.stop());

  it('a unit admin’s file is refused, and a forged 导入 click too; nothing is written', async () => {
    const before = await table();
    const [admin] = await send(PEOPLE.admin.openId, '追诉标准.csv', csv(COUNTY));
    expect(admin!.content.text).toBe('追诉标准由司法局导入。');
    const [preview] = await send(BUREAU.openId, '追诉标准.csv', csv(COUNTY));
    expect((await importIt(PEOPLE.admin.openId, preview!)).toast?.content).toBe('您没有导入这个文件的权限');
    expect(await table()).toEqual(before);
    expect(await prisma().auditEvent.count({ where: { action: 'referral.thresholds_loaded' } })).toBe(0);
  });

  it('a bad file: an error card naming row and column, the error workbook, and the table untouched', async () => {
    const before = await table();
    const bad = [
      ...COUNTY.slice(0, 2),
      'counterfeitTrademark,假冒注册商标,五万,刑法第213条',
      'fakeProducts,重复一行,30000,',
    ];
    const answers = await send(BUREAU.openId, '追诉标准.xlsx', await xlsx(bad), 2);
    const text = cardText(answers.find((m) => m.msgType === 'interactive')!.content);
    expect(text).toContain('文件有错误,未导入');
    expect(text).toContain('第 3 行 · 追诉标准(元)「五万」: 追诉标准应为大于 0 的整数元,如 50000、50,000 或 5万');
    expect(text).toContain('第 4 行 · 案件类型「fakeProducts」: 与第 2 行重复');
    expect(text).toContain('第 4 行 · 依据: 依据不能为空');
    expect(text).not.toContain('file_import');
    const { workbook } = await receivedWorkbook(h, BUREAU.openId);
    expect(workbook.worksheets[0]!.getRow(2).getCell(1).value).toBe(3);
    expect(await table()).toEqual(before);
  });

  it('the bureau previews what it adds, changes and removes; 导入 replaces the table, audited, and 登记案值 checks the county’s amount', async () => {
    // Below the example's 50,000: no prompt while the examples are in force.
    expect(
      await checkCaseAmount(prisma(), {
        unitName: '县市场监管局',
        caseRef: '县市监罚〔2026〕20号',
        caseType: 'fakeProducts',
        amountYuan: 40_000,
        openId: PEOPLE.officer.openId,
      }),
    ).toBeUndefined();
    const shipped = await table();
    expect(shipped.every((t) => t.example)).toBe(true);
    expect(cardText(await caseAmountForm())).toContain('标准为示例数据');

    const [preview] = await send(BUREAU.openId, '追诉标准.csv', csv(COUNTY));
    const text = cardText(preview!.content);
    expect(text).toContain('导入预览 · 追诉标准');
    expect(text).toContain('1 / 1 / 1'); // illegalBusiness added; fakeProducts updated; counterfeitTrademark unchanged
    expect(text).toContain('将删除 1 项现有追诉标准');
    expect(await table()).toEqual(shipped);

    const answer = await importIt(BUREAU.openId, preview!);
    expect(answer.toast?.type).toBe('success');
    expect(cardText(answer.card)).toContain('追诉标准已载入: 3 项(登记案值时按此提示)');
    expect((await table()).map((t) => [t.caseType, t.amountYuan, t.example])).toEqual([
      ['counterfeitTrademark', 50_000, false],
      ['fakeProducts', 30_000, false],
      ['illegalBusiness', 500_000, false],
    ]);
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'referral.thresholds_loaded' } });
    expect(audit.actor).toBe(BUREAU.openId);
    expect(audit.details).toMatchObject({
      file: '追诉标准.csv',
      before: expect.arrayContaining([expect.objectContaining({ caseType: 'counterfeitGoods', example: true })]),
      after: expect.arrayContaining([
        expect.objectContaining({ caseType: 'fakeProducts', amountYuan: 30_000, example: false }),
      ]),
    });

    // The form offers the county's types and no longer calls them examples; 40,000 now reaches fakeProducts.
    const form = await caseAmountForm();
    expect(cardText(form)).toContain('非法经营(经营数额)');
    expect(cardText(form)).not.toContain('counterfeitGoods');
    expect(cardText(form)).toContain('标准由司法局按现行立案追诉标准维护');
    const submit = buttonValue(form, { action: 'case_amount_submit' });
    const before = inbox(PEOPLE.officer.openId).length;
    const asked = await clickCard(h, PEOPLE.officer.openId, submit, {
      formValue: { caseRef: '县市监罚〔2026〕21号', caseType: 'fakeProducts', amount: '40000' },
    });
    expect(asked.toast?.type).toBe('warning');
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === before + 1, 10_000);
    expect(cardText(inbox(PEOPLE.officer.openId).at(-1)!.content)).toContain(
      '已达到 30,000 元的追诉标准(刑法第140条; 本省立案追诉标准)',
    );
    const below = await clickCard(h, PEOPLE.officer.openId, submit, {
      formValue: { caseRef: '县市监罚〔2026〕22号', caseType: 'illegalBusiness', amount: '400000' },
    });
    expect(below.toast?.content).toBe('已登记,未达到追诉标准');

    // The same file again: everything unchanged, nothing to remove.
    const [again] = await send(BUREAU.openId, '追诉标准.xlsx', await xlsx(COUNTY));
    expect(cardText(again!.content)).toContain('0 / 0 / 3');
    expect(cardText(again!.content)).not.toContain('将删除');
  });

  it('a recorded prompt does not stop its case type from being removed; the CLI’s loader takes a file path', async () => {
    expect(await prisma().referralPrompt.count({ where: { caseType: 'fakeProducts' } })).toBe(1);
    const file = h.writeFile(
      'thresholds.csv',
      [
        'case_type,title,amount_yuan,basis',
        ...EXAMPLE_THRESHOLDS.slice(1).map((t) => `${t.caseType},${t.title},${t.amountYuan},"${t.basis}"`),
      ].join('\n'),
    );
    expect(await loadThresholdFile(prisma(), file, 'cli')).toEqual({ ok: true, thresholds: 2 });
    expect((await table()).map((t) => t.caseType)).toEqual(['counterfeitGoods', 'counterfeitTrademark']);
    expect(await prisma().referralPrompt.count({ where: { caseType: 'fakeProducts' } })).toBe(1);
    const audit = await prisma().auditEvent.findFirstOrThrow({
      where: { action: 'referral.thresholds_loaded', actor: 'cli' },
    });
    expect(audit.details).toMatchObject({ file: 'thresholds.csv' });
    // A form sent before the change still offers fakeProducts: its submission is told the type is gone.
    const stale = await clickCard(
      h,
      PEOPLE.officer.openId,
      { action: 'case_amount_submit' },
      { formValue: { caseRef: '县市监罚〔2026〕23号', caseType: 'fakeProducts', amount: '90000' } },
    );
    expect(stale.toast).toMatchObject({ type: 'error', content: expect.stringContaining('没有这个案件类型') });
  });

  it('模板 gives the bureau the thresholds template, whose 填写说明 says the shipped rows are examples and amounts are in yuan', async () => {
    await sayTo(h, BUREAU.openId, '模板');
    const name = templateFileName('referral_threshold');
    await h.fake.waitFor(
      () =>
        inbox(BUREAU.openId).some(
          (m) => m.msgType === 'file' && h.fake.uploadedFile(m.content.file_key as string)?.fileName === name,
        ),
      15_000,
    );
    const message = inbox(BUREAU.openId).find(
      (m) => m.msgType === 'file' && h.fake.uploadedFile(m.content.file_key as string)?.fileName === name,
    )!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(h.fake.fileBytes(message.content.file_key as string)! as unknown as ArrayBuffer);
    expect((wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1).map(String)).toEqual(
      templateHeaders('referral_threshold'),
    );
    expect(templateHeaders('referral_threshold')).toEqual(['案件类型', '名称', '追诉标准(元)', '依据']);
    const help = wb.getWorksheet(TEMPLATE_HELP_SHEET)!;
    const explain = new Map(
      help.getRows(2, help.rowCount - 1)!.map((r) => [String(r.getCell(1).value), String(r.getCell(3).value)]),
    );
    expect(explain.get('案件类型')).toContain('只是示例');
    expect(explain.get('追诉标准(元)')).toContain('单位为元');
  });
});

async function xlsx(lines: string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  // Split as CSV is read, so a quoted "50,000" stays one cell.
  for (const line of lines) ws.addRow(parseCsv(line)[0]!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
