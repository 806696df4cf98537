import type { IsoDate } from './dates';
import type { SheetRow } from './table-rows';

// The State Council General Office's holiday notice (《国务院办公厅关于2026年部分节假日安排的通知》) as plain text,
// read into the rows of a calendar file (日期, 类型 休/班, 名称) so it loads exactly as a calendar sheet does. Its
// items keep one form year after year:
//   一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
//   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
// Days outside the notice's own year (a 元旦 that starts on 31 December) are left out: loading a year replaces that
// year whole, and one notice's stray day must not wipe the year before. Plain text only (.txt); a .docx is not read.

export const MAX_NOTICE_CHARS = 20_000;

export type NoticeRead =
  { ok: true; year: number; headers: string[]; rows: SheetRow[] } | { ok: false; message: string };

const ITEM = /^[一二三四五六七八九十]+、([^:]+):(.+)$/;
const DATE = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日/g;

export function readHolidayNotice(text: string): NoticeRead {
  if (text.length > MAX_NOTICE_CHARS)
    return { ok: false, message: `通知全文超过 ${MAX_NOTICE_CHARS} 字,不像一份放假通知。` };
  const plain = text
    .replace(/[（(][^）)]*[）)]/g, '') // (周五)(农历腊月二十八、周日): weekdays and lunar dates are not needed
    .replace(/：/g, ':')
    .replace(/[ \t\u3000]/g, '');
  const yearMatch = /(\d{4})年(?:部分)?节假日安排/.exec(plain);
  if (!yearMatch) return { ok: false, message: '没有找到「××××年部分节假日安排」,请发送国务院办公厅放假通知的全文。' };
  const year = Number(yearMatch[1]);
  const days: Array<{ date: IsoDate; kind: '休' | '班'; name: string }> = [];
  const problems: string[] = [];
  for (const line of plain.split(/\r?\n/)) {
    const item = ITEM.exec(line.trim());
    if (!item) continue;
    const name = item[1]!;
    for (const sentence of item[2]!.split(/[。;；]/)) {
      if (sentence.includes('上班')) {
        for (const d of datesIn(sentence, year)) days.push({ date: d, kind: '班', name: `${name}调休上班` });
      } else if (sentence.includes('放假')) {
        const [from, to] = datesIn(sentence.split('放假')[0]!, year);
        if (!from) problems.push(`「${name}」没有找到放假日期`);
        else for (let d = from; d <= (to ?? from); d = nextDay(d)) days.push({ date: d, kind: '休', name });
      }
    }
  }
  if (problems.length) return { ok: false, message: `${problems.join(';')}。` };
  const inYear = days.filter((d) => d.date.startsWith(`${year}-`));
  if (!inYear.some((d) => d.kind === '休'))
    return { ok: false, message: `没有读出 ${year} 年的放假日期:每项应像「一、元旦:1月1日(周五)放假1天。」这样写。` };
  return {
    ok: true,
    year,
    headers: ['日期', '类型', '名称'],
    rows: inYear.map((d, i) => ({ row: i + 2, cells: [d.date, d.kind, d.name] })),
  };
}

/** The dates of a clause in order; a date without its month or year takes the previous one's ("2月15日至23日"). */
function datesIn(clause: string, noticeYear: number): IsoDate[] {
  const out: IsoDate[] = [];
  let year = noticeYear;
  let month = 0;
  for (const m of clause.matchAll(DATE)) {
    const explicitMonth = m[2] ? Number(m[2]) : undefined;
    if (m[1]) year = Number(m[1]);
    else if (explicitMonth && month && explicitMonth < month) year++; // 12月31日至1月2日
    month = explicitMonth ?? month;
    if (!month) continue;
    out.push(`${year}-${String(month).padStart(2, '0')}-${String(Number(m[3])).padStart(2, '0')}`);
  }
  return out;
}

function nextDay(date: IsoDate): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
