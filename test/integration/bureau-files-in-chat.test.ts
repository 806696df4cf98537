import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_HELP_SHEET, templateFileName, templateHeaders } from '../../src/processes/files/templates';
import { readEmpowermentSettings } from '../../src/processes/empowerment/settings';
import { FILE_KINDS, recogniseKind } from '../../src/processes/files/chat-file';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import {
  cardText,
  clickImport,
  csvBytes,
  type Harness,
  receivedWorkbook,
  sayTo,
  sendFile,
  startHarness,
} from '../support/lawdesk';

// The bureau's own CLI loads as files sent in chat (issue 11): the escalation ladder, rotation campaigns and
// the field → original department map are recognised by their header, previewed against what is in force
// without writing (the ladder and the map also say what they would remove), and loaded at 导入 by the CLI's
// own function. Only the bureau may: a unit admin is refused and nothing is written.

const BUREAU = PEOPLE.reviewer;
const csv = csvBytes;

async function xlsx(lines: string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const line of lines) ws.addRow(line.split(','));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// Against the shipped ladder (*/*: half, due, due+1, due+5; lead/*: due): two rungs the same, one telling
// other people, one new; due+5 and lead's rung are left out, so the file would remove them.
const LADDER = [
  '流程,步骤,时点,通知对象',
  '*,*,过半,办理人',
  '*,*,到期,上级、办理人',
  '*,*,超期1个工作日,办理人 上级 司法局',
  'certificate,bureau,到期,办理人、司法局',
];

