import { addDays, type WorkingCalendar } from './calendar';
import { dateIn, type IsoDate } from './dates';

// Deadlines for every process: a clock (working days per 《行政处罚法》第85条, calendar days, or clock hours
// for "24 小时" rules), when it falls due, and when to remind and escalate. Pure: time and calendar passed in.

export type Clock = { unit: 'workingDays' | 'days' | 'hours'; amount: number };

export interface DeadlinePlan {
  startedAt: string;
  dueAt: string;
  /** Half time: the approver's reminder, moved into working hours (09:00–18:00 of a working day). */
  remindAt: string;
  label: string;
  /**
   * The due date was counted through a year whose holiday notice is not loaded (weekends and the statutory
   * holidays only): shown as 暂定 and recomputed when the year is loaded. Absent on plans made before.
   */
  provisional?: boolean;
}

export const WORKDAY_START_HOUR = 9;
export const WORKDAY_END_HOUR = 18;

export function clockLabel(clock: Clock): string {
  return clock.unit === 'hours'
    ? `${clock.amount}小时`
    : clock.unit === 'days'
      ? `${clock.amount}日`
      : `${clock.amount}个工作日`;
}

export function planDeadline(calendar: WorkingCalendar, startedAt: Date, clock: Clock, timeZone: string): DeadlinePlan {
  const startDate = dateIn(timeZone, startedAt);
  let due: Date;
  let provisional = false;
  if (clock.unit === 'hours') due = new Date(startedAt.getTime() + clock.amount * 3_600_000);
  else {
    // A day-counted deadline ends when its last day ends (24:00 local), not at the hour it started.
    const lastDay =
      clock.unit === 'workingDays'
        ? calendar.addWorkingDays(startDate, clock.amount)
        : addDays(startDate, clock.amount);
    due = localTime(addDays(lastDay, 1), 0, timeZone);
    // Only a working-day count depends on the notice; calendar days and hours end where they end.
    provisional = clock.unit === 'workingDays' && spansProvisionalYear(calendar, startDate, lastDay);
  }
  let remind = new Date((startedAt.getTime() + due.getTime()) / 2);
  if (clock.unit !== 'hours') {
    const moved = intoWorkingHours(calendar, remind, timeZone);
    if (moved < due) remind = moved;
  }
  const plan: DeadlinePlan = {
    startedAt: startedAt.toISOString(),
    dueAt: due.toISOString(),
    remindAt: remind.toISOString(),
    label: clockLabel(clock),
  };
  return provisional ? { ...plan, provisional } : plan;
}

/** Whether any day after `from` up to `to` lies in a year with no loaded notice. */
function spansProvisionalYear(calendar: WorkingCalendar, from: IsoDate, to: IsoDate): boolean {
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++)
    if (!calendar.isLoaded(year)) return true;
  return false;
}

/** The instant itself when it falls in working hours of a working day, else 09:00 of the next working day. */
export function intoWorkingHours(calendar: WorkingCalendar, at: Date, timeZone: string): Date {
  const date = dateIn(timeZone, at);
  const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(at));
  if (calendar.isWorkingDay(date) && hour >= WORKDAY_START_HOUR && hour < WORKDAY_END_HOUR) return at;
  const day =
    calendar.isWorkingDay(date) && hour < WORKDAY_START_HOUR ? date : calendar.nextWorkingDay(addDays(date, 1));
  return localTime(day, WORKDAY_START_HOUR, timeZone);
}

/** The instant of `hour`:00 on `date` in `timeZone`. */
export function localTime(date: IsoDate, hour: number, timeZone: string): Date {
  const guess = Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  return new Date(guess - offsetMinutes(timeZone, new Date(guess)) * 60_000);
}

function offsetMinutes(timeZone: string, at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * "11/25 24:00 前(剩 2天2小时)" — how every card shows a deadline. A day's end reads as 24:00 of that day. A
 * `provisional` one says so and why: "1/5 24:00 前(剩 6天14小时;暂定,2027 年放假安排未导入)".
 */
export function describeDue(dueAt: string, now: Date, timeZone: string, provisional = false): string {
  const due = new Date(dueAt);
  const local = dueLabel(dueAt, timeZone);
  const ms = due.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const span = days ? `${days}天${hours}小时` : `${hours}小时`;
  const tentative = provisional ? `;${provisionalNote(dueAt, timeZone)}` : '';
  return ms >= 0 ? `${local} 前(剩 ${span}${tentative})` : `${local}(已超期 ${span}${tentative})`;
}

/** "11/25 24:00": the deadline's local date and time, a day's end read as 24:00 of that day. */
export function dueLabel(dueAt: string, timeZone: string): string {
  const due = new Date(dueAt);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(due.getTime() - (isMidnight(due, timeZone) ? 1 : 0)))
      .map((p) => [p.type, p.value]),
  );
  return isMidnight(due, timeZone)
    ? `${parts.month}/${parts.day} 24:00`
    : `${parts.month}/${parts.day} ${parts.hour!.padStart(2, '0')}:${parts.minute}`;
}

/** "暂定,2027 年放假安排未导入": the year is the deadline's own (the last day counted). */
export function provisionalNote(dueAt: string, timeZone: string): string {
  return `暂定,${dateIn(timeZone, new Date(Date.parse(dueAt) - 1)).slice(0, 4)} 年放假安排未导入`;
}

function isMidnight(at: Date, timeZone: string): boolean {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).format(at) ===
    '00:00'
  );
}
