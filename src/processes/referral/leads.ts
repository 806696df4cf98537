import { addDays, type WorkingCalendar } from '../../core/calendar';
import type { ActionCheck } from '../certificate/rules';
import { dateIn, type IsoDate } from '../../core/dates';
import { localTime, planDeadline, WORKDAY_START_HOUR, type Clock } from '../../core/deadlines';
import type { ReferralStep } from './steps';

// Leads from the 12345 hotline and supervisors (问题线索, DOMAIN.md §4; local rules, so all of it is data with
// defaults). The common complaint is leads bouncing between departments while the clock waits for a signature:
// so every clock runs from dispatch (派单), not signing, and a lead may be sent back once.

export interface LeadRules {
  signClock: Clock;
  /** A send-back (退单) with reasons within this clock from dispatch. */
  sendBackClock: Clock;
  /** Send-backs allowed over the whole lead, whichever unit has it. */
  maxSendBacks: number;
  replyClocks: Record<string, { label: string; clock: Clock }>;
  /** 通报 to the unit head and the bureau when this many working days late. */
  noticeAfterWorkingDays: number;
}

// "Urgent: same day" is 24 clock hours from dispatch, not 24:00 of the dispatch day: a lead dispatched at 23:00
// would otherwise be due within the hour, and the one published rule we have (湘江新区) is a 24-hour response.
export const DEFAULT_LEAD_RULES: LeadRules = {
  signClock: { unit: 'workingDays', amount: 1 },
  sendBackClock: { unit: 'workingDays', amount: 2 },
  maxSendBacks: 1,
  replyClocks: {
    urgent: { label: '紧急诉求', clock: { unit: 'hours', amount: 24 } },
    question: { label: '咨询', clock: { unit: 'workingDays', amount: 3 } },
    complaint: { label: '投诉', clock: { unit: 'workingDays', amount: 13 } },
  },
  noticeAfterWorkingDays: 5,
};

/** How a lead type reads on a form: 投诉(13个工作日). */
export function leadTypeOptions(rules: LeadRules): Array<[key: string, label: string]> {
  return Object.entries(rules.replyClocks).map(([key, t]) => [
    key,
    `${t.label}(${t.clock.unit === 'hours' ? `${t.clock.amount}小时` : `${t.clock.amount}个工作日`})`,
  ]);
}

export const SATISFACTION_LABEL: Record<string, string> = {
  satisfied: '满意',
  basic: '基本满意',
  dissatisfied: '不满意',
};

const base = { statutory24h: false, pausable: false, clockFrom: 'dispatch', article: '(local)' };

/**
 * Every clock from dispatch. The reply may pause (e.g. awaiting a test or an expert opinion) where the hotline
 * platform allows 挂起 with approval; a send-back returns the lead to the bureau to dispatch again.
 */
export const LEAD_STEPS: ReferralStep[] = [
  {
    ...base,
    clockFrom: undefined,
    key: 'dispatch',
    title: '派单',
    actor: 'bureau',
    kind: 'confirm',
    outcomes: [{ key: 'dispatched', label: '已派单', next: 'sign' }],
  },
  {
    ...base,
    key: 'sign',
    title: '签收',
    actor: 'unit',
    kind: 'sign',
    clock: 'byLeadRules',
    outcomes: [
      { key: 'signed', label: '签收', next: 'reply' },
      { key: 'sentBack', label: '退单(说明理由)', next: 'dispatch' },
    ],
  },
  {
    ...base,
    key: 'reply',
    title: '办理答复',
    actor: 'unit',
    kind: 'reply',
    clock: 'byLeadRules',
    pausable: true,
    outcomes: [
      { key: 'replied', label: '已答复', next: 'close' },
      { key: 'sentBack', label: '退单(说明理由)', next: 'dispatch' },
      { key: 'pauseRequested', label: '申请挂起(说明理由)', next: 'pauseApproval' },
    ],
  },
  // 挂起: the unit head approves (never the one who asked); the clock stops from approval until the unit resumes.
  {
    ...base,
    clockFrom: undefined,
    key: 'pauseApproval',
    title: '审批挂起(暂停计时)',
    actor: 'agency_head',
    kind: 'approve',
    outcomes: [
      { key: 'approved', label: '同意挂起', next: 'paused' },
      { key: 'rejected', label: '不同意(说明理由)', next: 'reply' },
    ],
  },
  {
    ...base,
    clockFrom: undefined,
    key: 'paused',
    title: '挂起中(恢复后继续计时)',
    actor: 'unit',
    kind: 'confirm',
    outcomes: [{ key: 'resumed', label: '恢复办理', next: 'reply' }],
  },
  {
    ...base,
    clockFrom: undefined,
    key: 'close',
    title: '回访办结',
    actor: 'bureau',
    kind: 'confirm',
    outcomes: Object.entries(SATISFACTION_LABEL).map(([key, label]) => ({ key, label, next: 'closed' })),
  },
];