describe('the bureau’s settings sent as files in chat', () => {
  let h: Harness;
  const prisma = () => h.app.ctx.prisma;
  const ladder = () =>
    prisma().escalationRule.findMany({ orderBy: [{ process: 'asc' }, { stepKey: 'asc' }, { milestone: 'asc' }] });

  const send = (openId: string, fileName: string, bytes: Buffer, answers = 1) =>
    sendFile(h, openId, fileName, bytes, answers);

  const importIt = (openId: string, preview: { messageId: string; content: unknown }) =>
    clickImport(h, openId, preview);

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(prisma());
  });
  afterAll(() => h?.stop());

  it('the escalation ladder: a preview counting what it adds, changes and removes, nothing written; 导入 replaces the ladder and is audited', async () => {
    const shipped = await ladder();
    expect(shipped).toHaveLength(5);
    const [preview] = await send(BUREAU.openId, '催办升级规则.csv', csv(LADDER));
    const text = cardText(preview!.content);
    expect(text).toContain('导入预览 · 催办升级规则');
    expect(text).toContain('1 / 1 / 2'); // certificate/bureau added; due+1 now tells the bureau; half and due (any order of people) unchanged
    expect(text).toContain('将删除 2 条现有规则');
    expect(await ladder()).toEqual(shipped);

    const answer = await importIt(BUREAU.openId, preview!);
    expect(answer.toast?.type).toBe('success');
    expect(cardText(answer.card)).toContain('催办升级规则已替换: 4 条');
    expect((await ladder()).map((r) => [r.process, r.stepKey, r.milestone, r.notify.join('+')])).toEqual([
      ['*', '*', 'due', 'superior+owner'],
      ['*', '*', 'due+1', 'owner+superior+bureau'],
      ['*', '*', 'half', 'owner'],
      ['certificate', 'bureau', 'due', 'owner+bureau'],
    ]);
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'escalation.loaded' } });
    expect(audit.actor).toBe(BUREAU.openId);
    expect(audit.details).toMatchObject({
      file: '催办升级规则.csv',
      after: expect.arrayContaining([expect.objectContaining({ process: 'certificate' })]),
    });

    // The same ladder again, as xlsx: every rung unchanged, nothing to remove.
    const [again] = await send(BUREAU.openId, '催办升级规则.xlsx', await xlsx(LADDER));
    expect(cardText(again!.content)).toContain('0 / 0 / 4');
    expect(cardText(again!.content)).not.toContain('将删除');
  });

  it('a bad rung: an error card naming row and column, the error workbook, and the ladder untouched', async () => {
    const before = await ladder();
    const bad = [...LADDER.slice(0, 2), '*,*,到期后,上级', ...LADDER.slice(3)]; // row 3
    const answers = await send(BUREAU.openId, '升级规则.xlsx', await xlsx(bad), 2);
    const card = answers.find((m) => m.msgType === 'interactive')!;
    const text = cardText(card.content);
    expect(text).toContain('文件有错误,未导入');
    expect(text).toContain('第 3 行 · 时点「到期后」: 时点应为 过半(half)、到期(due) 或 超期N个工作日(due+N)');
    expect(text).not.toContain('file_import');
    const { workbook } = await receivedWorkbook(h, BUREAU.openId);
    expect(workbook.worksheets[0]!.getRow(2).getCell(1).value).toBe(3);
    expect(await ladder()).toEqual(before);
  });

  it('a unit admin and an officer sending the ladder are refused, and nothing is written; a forged 导入 click is refused too', async () => {
    const before = await ladder();
    const audits = await prisma().auditEvent.count();
    const [admin] = await send(PEOPLE.admin.openId, '升级规则.csv', csv(LADDER));
    expect(admin!.content.text).toBe('催办升级规则由司法局导入。');
    const [officer] = await send(PEOPLE.officer.openId, '升级规则.csv', csv(LADDER));
    expect(officer!.content.text).toContain('由本单位法制员或司法局导入');

    // The bureau's own preview button, clicked by the unit admin.
    const [preview] = await send(BUREAU.openId, '升级规则.csv', csv([...LADDER, 'lead,*,到期,办理人']));
    const answer = await importIt(PEOPLE.admin.openId, preview!);
    expect(answer.toast?.content).toBe('您没有导入这个文件的权限');
    expect(await ladder()).toEqual(before);
    expect(await prisma().auditEvent.count()).toBe(audits);
  });

  it('the department map: preview by 领域 against the map in force, 导入 makes it the map rounds read', async () => {
    const first = ['领域,原主管部门', '自然资源,县自然资源局', '市场监管,县市场监管局', '农业农村,县农业农村局'];
    const [preview] = await send(BUREAU.openId, '领域对照表.csv', csv(first));
    expect(cardText(preview!.content)).toContain('导入预览 · 领域与原主管部门对照表');
    expect(cardText(preview!.content)).toContain('3 / 0 / 0');
    expect((await readEmpowermentSettings(prisma())).originalDepartments).toEqual({});
    expect((await importIt(BUREAU.openId, preview!)).toast?.type).toBe('success');

    // 自然资源 moves, 市场监管 stays, 农业农村 is left out, 城市管理 is new.
    const second = ['领域,原主管部门', '自然资源,县规划和自然资源局', '市场监管,县市场监管局', '城市管理,县城市管理局'];
    const [next] = await send(BUREAU.openId, '领域对照表.xlsx', await xlsx(second));
    expect(cardText(next!.content)).toContain('1 / 1 / 1');
    expect(cardText(next!.content)).toContain('将删除 1 个现有领域');
    const answer = await importIt(BUREAU.openId, next!);
    expect(cardText(answer.card)).toContain('3 个领域');
    expect((await readEmpowermentSettings(prisma())).originalDepartments).toEqual({
      自然资源: '县规划和自然资源局',
      市场监管: '县市场监管局',
      城市管理: '县城市管理局',
    });
    expect(
      await prisma().auditEvent.count({
        where: { action: 'empowerment.original_departments_loaded', actor: BUREAU.openId },
      }),
    ).toBe(2);
  });

  it('rotation campaigns: previewed by name (never removed), imported as the CLI does', async () => {
    const file = ['名称,课程,截止日期,单位', '2026年全员轮训,行政执法规范化培训,2026-12-31,县市场监管局、县司法局'];
    const [preview] = await send(BUREAU.openId, '全员轮训.csv', csv(file));
    expect(cardText(preview!.content)).toContain('导入预览 · 全员轮训');
    expect(cardText(preview!.content)).toContain('1 / 0 / 0');
    expect(await prisma().trainingCampaign.count()).toBe(0);
    const answer = await importIt(BUREAU.openId, preview!);
    expect(cardText(answer.card)).toContain('已导入全员轮训: 2026年全员轮训');
    expect(await prisma().trainingCampaign.findUniqueOrThrow({ where: { name: '2026年全员轮训' } })).toMatchObject({
      course: '行政执法规范化培训',
      units: ['县市场监管局', '县司法局'],
    });

    // A later deadline for it and a second campaign: one updated, one added.
    const later = [
      file[0]!,
      '2026年全员轮训,行政执法规范化培训,2027-01-31,县司法局、县市场监管局',
      '2027年全员轮训,行政复议法,2027-12-31,县市场监管局',
    ];
    const [next] = await send(BUREAU.openId, '全员轮训.xlsx', await xlsx(later));
    expect(cardText(next!.content)).toContain('1 / 1 / 0');
    expect(cardText(next!.content)).not.toContain('将删除');
  });
});

