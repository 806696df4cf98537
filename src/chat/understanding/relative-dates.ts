// Dates as people write them in chat (下周五, 月底, 三个工作日后, 上个月, 3.5), resolved by our code rather than a
// model, because a model has no "today" and no holiday calendar. Pure: today (`asOf`) and the working-day
// calendar are passed in, so the same phrase gives the same answer in a test and in a workflow.
//
// Conventions (written down because each has another plausible reading):
// - A week runs Monday to Sunday; 周三 alone means this week's Wednesday, even if it has passed.
// - 月底 / 季度末 / 年底 are calendar days (the last day), not the last working day: a deadline rule that moves a
//   due date off a holiday belongs to the deadline code, not to the reading of a phrase.
// - N个工作日后 is the Nth working day after today (today not counted); N个工作日内 is today → that day.
// - 3月5日 and 3.5 without a year are in today's year.

export type IsoDate = string;

export interface DateContext {
  /** Today in the county's calendar, 'YYYY-MM-DD'. */
  asOf: IsoDate;
  isWorkingDay(date: IsoDate): boolean;
}

export type ResolvedDate = { date: IsoDate } | { from: IsoDate; to: IsoDate };

export interface FoundDatePhrase {
  phrase: string;
  index: number;
}

// ---- calendar arithmetic on 'YYYY-MM-DD' (UTC, whole days) ----

const MS_PER_DAY = 86_400_000;
const toUtc = (date: IsoDate) => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);
const addDays = (date: IsoDate, days: number) => fromUtc(toUtc(date) + days * MS_PER_DAY);
const pad = (n: number) => String(n).padStart(2, '0');
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** Monday = 1 … Sunday = 7. */
const isoWeekday = (date: IsoDate) => new Date(toUtc(date)).getUTCDay() || 7;

function ymd(year: number, month: number, day: number): IsoDate | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The month `offset` months from (year, month), as [year, month]. */
function shiftMonth(year: number, month: number, offset: number): [number, number] {
  const index = year * 12 + (month - 1) + offset;
  return [Math.floor(index / 12), (index % 12) + 1];
}

const monthRange = (year: number, month: number): ResolvedDate => ({
  from: ymd(year, month, 1)!,
  to: ymd(year, month, daysInMonth(year, month))!,
});

function nthWorkingDayAfter(ctx: DateContext, count: number): IsoDate {
  let date = ctx.asOf;
  // A year of days is far more than any phrase asks for; the bound stops a calendar that says "never".
  for (let found = 0, guard = 0; found < count && guard < 3660; guard++) {
    date = addDays(date, 1);
    if (ctx.isWorkingDay(date)) found++;
  }
  return date;
}

// ---- numbers: Arabic, or Chinese up to 九十九 (两 = 2) ----

const DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

export function parseSmallNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!match || text === '') return undefined;
  const [, first, ten, last] = match;
  if (!ten) return first && !last ? DIGIT[first] : undefined;
  return (first ? DIGIT[first]! : 1) * 10 + (last ? DIGIT[last]! : 0);
}

// ---- the phrase rules: one regex each, tried at every position; the longest match wins ----

const NUM = '(\\d{1,3}|[一二两三四五六七八九十]{1,3})';
const DAY_NUM = '(\\d{1,2}|[一二三四五六七八九十]{1,3})';
const WEEKDAY: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  日: 7,
  天: 7,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
  '5': 5,
  '6': 6,
  '7': 7,
};

interface Rule {
  source: string;
  resolve(match: RegExpExecArray, ctx: DateContext): ResolvedDate | undefined;
}

