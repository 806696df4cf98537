import { describe, expect, it } from 'vitest';
import { findDatePhrases, resolveDatePhrase, type DateContext } from '../../../src/chat/understanding/relative-dates';

// A calendar built here, from the State Council notices: 2025 国庆 (1–8 Oct off, Sun 28 Sep and Sat 11 Oct
// worked), 2026 元旦 (1–3 Jan off, Sun 4 Jan worked), 2026 春节 (15–23 Feb off, Sat 14 Feb and Sat 28 Feb worked).
const HOLIDAYS = new Set([
  ...['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
  ...['2026-01-01', '2026-01-02', '2026-01-03'],
  ...['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22'],
  '2026-02-23',
]);
const WORKED_WEEKENDS = new Set(['2025-09-28', '2025-10-11', '2026-01-04', '2026-02-14', '2026-02-28']);

function isWorkingDay(date: string): boolean {
  if (HOLIDAYS.has(date)) return false;
  if (WORKED_WEEKENDS.has(date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

const on = (asOf: string): DateContext => ({ asOf, isWorkingDay });

describe('resolveDatePhrase', () => {
  it.each([
    // asOf, phrase, expected — 2025-09-26 is a Friday, the last working day but one before 国庆
    ['2025-09-26', '今天', { date: '2025-09-26' }],
    ['2025-12-31', '明天', { date: '2026-01-01' }],
    ['2025-09-26', '后天', { date: '2025-09-28' }],
    ['2026-03-01', '昨天', { date: '2026-02-28' }],
    ['2025-09-26', '下周五', { date: '2025-10-03' }],
    ['2025-09-26', '本周三', { date: '2025-09-24' }],
    ['2025-09-26', '这周三', { date: '2025-09-24' }],
    ['2025-09-26', '下下周一', { date: '2025-10-06' }],
    ['2025-09-26', '上周五', { date: '2025-09-19' }],
    ['2025-09-26', '礼拜天', { date: '2025-09-28' }],
    ['2025-09-28', '星期一', { date: '2025-09-22' }],
    ['2025-09-26', '下周', { from: '2025-09-29', to: '2025-10-05' }],
    ['2026-02-12', '月底', { date: '2026-02-28' }],
    ['2028-02-03', '月底', { date: '2028-02-29' }],
    ['2026-02-12', '下月初', { date: '2026-03-01' }],
    ['2025-12-20', '下个月初', { date: '2026-01-01' }],
    ['2025-09-26', '本季度末', { date: '2025-09-30' }],
    ['2025-11-15', '季度末', { date: '2025-12-31' }],
    ['2025-11-15', '年底', { date: '2025-12-31' }],
    ['2025-11-15', '明年初', { date: '2026-01-01' }],
    ['2026-01-15', '上个月', { from: '2025-12-01', to: '2025-12-31' }],
    ['2026-02-12', '本月', { from: '2026-02-01', to: '2026-02-28' }],
    ['2025-12-20', '下个月', { from: '2026-01-01', to: '2026-01-31' }],
    ['2026-02-12', '本季度', { from: '2026-01-01', to: '2026-03-31' }],
    ['2026-02-12', '上个季度', { from: '2025-10-01', to: '2025-12-31' }],
    ['2026-02-12', '今年', { from: '2026-01-01', to: '2026-12-31' }],
    ['2025-12-20', '下个月15号', { date: '2026-01-15' }],
    ['2026-02-12', '15号', { date: '2026-02-15' }],
    ['2026-02-12', '3月5日', { date: '2026-03-05' }],
    ['2026-02-12', '三月五号', { date: '2026-03-05' }],
    ['2026-02-12', '3.5', { date: '2026-03-05' }],
    ['2026-02-12', '2027-01-04', { date: '2027-01-04' }],
    ['2026-02-12', '2027年1月4日', { date: '2027-01-04' }],
    ['2026-02-12', '2027/1/4', { date: '2027-01-04' }],
    ['2026-02-12', '十天后', { date: '2026-02-22' }],
    ['2026-02-12', '两周内', { from: '2026-02-12', to: '2026-02-26' }],
  ])('on %s, 「%s」 is %j', (asOf, phrase, expected) => {
    expect(resolveDatePhrase(phrase, on(asOf))).toEqual(expected);
  });

  it.each([
    // Working days across 国庆: the worked Sunday 28 Sep counts, 1–8 Oct do not, the worked Saturday 11 Oct does.
    ['2025-09-26', '三个工作日后', { date: '2025-09-30' }],
    ['2025-09-30', '1个工作日后', { date: '2025-10-09' }],
    ['2025-09-30', '三个工作日后', { date: '2025-10-11' }],
    ['2025-09-30', '五个工作日内', { from: '2025-09-30', to: '2025-10-14' }],
    // Across 元旦: 1–3 Jan off, Sunday 4 Jan worked.
    ['2025-12-31', '2个工作日之后', { date: '2026-01-05' }],
    ['2025-12-31', '一个工作日后', { date: '2026-01-04' }],
    // Across 春节: Saturday 14 Feb worked, 15–23 Feb off, Saturday 28 Feb worked.
    ['2026-02-13', '两个工作日后', { date: '2026-02-24' }],
    ['2026-02-12', '十个工作日后', { date: '2026-03-04' }],
    ['2026-02-12', '10个工作日以内', { from: '2026-02-12', to: '2026-03-04' }],
    ['2026-02-20', '3个工作日后', { date: '2026-02-26' }],
  ])('on %s, 「%s」 is %j on the working-day calendar', (asOf, phrase, expected) => {
    expect(resolveDatePhrase(phrase, on(asOf))).toEqual(expected);
  });

  it.each(['学时', '3.5万', '底', '季度考核', '下个月31号'])(
    '「%s」 is not a date we can read (on 2026-01-10)',
    (phrase) => {
      expect(resolveDatePhrase(phrase, on('2026-01-10'))).toBeUndefined();
    },
  );
});

describe('findDatePhrases', () => {
  it.each([
    ['李四下个月退休,证件注销', ['下个月']],
    ['三个工作日内把材料报上来,最晚下周五', ['三个工作日内', '下周五']],
    ['罚款3.5万元,3月5日立案', ['3月5日']],
    ['上个季度哪些单位没达标', ['上个季度']],
    ['到月底我学时能够吗', ['月底']],
    ['下个月15号之前交', ['下个月15号']],
    ['我今年还差几个学时', ['今年']],
    ['我想登记培训,3个学时', []],
    ['本季度末以前完成2027-01-04的评估', ['本季度末', '2027-01-04']],
  ])('「%s」 contains %j', (text, phrases) => {
    expect(findDatePhrases(text).map((found) => found.phrase)).toEqual(phrases);
  });
});