describe('recognising the bureau’s files among the others', () => {
  it.each([
    [['流程', '步骤', '时点', '通知对象'], 'escalation'],
    [['process', 'step', 'milestone', 'notify'], 'escalation'],
    [['名称', '课程', '截止日期', '单位'], 'campaign'],
    [['name', 'course', 'deadline', 'units'], 'campaign'],
    [['领域', '原主管部门'], 'department_map'],
    [['field', 'department'], 'department_map'],
    // A register has a 领域 column and, in English, a department column: still the register.
    [
      ['township', 'form', 'document_no', 'department', 'matter_code', 'matter_name', 'field', 'legal_basis'],
      'empowerment',
    ],
    // Training exports with a 名称 and 单位 are still training; a calendar with 名称 is still a calendar.
    [['执法证号', '姓名', '单位', '课程', '类别', '学时', '日期', '名称'], 'training'],
    [['日期', '类型', '名称'], 'calendar'],
    [['姓名', '执法证号', '单位'], 'roster'],
  ])('%j is %s', (headers, kind) => {
    expect(recogniseKind(headers)).toBe(kind);
  });

  it('every kind’s template header is read back as that kind', () => {
    for (const kind of FILE_KINDS) expect(recogniseKind(templateHeaders(kind))).toBe(kind);
  });
});

describe('模板 sends the bureau the templates of its settings files', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
  });
  afterAll(() => h?.stop());

  async function templatesOf(openId: string) {
    await sayTo(h, openId, '模板');
    await h.fake.waitFor(() => h.fake.messagesTo(openId).some((m) => m.msgType === 'text'), 15_000);
    return h.fake
      .messagesTo(openId)
      .filter((m) => m.msgType === 'file')
      .map((m) => m.content.file_key as string);
  }

  it('the bureau gets the ladder, campaign, department-map and lead-rule templates, each with a 填写说明; a unit admin does not', async () => {
    const keys = await templatesOf(BUREAU.openId);
    const byName = new Map(keys.map((key) => [h.fake.uploadedFile(key)?.fileName, key]));
    const help = async (kind: 'escalation' | 'campaign' | 'department_map' | 'lead_rules') => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(h.fake.fileBytes(byName.get(templateFileName(kind))!)! as unknown as ArrayBuffer);
      expect((wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1).map(String)).toEqual(templateHeaders(kind));
      const sheet = wb.getWorksheet(TEMPLATE_HELP_SHEET)!;
      return new Map(
        sheet.getRows(2, sheet.rowCount - 1)!.map((r) => [String(r.getCell(1).value), String(r.getCell(3).value)]),
      );
    };
    const ladder = await help('escalation');
    expect([...ladder.keys()]).toEqual(['流程', '步骤', '时点', '通知对象']);
    expect(ladder.get('时点')).toContain('过半 / 到期 / 超期N个工作日');
    expect(ladder.get('通知对象')).toContain('办理人、上级、司法局');
    expect([...(await help('campaign')).keys()]).toEqual(['名称', '课程', '截止日期', '单位']);
    expect([...(await help('department_map')).keys()]).toEqual(['领域', '原主管部门']);
    expect((await help('lead_rules')).get('项目')).toContain('签收 / 退单 / 退单次数 / 超期通报');

    const admin = (await templatesOf(PEOPLE.admin.openId)).map((key) => h.fake.uploadedFile(key)?.fileName);
    for (const kind of ['escalation', 'campaign', 'department_map', 'lead_rules', 'referral_threshold'] as const)
      expect(admin).not.toContain(templateFileName(kind));
  });
});
