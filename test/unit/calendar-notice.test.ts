import { describe, expect, it } from 'vitest';
import { readHolidayNotice } from '../../src/core/calendar-notice';
import { shippedCalendarData } from '../support/shipped-calendar';

// The State Council's notice as text, read into calendar rows: the 2025 and 2026 notices give exactly the
// calendars LawDesk ships.

const NOTICE_2026 = `国务院办公厅关于2026年部分节假日安排的通知
国办发明电〔2025〕7号

各省、自治区、直辖市人民政府,国务院各部委、各直属机构:
经国务院批准,现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间,各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。`;

const NOTICE_2025 = `国务院办公厅关于2025年部分节假日安排的通知
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。`;

const asDays = (rows: Array<{ cells: string[] }>) => rows.map((r) => `${r.cells[0]} ${r.cells[1]}`).sort();

describe('the State Council notice as text', () => {
  it.each([
    [2025, NOTICE_2025],
    [2026, NOTICE_2026],
  ])('%i reads as the shipped calendar', (year, text) => {
    const read = readHolidayNotice(text);
    if (!read.ok) throw new Error(read.message);
    const shipped = shippedCalendarData().find((y) => y.year === year)!;
    expect(read.year).toBe(year);
    expect(read.headers).toEqual(['日期', '类型', '名称']);
    expect(asDays(read.rows)).toEqual(
      [...shipped.holidays.map((d) => `${d} 休`), ...shipped.workdays.map((d) => `${d} 班`)].sort(),
    );
    expect(read.rows.find((r) => r.cells[0] === `${year}-02-14` || r.cells[0] === `${year}-01-26`)!.cells[2]).toBe(
      '春节调休上班',
    );
  });

  it('keeps to its own year when 元旦 starts in December', () => {
    const read = readHolidayNotice(
      '国务院办公厅关于2023年部分节假日安排的通知\n一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。',
    );
    expect(read.ok && asDays(read.rows)).toEqual(['2023-01-01 休', '2023-01-02 休']);
  });

  it.each([
    ['another notice', '一份会议通知', /没有找到「××××年部分节假日安排」/],
    [
      'a notice with no items',
      '国务院办公厅关于2027年部分节假日安排的通知\n各地区要妥善安排值班。',
      /没有读出 2027 年的放假日期/,
    ],
    [
      'an item with no date',
      '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：另行通知放假。',
      /「元旦」没有找到放假日期/,
    ],
    ['20,001 characters', 'x'.repeat(20_001), /不像一份放假通知/],
  ])('refuses %s in one sentence', (_, text, message) => {
    const read = readHolidayNotice(text);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.message).toMatch(message);
  });
});
