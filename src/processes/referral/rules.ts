import { type WorkingCalendar } from '../../core/calendar';
import type { ActionCheck } from '../certificate/rules';
import { type IsoDate } from '../../core/dates';
import { localTime, planDeadline, type Clock, type DeadlinePlan } from '../../core/deadlines';
import { DEFAULT_LEAD_RULES, LEAD_STEPS, leadStepClock, type LeadRules } from './leads';

// Referral hand-offs (移送, DOMAIN.md §4, issue #8) as tables of steps: who acts, what kind of act, the clock.
// The police and the procuratorate are not on Feishu: their acts are 'record' steps the agency's liaison enters
// (date, document number, outcome). Pure: calendar, time and rules are passed in.
//
// Which "3 日" of 国务院令第310号 are working days? None. 《行政处罚法》第85条 makes "二日、三日、五日、七日"
// working days for periods of that Law only; 310 is a separate regulation on handing a case into criminal
// procedure and says nothing of working days, so its 3 日 (第5、8、9、12条) are calendar days ('days'), counted as
// criminal procedure counts them (刑事诉讼法第105条: the start day not counted). We do not apply 第105条's rule that a
// period ending on a holiday runs to the next working day: the shorter reading is the safe one for the agency's
// own steps, and for the police's steps it only makes the liaison ask a day early.

export * from './steps';
import { days, type ReferralKind, type ReferralStep } from './steps';
import { CRIMINAL_STEPS, INTER_AGENCY_STEPS, REVERSE_STEPS } from './step-tables';

export { CRIMINAL_STEPS, INTER_AGENCY_STEPS, REVERSE_STEPS };

export const REFERRAL_STEPS: Record<ReferralKind, ReferralStep[]> = {
  criminal: CRIMINAL_STEPS,
  interAgency: INTER_AGENCY_STEPS,
  lead: LEAD_STEPS,
  reverse: REVERSE_STEPS,
};

export const KIND_LABEL: Record<ReferralKind, string> = {
  criminal: '行刑衔接',
  interAgency: '案件移送',
  lead: '问题线索',
  reverse: '公安机关反向移送',
};

export function referralStep(kind: ReferralKind, key: string): ReferralStep {
  const step = REFERRAL_STEPS[kind].find((s) => s.key === key);
  if (!step) throw new Error(`no step ${key} in ${kind} referrals`);
  return step;
}

// The police's decision clock after receipt (310 第8条: 3 日). Economic crimes and complex cases run longer (DOMAIN.md
// §4; 公安部 rules on economic crimes): the type sets the clock, and an extension is a police act the liaison
// records. Both are counted from receipt: 'complex' extended is 30 + 30 = 60 days from receipt.

export type CrimeType = 'ordinary' | 'economic' | 'complex';

export const POLICE_DECISION_CLOCKS: Record<CrimeType, { label: string; clock: Clock; extendedTo?: Clock }> = {
  ordinary: { label: '一般案件', clock: days(3) },
  economic: { label: '经济犯罪案件', clock: days(3), extendedTo: days(10) },
  complex: { label: '重大疑难复杂案件', clock: days(30), extendedTo: days(60) },
};

export function policeDecisionClock(type: CrimeType, extended = false): Clock {
  const row = POLICE_DECISION_CLOCKS[type];
  if (!extended) return row.clock;
  if (!row.extendedTo) throw new RangeError(`${row.label}的立案审查期限不能延长`);
  return row.extendedTo;
}

// 案件移送: urgent matters go within 24 hours, others within 3 working days (local: a county lists its own kinds).

export interface InterAgencyRules {
  urgentKinds: readonly string[];
  urgentClock: Clock;
  normalClock: Clock;
}

export const MATTER_KIND_LABEL: Record<string, string> = {
  safety: '安全生产',
  food: '食品药品',
  environment: '生态环境',
};

export const DEFAULT_INTER_AGENCY_RULES: InterAgencyRules = {
  urgentKinds: ['safety', 'food', 'environment'],
  urgentClock: { unit: 'hours', amount: 24 },
  normalClock: { unit: 'workingDays', amount: 3 },
};

export function interAgencySendClock(matterKind: string, rules: InterAgencyRules = DEFAULT_INTER_AGENCY_RULES): Clock {
  return rules.urgentKinds.includes(matterKind) ? rules.urgentClock : rules.normalClock;
}

/** The facts a step's clock may depend on; a step whose clock needs a missing fact is our bug and throws. */
export interface ClockFacts {
  crimeType?: CrimeType;
  policeExtended?: boolean;
  matterKind?: string;
  interAgencyRules?: InterAgencyRules;
  leadType?: string;
  leadRules?: LeadRules;
}

/**
 * The clock a step runs on for this case, or undefined when it has none. A rule of 24 clock hours or less is
 * treated as statutory 24-hour whatever its source (an urgent lead, an urgent 案件移送): a night is still a third of it.
 */