function today(ctx: DateContext) {
  const [year, month, day] = ctx.asOf.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** 上/下/本 (and their spoken forms) as a month or week offset. */
function offsetOf(word: string | undefined): number {
  if (!word) return 0;
  if (word.startsWith('上上')) return -2;
  if (word.startsWith('下下')) return 2;
  if (word.startsWith('上') || word.startsWith('去')) return -1;
  if (word.startsWith('下') || word.startsWith('明')) return 1;
  return 0;
}

const quarterOf = (month: number) => Math.floor((month - 1) / 3);

const RULES: Rule[] = [
  {
    // 2027-01-04, 2027/1/4, 2027.1.4, 2027年1月4日
    source: '(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})[日号]?',
    resolve: (m) => optionalDate(ymd(Number(m[1]), Number(m[2]), Number(m[3]))),
  },
  {
    // 3月5日, 三月五号, 下个月15号, 15号
    source: `(?:(上上个?月|下下个?月|上个?月|下个?月|本月|这个?月)|${DAY_NUM}月)?${DAY_NUM}[日号]`,
    resolve: (m, ctx) => {
      const now = today(ctx);
      const day = parseSmallNumber(m[3]!);
      if (day === undefined) return undefined;
      if (m[2]) return optionalDate(ymd(now.year, parseSmallNumber(m[2]) ?? 0, day));
      const [year, month] = shiftMonth(now.year, now.month, offsetOf(m[1]));
      return optionalDate(ymd(year, month, day));
    },
  },
  {
    // 3.5 = 5 March; not a decimal amount (3.5万, 3.5个学时) nor part of a longer number
    source: '(?<![\\d.])(\\d{1,2})\\.(\\d{1,2})(?![\\d.万千百元个小学%])',
    resolve: (m, ctx) => optionalDate(ymd(today(ctx).year, Number(m[1]), Number(m[2]))),
  },
  {
    source: '(大后天|后天|明天|明日|今天|今日|昨天|昨日|前天|大前天)',
    resolve: (m, ctx) => {
      const offsets: Record<string, number> = {
        大后天: 3,
        后天: 2,
        明天: 1,
        明日: 1,
        今天: 0,
        今日: 0,
        昨天: -1,
        昨日: -1,
        前天: -2,
        大前天: -3,
      };
      return { date: addDays(ctx.asOf, offsets[m[1]!]!) };
    },
  },
  {
    // 下周五, 本周三, 这周三, 下下周一, 上星期五, 礼拜天
    source: '(上上个?|下下个?|上个?|下个?|本|这个?)?(?:周|星期|礼拜)([一二三四五六日天1-7])',
    resolve: (m, ctx) => {
      const monday = addDays(ctx.asOf, 1 - isoWeekday(ctx.asOf));
      return { date: addDays(monday, 7 * offsetOf(m[1]) + WEEKDAY[m[2]!]! - 1) };
    },
  },
  {
    // 下周, 本周, 上个星期 (a Monday–Sunday range)
    source: '(上上个?|下下个?|上个?|下个?|本|这个?)(?:周|星期|礼拜)',
    resolve: (m, ctx) => {
      const monday = addDays(ctx.asOf, 1 - isoWeekday(ctx.asOf) + 7 * offsetOf(m[1]));
      return { from: monday, to: addDays(monday, 6) };
    },
  },
  {
    // 月底, 月末, 月初, 下月初, 上个月底, 本月末
    source: '(上个?月|下个?月|本月|这个?月)?(?:月)?(底|末|初)',
    resolve: (m, ctx) => {
      const now = today(ctx);
      const [year, month] = shiftMonth(now.year, now.month, offsetOf(m[1]));
      return { date: ymd(year, month, m[2] === '初' ? 1 : daysInMonth(year, month))! };
    },
  },
  {
    // 上个月, 本月, 这个月, 下个月 (the whole month)
    source: '(上上个?月|上个?月|下个?月|本月|这个?月)',
    resolve: (m, ctx) => {
      const now = today(ctx);
      return monthRange(...shiftMonth(now.year, now.month, offsetOf(m[1])));
    },
  },
  {
    // 本季度末, 季度末, 上个季度, 本季度, 下季度初
    source: '(上个?|下个?|本|这个?)?季度?(末|底|初)?',
    resolve: (m, ctx) => {
      const now = today(ctx);
      const [year, firstMonth] = shiftMonth(now.year, quarterOf(now.month) * 3 + 1, 3 * offsetOf(m[1]));
      const from = ymd(year, firstMonth, 1)!;
      const [endYear, endMonth] = shiftMonth(year, firstMonth, 2);
      const to = ymd(endYear, endMonth, daysInMonth(endYear, endMonth))!;
      if (m[2] === '初') return { date: from };
      return m[2] ? { date: to } : { from, to };
    },
  },
  {
    // 年底, 年末, 今年年底, 明年初, 今年, 去年
    source: '(今年|去年|明年)?年?(底|末|初)|(今年|去年|明年)',
    resolve: (m, ctx) => {
      const year = today(ctx).year + offsetOf(m[1] ?? m[3]);
      if (m[3]) return { from: `${year}-01-01`, to: `${year}-12-31` };
      return { date: m[2] === '初' ? `${year}-01-01` : `${year}-12-31` };
    },
  },
  {
    // 三个工作日后, 5个工作日内, 十天后, 两周内
    source: `${NUM}(?:个)?(工作日|天|日|周|星期|礼拜)(?:之|以)?(后|内)`,
    resolve: (m, ctx) => {
      const count = parseSmallNumber(m[1]!);
      if (count === undefined) return undefined;
      const end =
        m[2] === '工作日'
          ? nthWorkingDayAfter(ctx, count)
          : addDays(ctx.asOf, m[2] === '天' || m[2] === '日' ? count : 7 * count);
      return m[3] === '内' ? { from: ctx.asOf, to: end } : { date: end };
    },
  },
];

function optionalDate(date: IsoDate | undefined): ResolvedDate | undefined {
  return date ? { date } : undefined;
}

// The 季度 and 年 rules also match a bare 底/末/初 (so 月底 and 年底 share one shape); a lone 底 is not a date.
const MEANINGLESS = new Set(['底', '末', '初', '年', '季', '季底', '季末', '季初']);

const STICKY = RULES.map((rule) => ({ rule, regex: new RegExp(rule.source, 'y') }));
const WHOLE = RULES.map((rule) => ({ rule, regex: new RegExp(`^(?:${rule.source})$`) }));

/** Resolve one phrase (already cut out of a sentence); undefined when it is not a date phrase we read. */
export function resolveDatePhrase(phrase: string, ctx: DateContext): ResolvedDate | undefined {
  const text = phrase.trim().replace(/\s+/g, '');
  if (MEANINGLESS.has(text)) return undefined;
  for (const { rule, regex } of WHOLE) {
    const match = regex.exec(text);
    if (match) return rule.resolve(match, ctx);
  }
  return undefined;
}

/** The date phrases inside a sentence, left to right, each the longest reading at its position. */
export function findDatePhrases(text: string): FoundDatePhrase[] {
  const found: FoundDatePhrase[] = [];
  for (let index = 0; index < text.length;) {
    let longest = '';
    for (const { regex } of STICKY) {
      regex.lastIndex = index;
      const match = regex.exec(text);
      if (match && match[0].length > longest.length) longest = match[0];
    }
    if (longest && !MEANINGLESS.has(longest)) {
      found.push({ phrase: longest, index });
      index += longest.length;
    } else index++;
  }
  return found;
}