/** The clock of a lead step: signing and the reply by the rules; a reply needs a known lead type. */
export function leadStepClock(
  stepKey: string,
  leadType: string | undefined,
  rules: LeadRules = DEFAULT_LEAD_RULES,
): Clock {
  if (stepKey === 'sign') return rules.signClock;
  if (stepKey !== 'reply') throw new Error(`lead step ${stepKey} has no clock`);
  const row = leadType === undefined ? undefined : rules.replyClocks[leadType];
  if (!row) throw new Error(`unknown lead type ${leadType}: known ${Object.keys(rules.replyClocks).join(', ')}`);
  return row.clock;
}

export interface LeadState {
  dispatchedAt: string;
  /** Send-backs so far over the whole lead. */
  sendBacks: number;
  repliedAt?: string;
}

/** A send-back needs reasons, is allowed once per lead, and only within 2 working days of this dispatch. */
export function canSendBack(
  calendar: WorkingCalendar,
  lead: LeadState,
  reason: string,
  now: Date,
  timeZone: string,
  rules: LeadRules = DEFAULT_LEAD_RULES,
): ActionCheck {
  if (lead.repliedAt) return { ok: false, message: '线索已答复,不能退单' };
  if (lead.sendBacks >= rules.maxSendBacks)
    return { ok: false, message: `该线索已退单 ${lead.sendBacks} 次,不能再退,请办理` };
  if (!reason.trim()) return { ok: false, message: '退单须说明理由' };
  const window = planDeadline(calendar, new Date(lead.dispatchedAt), rules.sendBackClock, timeZone);
  if (now.getTime() >= Date.parse(window.dueAt))
    return { ok: false, message: `已超过退单期限(派单后${window.label}),请办理` };
  return { ok: true };
}

/** The local date a deadline falls on: one at 24:00 belongs to the day it ends. */
function dueDate(dueAt: string, timeZone: string): IsoDate {
  return dateIn(timeZone, new Date(Date.parse(dueAt) - 1));
}

/**
 * Working days late: the working days after the due date up to and including today, so the first working day after
 * a missed deadline is 1 late and a weekend adds nothing. 0 when not yet due.
 */
export function workingDaysLate(calendar: WorkingCalendar, dueAt: string, now: Date, timeZone: string): number {
  if (now.getTime() < Date.parse(dueAt)) return 0;
  return calendar.workingDaysBetween(dueDate(dueAt, timeZone), dateIn(timeZone, now));
}

/** 通报 to the unit head and the bureau once a lead is this late (5 working days by default). */
export function needsNotice(
  calendar: WorkingCalendar,
  dueAt: string,
  now: Date,
  timeZone: string,
  rules: LeadRules = DEFAULT_LEAD_RULES,
): boolean {
  return workingDaysLate(calendar, dueAt, now, timeZone) >= rules.noticeAfterWorkingDays;
}

export interface ChaseEvent {
  kind: 'remind' | 'chase' | 'notice';
  label: string;
  at: string;
  notify: Array<'unit' | 'unitHead' | 'bureau'>;
}

/**
 * 催办 at 09:00 of the working day before the due date and of the first working day after a missed one; 通报 at
 * 09:00 of the day the lead becomes 5 working days late. A reminder that would come before dispatch moves to 09:00
 * of the due day if that is a working day still ahead, else is dropped (a lead dispatched on Friday evening,
 * due Monday). The after-deadline events are planned now and cancelled by the workflow if the reply comes.
 */
export function chaseSchedule(
  calendar: WorkingCalendar,
  startedAt: Date,
  dueAt: string,
  timeZone: string,
  rules: LeadRules = DEFAULT_LEAD_RULES,
): ChaseEvent[] {
  const last = dueDate(dueAt, timeZone);
  const events: ChaseEvent[] = [];
  const candidates = [
    { at: localTime(previousWorkingDay(calendar, last), WORKDAY_START_HOUR, timeZone), label: '催办(即将到期)' },
  ];
  if (calendar.isWorkingDay(last))
    candidates.push({ at: localTime(last, WORKDAY_START_HOUR, timeZone), label: '催办(今日到期)' });
  const remind = candidates.find((c) => c.at > startedAt && c.at.getTime() < Date.parse(dueAt));
  if (remind) events.push({ kind: 'remind', label: remind.label, at: remind.at.toISOString(), notify: ['unit'] });
  const chase = localTime(calendar.addWorkingDays(last, 1), WORKDAY_START_HOUR, timeZone);
  events.push({ kind: 'chase', label: '催办(已超期)', at: chase.toISOString(), notify: ['unit', 'unitHead'] });
  const notice = localTime(calendar.addWorkingDays(last, rules.noticeAfterWorkingDays), WORKDAY_START_HOUR, timeZone);
  events.push({
    kind: 'notice',
    label: `通报(超期${rules.noticeAfterWorkingDays}个工作日)`,
    at: notice.toISOString(),
    notify: ['unitHead', 'bureau'],
  });
  return events;
}

function previousWorkingDay(calendar: WorkingCalendar, date: IsoDate): IsoDate {
  let d = addDays(date, -1);
  while (!calendar.isWorkingDay(d)) d = addDays(d, -1);
  return d;
}