export function resolveStepClock(
  step: ReferralStep,
  facts: ClockFacts = {},
): { clock: Clock; statutory24h: boolean } | undefined {
  let clock: Clock;
  if (step.clock === undefined) return undefined;
  if (step.clock === 'byCrimeType') {
    if (!facts.crimeType) throw new Error(`${step.key}: the clock needs the crime type`);
    clock = policeDecisionClock(facts.crimeType, facts.policeExtended);
  } else if (step.clock === 'byUrgency') {
    if (facts.matterKind === undefined) throw new Error(`${step.key}: the clock needs the matter's kind`);
    clock = interAgencySendClock(facts.matterKind, facts.interAgencyRules);
  } else if (step.clock === 'byLeadRules')
    clock = leadStepClock(step.key, facts.leadType, facts.leadRules ?? DEFAULT_LEAD_RULES);
  else return { clock: step.clock, statutory24h: step.statutory24h };
  return { clock, statutory24h: step.statutory24h || (clock.unit === 'hours' && clock.amount <= 24) };
}

/** The deadline of a step started at `startedAt`, or undefined when the step has no clock. */
export function planReferralStep(
  calendar: WorkingCalendar,
  step: ReferralStep,
  startedAt: Date,
  facts: ClockFacts,
  timeZone: string,
): (DeadlinePlan & { statutory24h: boolean }) | undefined {
  const resolved = resolveStepClock(step, facts);
  if (!resolved) return undefined;
  return { ...planDeadline(calendar, startedAt, resolved.clock, timeZone), statutory24h: resolved.statutory24h };
}

/**
 * When the next step's clock starts after an outside act: 310 counts from the day the agency received the police's
 * notice (自接到…之日起), which the liaison may record days later, so the act's date, not the recording time.
 */
export function recordedActStart(act: OutsideAct, timeZone: string): Date {
  return localTime(act.date, 0, timeZone);
}

/** An act of the police or procuratorate as the liaison records it. */
export interface OutsideAct {
  date: IsoDate;
  documentNo: string;
  outcome: string;
  fileKey?: string;
}

export function checkOutsideAct(step: ReferralStep, act: OutsideAct, today: IsoDate): ActionCheck {
  if (step.kind !== 'record') return { ok: false, message: `「${step.title}」不是外部机关的行为,不能登记` };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(act.date)) return { ok: false, message: '请填写日期(YYYY-MM-DD)' };
  if (act.date > today) return { ok: false, message: '日期不能晚于今天' };
  if (!act.documentNo.trim()) return { ok: false, message: '请填写文书编号' };
  if (!step.outcomes.some((x) => x.key === act.outcome))
    return { ok: false, message: `「${step.title}」的结果应为:${step.outcomes.map((x) => x.label).join('、')}` };
  return { ok: true };
}

// 310 第6条: what a criminal referral carries. The copy to the procuratorate (抄送) is the send step's own check.

export const REQUIRED_DOCUMENTS: Array<{ key: string; title: string }> = [
  { key: 'referralLetter', title: '涉嫌犯罪案件移送书' },
  { key: 'investigationReport', title: '涉嫌犯罪案件情况的调查报告' },
  { key: 'itemList', title: '涉案物品清单' },
  { key: 'expertReport', title: '有关检验报告或者鉴定意见' },
];

/** The required documents not among `attached` (document keys), in the article's order. */
export function missingDocuments(
  attached: readonly string[],
  required = REQUIRED_DOCUMENTS,
): Array<{ key: string; title: string }> {
  return required.filter((d) => !attached.includes(d.key));
}

export interface TeamMember {
  name: string;
  certNo: string;
  /** Holds a certificate valid today (certificateView(...).canEnforce): 持证上岗. */
  canEnforce: boolean;
}

/** 310 第5条: the report comes from a case team of at least two officers, each able to enforce. */
export function checkCriminalReport(report: { caseTeam: TeamMember[]; summary: string }): ActionCheck {
  const uncertified = report.caseTeam.filter((m) => !m.canEnforce);
  if (uncertified.length)
    return { ok: false, message: `${uncertified.map((m) => m.name).join('、')}没有有效执法证件,不能作为专案组成员` };
  if (new Set(report.caseTeam.map((m) => m.certNo.trim())).size < 2)
    return { ok: false, message: '专案组至少需要 2 名执法人员' };
  if (!report.summary.trim()) return { ok: false, message: '请填写涉嫌犯罪的事实和理由' };
  return { ok: true };
}

// The 以罚代刑 guard (310 第11条): when an administrative case's amount reaches a prosecution threshold the bot asks
// the case team whether to refer. Thresholds change with each 立案追诉标准 and some are provincial: the defaults
// below are examples, load your own.

export interface ThresholdRow {
  caseType: string;
  title: string;
  amountYuan: number;
  basis: string;
  example?: boolean;
}

export const EXAMPLE_THRESHOLDS: ThresholdRow[] = [
  {
    caseType: 'fakeProducts',
    title: '生产、销售伪劣产品(销售金额)',
    amountYuan: 50_000,
    basis: '刑法第140条',
    example: true,
  },
  {
    caseType: 'counterfeitTrademark',
    title: '假冒注册商标(非法经营数额)',
    amountYuan: 50_000,
    basis: '刑法第213条; 立案追诉标准',
    example: true,
  },
  {
    caseType: 'counterfeitGoods',
    title: '销售假冒注册商标的商品(销售金额)',
    amountYuan: 50_000,
    basis: '刑法第214条; 立案追诉标准',
    example: true,
  },
];

/** The threshold row reached by this amount, else undefined. "以上" includes the amount itself (刑法第99条). */
export function thresholdReached(
  caseType: string,
  amountYuan: number,
  table: readonly ThresholdRow[],
): ThresholdRow | undefined {
  return table.find((row) => row.caseType === caseType && amountYuan >= row.amountYuan);
}
