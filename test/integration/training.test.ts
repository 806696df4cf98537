import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../src/processes/training/campaign-store';
import { importTraining } from '../../src/processes/training/import';
import { readSheet } from '../../src/platform/sheets/spreadsheet';
import { dateIn } from '../../src/core/dates';
import { cardActionEvent, messageReceiveEvent } from '../fakes/fake-feishu';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, startHarness, type Harness } from '../support/lawdesk';

// Training hours through chat: an import shows on the officer's 学时 card; a self-report is confirmed by the
// unit admin's click and the totals change; a click by anyone else is refused.

describe('training hours in chat', () => {
  let h: Harness;
  const today = dateIn('Asia/Shanghai', new Date());
  const year = today.slice(0, 4);
  const say = (openId: string, text: string) =>
    h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId, text }), { encrypt: true });
  const click = async (openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) =>
    JSON.parse(
      (await h.fake.sendEvent(h.eventUrl, cardActionEvent({ openId, value, formValue }), { encrypt: true })).body,
    ) as { toast?: { type: string; content: string } };
  const inbox = (openId: string) => h.fake.messagesTo(openId);
  const lastCard = (openId: string) => cardText(inbox(openId).at(-1)!.content);

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(h.app.ctx.prisma);
    await loadTestCalendar(h.app.ctx.prisma, today, 0);
  });
  afterAll(() => h?.stop());

  it('imports records, refuses bad rows, and adds nothing twice', async () => {
    const bad = h.writeFile(
      'bad.csv',
      `执法证号,课程,类别,学时,日期\nHN001,行政处罚法,公共法律知识,1.3,${year}-01-10\nHN404,行政处罚法,公共法律知识,2,${year}-01-10\n`,
    );
    const refused = await importTraining(h.app.ctx.prisma, await readSheet(bad), 'test');
    expect(refused).toEqual({
      ok: false,
      errors: [{ row: 2, column: '学时', value: '1.3', message: '学时以 0.5 为单位' }],
    });
    const file = h.writeFile(
      'training.csv',
      `执法证号,课程,类别,学时,日期\nHN001,行政处罚法,公共法律知识,6,${year}-01-10\nHN001,执法记录仪使用,行政执法技能,3.5,${year}-02-10\nHN001,去年的课,业务知识,8,${Number(year) - 1}-12-31\n`,
    );
    expect(await importTraining(h.app.ctx.prisma, await readSheet(file), 'test')).toMatchObject({
      ok: true,
      added: 3,
      unchanged: 0,
    });
    expect(await importTraining(h.app.ctx.prisma, await readSheet(file), 'test')).toMatchObject({
      ok: true,
      added: 0,
      unchanged: 3,
    });
    expect(await h.app.ctx.prisma.trainingRecord.count()).toBe(3);
  });

  it('shows the officer this year’s hours, by category, with what is left', async () => {
    await say(PEOPLE.officer.openId, '学时');
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === 1);
    const text = lastCard(PEOPLE.officer.openId);
    expect(text).toContain(`${year} 年度培训学时 · 张三`);
    expect(text).toContain('9.5 / 60 学时'); // last year's 8 hours do not count
    expect(text).toContain('50.5 学时');
    expect(text).toMatch(/公共法律知识 +[▇▁]+ +6 学时/);
  });

  it('self-report: the admin confirms by card and the totals change; others are refused', async () => {
    await say(PEOPLE.officer.openId, '报学时');
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === 2);
    const submit = buttonValue(inbox(PEOPLE.officer.openId)[1]!.content, { action: 'training_report_submit' });
    expect(
      (
        await click(PEOPLE.officer.openId, submit, {
          course: '网络学法',
          category: 'business',
          hours: '25',
          date: today,
        })
      ).toast?.content,
    ).toBe('单条记录不超过 24 学时');
    expect(
      (
        await click(PEOPLE.officer.openId, submit, {
          course: '网络学法',
          category: 'business',
          hours: '2.5',
          date: `${today} +0800`,
        })
      ).toast,
    ).toEqual({ type: 'success', content: `已提交,等待 ${PEOPLE.admin.name} 确认` });

    await h.fake.waitFor(() => inbox(PEOPLE.admin.openId).length === 1, 15_000);
    const approve = buttonValue(inbox(PEOPLE.admin.openId)[0]!.content, { action: 'case_decide', outcome: 'approved' });
    expect((await click(PEOPLE.stranger.openId, approve)).toast?.content).toContain('您不是这一步的处理人');
    expect((await click(PEOPLE.admin.openId, approve)).toast).toEqual({ type: 'success', content: '已同意' });

    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === 3, 15_000);
    expect(lastCard(PEOPLE.officer.openId)).toContain('2.5 学时已确认');
    await say(PEOPLE.officer.openId, '学时');
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === 4);
    expect(lastCard(PEOPLE.officer.openId)).toContain('12 / 60 学时');
  });

  it('shows a rotation campaign on the officer’s card, unattended until its course is recorded', async () => {
    const campaigns = h.writeFile(
      'campaigns.csv',
      `名称,课程,截止日期,单位\n${year}年全员轮训,行政执法三项制度,${year}-12-31,县市场监管局、县交通运输局\n`,
    );
    expect(await loadCampaignFile(h.app.ctx.prisma, campaigns, 'test')).toEqual({
      ok: true,
      names: [`${year}年全员轮训`],
    });
    await say(PEOPLE.officer.openId, '学时');
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === 5);
    expect(lastCard(PEOPLE.officer.openId)).toContain(`⬜ 未参加 ${year}年全员轮训`);
    const attended = h.writeFile(
      'attended.csv',
      `执法证号,课程,类别,学时,日期\nHN001,行政执法三项制度,行政执法技能,4,${today}\n`,
    );
    expect(await importTraining(h.app.ctx.prisma, await readSheet(attended), 'test')).toMatchObject({
      ok: true,
      added: 1,
    });
    await say(PEOPLE.officer.openId, '学时');
    await h.fake.waitFor(() => inbox(PEOPLE.officer.openId).length === 6);
    expect(lastCard(PEOPLE.officer.openId)).toContain(`✅ 已参加 ${year}年全员轮训`);
  });

  it('gives the admin the unit list and the leader the county ranking', async () => {
    await say(PEOPLE.admin.openId, '本单位学时');
    await say(PEOPLE.bureauLeader.openId, '学时统计');
    await h.fake.waitFor(
      () => inbox(PEOPLE.admin.openId).length === 2 && inbox(PEOPLE.bureauLeader.openId).length === 1,
    );
    expect(lastCard(PEOPLE.admin.openId)).toMatch(/张三.*HN001.*16 学时,还差 44/);
    expect(lastCard(PEOPLE.bureauLeader.openId)).toContain('县市场监管局');
    expect(lastCard(PEOPLE.bureauLeader.openId)).toContain('各单位完成率');
  });
});
