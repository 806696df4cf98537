import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, seedCounty } from '../support/certificate-fixture';
import { cardText, clickImport, type Harness, sendFile, startHarness } from '../support/lawdesk';

// `calendar load` takes the State Council's notice as a file in chat too (issue 20 item 9): a .txt of the notice
// is previewed and loaded as the calendar sheet it stands for; only the bureau may; anything else is one sentence.

const BUREAU = PEOPLE.reviewer;
// An illustrative 2027 notice in the real notice's form (元旦 on a Friday; 春节 from 除夕, 5 Feb).
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月14日（周日）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天。
六、中秋节：9月15日（周三）放假1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。`;

describe('the holiday notice sent as a .txt file', () => {
  let h: Harness;
  const prisma = () => h.app.ctx.prisma;
  const days2027 = () => prisma().calendarDay.count({ where: { year: 2027 } });

  beforeAll(async () => {
    h = await startHarness();
    await seedCounty(prisma());
    await prisma().calendarYear.deleteMany({ where: { year: 2027 } });
  });
  afterAll(() => h?.stop());

  it('is refused for a unit admin and explained when it is not a notice; nothing is written', async () => {
    const [refused] = await sendFile(h, PEOPLE.admin.openId, '放假通知.txt', Buffer.from(NOTICE_2027));
    expect(JSON.stringify(refused!.content)).toContain('由司法局导入');
    const [notNotice] = await sendFile(h, BUREAU.openId, '会议纪要.txt', Buffer.from('关于召开年度执法工作会议的通知'));
    expect(JSON.stringify(notNotice!.content)).toContain('「会议纪要.txt」没有找到「××××年部分节假日安排」');
    expect(await days2027()).toBe(0);
  });

  it('is previewed as the 2027 calendar and loaded at 导入', async () => {
    const [preview] = await sendFile(
      h,
      BUREAU.openId,
      '国务院办公厅关于2027年部分节假日安排的通知.txt',
      Buffer.from(NOTICE_2027),
    );
    expect(cardText(preview!.content)).toContain('导入预览');
    expect(await days2027()).toBe(0);
    const answer = await clickImport(h, BUREAU.openId, preview!);
    expect(answer.toast?.type).toBe('success');
    expect(JSON.stringify(answer.card)).toContain('已导入 2027 年的节假日安排');
    const days = await prisma().calendarDay.findMany({
      where: { year: 2027 },
      orderBy: { date: 'asc' },
      select: { date: true, kind: true },
    });
    expect(days.filter((d) => d.kind === 'workday').map((d) => d.date.toISOString().slice(0, 10))).toEqual([
      '2027-02-14',
      '2027-04-25',
      '2027-05-08',
      '2027-09-26',
      '2027-10-09',
    ]);
    expect(days.filter((d) => d.kind === 'holiday')).toHaveLength(3 + 9 + 3 + 5 + 1 + 1 + 7);
  });
});
