import { addDays, type WorkingCalendar } from './calendar';
import { dateIn } from './dates';
import { localTime, WORKDAY_START_HOUR, type DeadlinePlan } from './deadlines';

// The escalation ladder of every step of every process, as data: at each milestone of a step's clock
// (half time, the deadline, N working days after it) who is told. Pure: the rules, the calendar and the plan
// are passed in. Quiet hours (21:00–08:00) hold every message until morning except for 24-hour statutory
// deadlines, where a night can be a third of the time allowed.

/** Who a rule names: the step's owner, the owner's superior as the process defines it, the bureau's leaders. */
export type NotifyRole = 'owner' | 'superior' | 'bureau';
export const NOTIFY_ROLES: readonly NotifyRole[] = ['owner', 'superior', 'bureau'];

export interface EscalationRuleRow {
  process: string;
  stepKey: string;
  /**
   * 'half', 'due', or 'due+N': 09:00 of the Nth working day after the day the deadline passes (a deadline
   * at 24:00 on Tuesday passes on Wednesday, so due+1 is Thursday 09:00: one whole working day late).
   */
  milestone: string;
  notify: string[];
}

export interface Milestone {
  milestone: string;
  at: string;
  notify: NotifyRole[];
  /** Before the deadline it is a reminder; at or after it, an escalation (recorded as the step being late). */
  kind: 'reminder' | 'escalation';
}

export interface QuietHours {
  /** Local hour quiet time begins (21) and ends (8). */
  from: number;
  to: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { from: 21, to: 8 };

const MILESTONE = /^(half|due)(?:\+(\d{1,2}))?$/;

export class EscalationRuleError extends Error {}

/** Checks one rule as loaded; the message names the rule and what is wrong with it. */
export function checkRule(rule: EscalationRuleRow): void {
  const where = `${rule.process}/${rule.stepKey}/${rule.milestone}`;
  const m = MILESTONE.exec(rule.milestone);
  if (!m || (m[1] === 'half' && m[2]))
    throw new EscalationRuleError(`${where}: 时点应为 过半(half)、到期(due) 或 超期N个工作日(due+N)`);
  const bad = rule.notify.filter((r) => !NOTIFY_ROLES.includes(r as NotifyRole));
  if (bad.length)
    throw new EscalationRuleError(
      `${where}: 不认识的通知对象 ${bad.join('、')}(可用 办理人/owner、上级/superior、司法局/bureau)`,
    );
  if (!rule.notify.length) throw new EscalationRuleError(`${where}: 没有通知对象`);
}

/**
 * The rules for one step: the most specific level that has any (process + step, then process + '*', then
 * '*' + '*'), so a county overriding one step states that step's whole ladder.
 */
export function rulesForStep(rules: EscalationRuleRow[], process: string, stepKey: string): EscalationRuleRow[] {
  for (const [p, s] of [
    [process, stepKey],
    [process, '*'],
    ['*', '*'],
  ] as const) {
    const found = rules.filter((r) => r.process === p && r.stepKey === s);
    if (found.length) return found;
  }
  return [];
}

/** When each rule of a step fires, earliest first, held out of quiet hours unless the deadline is statutory 24 h. */
export function planMilestones(
  calendar: WorkingCalendar,
  plan: DeadlinePlan,
  rules: EscalationRuleRow[],
  timeZone: string,
  options: { statutory?: boolean; quiet?: QuietHours; now?: Date } = {},
): Milestone[] {
  const quiet = options.quiet ?? DEFAULT_QUIET_HOURS;
  const due = new Date(plan.dueAt);
  const planned = rules.map((rule) => {
    checkRule(rule);
    const [, base, days] = MILESTONE.exec(rule.milestone)!;
    let at: Date;
    if (base === 'half') at = new Date(plan.remindAt);
    else if (!days || days === '0') at = due;
    else at = localTime(calendar.addWorkingDays(dateIn(timeZone, due), Number(days)), WORKDAY_START_HOUR, timeZone);
    if (!options.statutory) at = outOfQuietHours(at, timeZone, quiet);
    return {
      milestone: rule.milestone,
      at: at.toISOString(),
      notify: rule.notify as NotifyRole[],
      kind: base === 'half' ? 'reminder' : 'escalation',
    } as Milestone;
  });
  const sorted = planned.sort((a, b) => a.at.localeCompare(b.at) || a.milestone.localeCompare(b.milestone));
  // A step whose clock started before it reached us (a lead dispatched days ago) may open with rungs already
  // passed: tell the latest of them once, not every one in a burst.
  const now = options.now?.toISOString();
  const passed = now ? sorted.filter((m) => m.at <= now).length : 0;
  return passed > 1 ? sorted.slice(passed - 1) : sorted;
}

/** The instant itself outside quiet hours, else the end of quiet hours (the same or the next morning). */
export function outOfQuietHours(at: Date, timeZone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  const hour = localHour(at, timeZone);
  const inQuiet = quiet.from > quiet.to ? hour >= quiet.from || hour < quiet.to : hour >= quiet.from && hour < quiet.to;
  if (!inQuiet) return at;
  const date = dateIn(timeZone, at);
  const morning = hour >= quiet.from && quiet.from > quiet.to ? addDays(date, 1) : date;
  return localTime(morning, quiet.to, timeZone);
}

export function localHour(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(at));
}
