import { addDays, type WorkingCalendar } from '../../core/calendar';
import type { ActionCheck } from '../certificate/rules';
import { dateIn, daysBetween } from '../../core/dates';
import { localTime, type Clock } from '../../core/deadlines';
import type { ReferralStep } from './rules';

// Pausing a referral clock (issue #8 §4): no deadline is ever edited by hand; a clock only stops for a recorded
// reason an approver signed, and only on steps whose rules allow it (ReferralStep.pausable). The due date then
// moves by the paused span measured in the clock's own unit.

export const PAUSE_REASONS: Record<string, string> = {
  awaitingExpertOpinion: '等待检验、检测或鉴定意见',
  awaitingOtherBody: '等待其他机关协查',
  other: '其他(须写明)',
};

export interface Pause {
  reason: string;
  /** Free text; required for 'other'. */
  details?: string;
  requestedBy: string;
  approvedBy?: string;
  from: string;
  /** Absent while the clock is still stopped. */
  to?: string;
}

export function checkPause(step: ReferralStep, pause: Pause, currentDueAt: string): ActionCheck {
  if (!step.pausable) return { ok: false, message: `「${step.title}」的期限不能暂停` };
  if (!(pause.reason in PAUSE_REASONS))
    return { ok: false, message: `暂停原因应为:${Object.values(PAUSE_REASONS).join('、')}` };
  if (pause.reason === 'other' && !pause.details?.trim()) return { ok: false, message: '请写明暂停原因' };
  if (!pause.approvedBy) return { ok: false, message: '暂停须经负责人批准' };
  if (pause.approvedBy === pause.requestedBy) return { ok: false, message: '暂停不能由申请人自己批准' };
  if (Date.parse(pause.from) >= Date.parse(currentDueAt)) return { ok: false, message: '期限已届满,不能再暂停' };
  if (pause.to && Date.parse(pause.to) <= Date.parse(pause.from))
    return { ok: false, message: '恢复时间应晚于暂停时间' };
  return { ok: true };
}

/**
 * The due date after the approved pauses (an open pause counts up to `now`). Hour clocks move by the paused time;
 * day clocks by the (working) days after the pause began up to and including the day it ended — the day the clock
 * restarts is, like a start day, not counted — so they still end at 24:00. A pause that begins once the
 * (already moved) deadline has passed moves nothing; overlapping pauses count once.
 */
export function dueAfterPauses(
  calendar: WorkingCalendar,
  dueAt: string,
  clock: Clock,
  pauses: readonly Pause[],
  now: Date,
  timeZone: string,
): string {
  let due = Date.parse(dueAt);
  let countedTo = -Infinity;
  const spans = pauses
    .filter((p) => p.approvedBy && p.approvedBy !== p.requestedBy)
    .map((p) => ({ from: Date.parse(p.from), to: p.to ? Date.parse(p.to) : now.getTime() }))
    .sort((a, b) => a.from - b.from);
  for (const span of spans) {
    const from = Math.max(span.from, countedTo);
    if (from >= due || span.to <= from) continue;
    countedTo = span.to;
    if (clock.unit === 'hours') {
      due += span.to - from;
      continue;
    }
    const [start, end] = [dateIn(timeZone, new Date(from)), dateIn(timeZone, new Date(span.to))];
    const lastDay = dateIn(timeZone, new Date(due - 1));
    const moved =
      clock.unit === 'days'
        ? addDays(lastDay, daysBetween(start, end))
        : calendar.addWorkingDays(lastDay, calendar.workingDaysBetween(start, end));
    due = localTime(addDays(moved, 1), 0, timeZone).getTime();
  }
  return new Date(due).toISOString();
}
