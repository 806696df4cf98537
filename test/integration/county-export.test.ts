import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingActivities } from '../../src/processes/training/activities';
import { dateIn } from '../../src/core/dates';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import {
  buttonValue,
  clickCard,
  importSampleTraining,
  receivedWorkbook,
  sayTo,
  startHarness,
  type Harness,
} from '../support/lawdesk';

// 导出Excel on 学时统计 (the county) and on the year-end list, end to end through the fake Feishu: the click, the
// upload, the file message, then the uploaded bytes opened with exceljs. Someone not allowed gets a toast and
// nothing is uploaded.

describe('导出Excel of the county’s hours and of the year-end list', () => {
  let h: Harness;
  const today = dateIn('Asia/Shanghai', new Date());
  const year = Number(today.slice(0, 4));
  const say = (openId: string, text: string) => sayTo(h, openId, text);
  const click = (openId: string, messageId: string, value: Record<string, unknown>) =>
    clickCard(h, openId, value, { messageId });
  const inbox = (openId: string) => h.fake.messagesTo(openId);
  const uploads = () => h.fake.requests.filter((r) => r.path === '/open-apis/im/v1/files').length;
  const values = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
  let unitId: number;

  beforeAll(async () => {
    h = await startHarness();
    const prisma = h.app.ctx.prisma;
    await seedCounty(prisma);
    await loadTestCalendar(prisma, today, 0);
    // A second unit whose one officer has no hours at all: the county list must cover every unit.
    const transport = await prisma.unit.create({ data: { name: '县交通运输局' } });
    await prisma.officer.create({
      data: {
        name: '钱七',
        certNo: 'JT001',
        unitId: transport.id,
        role: 'officer',
        certExpires: new Date('2099-12-31T00:00:00Z'),
      },
    });
    unitId = (await prisma.unit.findFirstOrThrow({ where: { name: '县市场监管局' } })).id;
    await importSampleTraining(h, year);
  });
  afterAll(() => h?.stop());

  describe('学时统计', () => {
    let card: { messageId: string; value: Record<string, unknown> };
    beforeAll(async () => {
      await say(PEOPLE.reviewer.openId, '学时统计');
      await h.fake.waitFor(() => inbox(PEOPLE.reviewer.openId).length === 1);
      const sent = inbox(PEOPLE.reviewer.openId)[0]!;
      card = { messageId: sent.messageId, value: buttonValue(sent.content, { action: 'export_county_hours' }) };
    });

    it('sends the bureau every unit’s completion and everyone short of the requirement', async () => {
      expect((await click(PEOPLE.reviewer.openId, card.messageId, card.value)).toast).toEqual({
        type: 'success',
        content: '已发送Excel',
      });
      const { message, workbook, fileName } = await receivedWorkbook(h, PEOPLE.reviewer.openId);
      expect(message.uuid).toMatch(/^export-county-hours-/);
      expect(fileName).toBe(`全县${year}年度学时统计(截至${today}).xlsx`);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['各单位完成情况', '未达标人员']);

      const units = workbook.getWorksheet('各单位完成情况')!;
      expect(units.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(values(units, 1)).toEqual(['单位', '人数', '已达标', '进度正常', '落后', '有风险', '达标率']);
      expect(units.getRow(1).font?.bold).toBe(true);
      // Ranked as on the card: 县市场监管局 (1 of 2 met) before 县交通运输局 (none); the county total last.
      expect(values(units, 2).slice(0, 3)).toEqual(['县市场监管局', 2, 1]);
      expect(values(units, 2)[6]).toBe(0.5);
      expect(units.getCell('G2').numFmt).toBe('0.0%');
      expect(values(units, 3).slice(0, 3)).toEqual(['县交通运输局', 1, 0]);
      expect(values(units, 4)).toEqual([
        '全县合计',
        3,
        1,
        expect.any(Number),
        expect.any(Number),
        expect.any(Number),
        1 / 3,
      ]);
      const counted = (values(units, 4) as number[]).slice(3, 6).reduce((a, b) => a + b, 0);
      expect(counted).toBe(2); // everyone not met is on track, behind or at risk
      expect(units.getColumn(1).width).toBeGreaterThanOrEqual(12); // 县市场监管局 fits

      const short = workbook.getWorksheet('未达标人员')!;
      expect(short.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(values(short, 1)).toEqual([
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
      const names = [2, 3].map((r) => values(short, r)[0]).sort();
      expect(names).toEqual(['张三', '钱七'].sort());
      expect(short.rowCount).toBe(3); // 路人 has met the requirement and is not listed
      const zhang = [2, 3].map((r) => values(short, r)).find((v) => v[0] === '张三')!;
      expect(zhang.slice(0, 8)).toEqual(['张三', 'HN001', '县市场监管局', 6, 2, 3.5, 11.5, 48.5]);
    });

    it('refuses a unit admin and uploads nothing', async () => {
      const before = { uploads: uploads(), messages: h.fake.messages.length };
      const answer = await click(PEOPLE.admin.openId, card.messageId, card.value);
      expect(answer.toast).toEqual({
        type: 'warning',
        content: '全县学时统计由司法局和司法局领导导出。本单位的情况请发送「本单位学时」。',
      });
      expect({ uploads: uploads(), messages: h.fake.messages.length }).toEqual(before);
    });
  });

  describe('the year-end list', () => {
    let card: { messageId: string; value: Record<string, unknown> };
    beforeAll(async () => {
      // The year-end activity as the training-year workflow runs it: files the list and sends it to the unit head.
      const filed = await trainingActivities({ prisma: h.app.ctx.prisma, feishu: h.app.ctx.feishu }).fileYearEnd({
        unitId,
        year,
      });
      expect(filed.short).toEqual(['HN001']);
      const sent = inbox(PEOPLE.head.openId).at(-1)!;
      card = { messageId: sent.messageId, value: buttonValue(sent.content, { action: 'export_year_end' }) };
    });

    it('sends the unit head the filed list with what to do about each officer', async () => {
      expect((await click(PEOPLE.head.openId, card.messageId, card.value)).toast).toEqual({
        type: 'success',
        content: '已发送Excel',
      });
      const { message, workbook, fileName } = await receivedWorkbook(h, PEOPLE.head.openId);
      expect(message.uuid).toMatch(/^export-year-end-/);
      expect(fileName).toBe(`县市场监管局${year}年度学时不足名单.xlsx`);
      expect(workbook.worksheets.map((s) => s.name)).toEqual([`${year}年度学时不足名单`]);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(values(sheet, 1)).toEqual([
        '姓名',
        '执法证号',
        '单位',
        '年终学时',
        '年度要求',
        '还差',
        '目前学时',
        '证件状态',
        '建议处理',
      ]);
      expect(values(sheet, 2)).toEqual([
        '张三',
        'HN001',
        '县市场监管局',
        11.5,
        60,
        48.5,
        11.5,
        '有效',
        '暂缓年度注册;可申请暂扣证件,补足 48.5 学时后恢复',
      ]);
      expect(sheet.getColumn(9).width).toBeGreaterThan(20);
    });

    it('says so once the certificate has been suspended', async () => {
      await h.app.ctx.prisma.officer.update({ where: { certNo: 'HN001' }, data: { certStatus: 'suspended' } });
      try {
        expect((await click(PEOPLE.reviewer.openId, card.messageId, card.value)).toast?.type).toBe('success');
        const { workbook } = await receivedWorkbook(h, PEOPLE.reviewer.openId);
        expect(values(workbook.worksheets[0]!, 2).slice(7)).toEqual(['暂扣', '证件已暂扣;补足 48.5 学时后申请恢复']);
      } finally {
        await h.app.ctx.prisma.officer.update({ where: { certNo: 'HN001' }, data: { certStatus: 'active' } });
      }
    });

    it('refuses an officer and uploads nothing', async () => {
      const before = { uploads: uploads(), messages: h.fake.messages.length };
      const answer = await click(PEOPLE.officer.openId, card.messageId, card.value);
      expect(answer.toast).toEqual({ type: 'warning', content: '学时不足名单由本单位法制员、负责人和司法局导出。' });
      expect({ uploads: uploads(), messages: h.fake.messages.length }).toEqual(before);
    });
  });
});
