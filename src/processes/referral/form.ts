import type { Clock } from '../../core/deadlines';
import { REQUIRED_DOCUMENTS, type CrimeType, type ReferralActor, type ReferralStep } from './rules';
import { PAUSE_REASONS } from './pauses';
import type { StepField, StepOutcome } from '../casework/contract';

// How a referral step (the tables in referral.ts) becomes a step card: its buttons and the form its owner fills
// in. Pure; the workflows only translate. Inputs of the referral workflows live here too, so the bot and the
// workflows share them without the workflow bundle importing anything else.

/**
 * Steps no rule gives a clock (the police's receipt "on receipt", the procuratorate's outcome, a unit's answer on
 * a referral it received) still need someone chased: these follow-up clocks are ours, not the statute's, and
 * none of them is statutory.
 */
export const FOLLOW_UP_CLOCKS: Record<string, Clock> = {
  policeReceipt: { unit: 'workingDays', amount: 1 },
  supervisionOutcome: { unit: 'days', amount: 30 },
  receipt: { unit: 'workingDays', amount: 1 },
  acceptance: { unit: 'workingDays', amount: 3 },
  dispute: { unit: 'workingDays', amount: 3 },
  feedback: { unit: 'days', amount: 30 },
  dispatch: { unit: 'workingDays', amount: 1 },
  close: { unit: 'workingDays', amount: 3 },
  pauseApproval: { unit: 'workingDays', amount: 1 },
  paused: { unit: 'workingDays', amount: 20 },
};

/** Outcomes that refuse, reject or send back: the card asks for reasons before the click counts. */
const NEEDS_REASON = new Set([
  'rejected',
  'refused',
  'sentBack',
  'returned',
  'withdrawn',
  'accepted',
  'pauseRequested',
]);
const DANGER = new Set(['rejected', 'refused', 'sentBack', 'returned', 'withdrawn', 'dissatisfied']);

export function referralOutcomes(step: ReferralStep, exclude: readonly string[] = []): StepOutcome[] {
  return step.outcomes
    .filter((o) => !exclude.includes(o.key))
    .map((o, i) => ({
      key: o.key,
      label: o.label,
      style: DANGER.has(o.key) ? 'danger' : i === 0 ? 'primary' : 'default',
      // 'accepted' (不再提请) gives up a remedy: like a refusal it must say why. An inter-agency 接收 does not,
      // nor does an outside act recorded by the liaison: the police's notice is its own reason, filed by number.
      needsReason:
        step.kind !== 'record' && NEEDS_REASON.has(o.key) && !(o.key === 'accepted' && step.key === 'acceptance'),
    }));
}

const ATTACHED = [{ value: 'attached', label: '已附' }];

/** What the owner fills in: an outside act's date, document number and file; the four documents of 310 第6条. */
export function referralFields(step: ReferralStep, choices: { units?: string[] } = {}): StepField[] | undefined {
  if (step.kind === 'record') {
    return [
      { name: 'date', label: '文书日期', type: 'date', required: true },
      { name: 'documentNo', label: '文书编号', type: 'text', required: true },
      { name: 'file', label: '附件(文件名或编号,可不填)', type: 'text' },
    ];
  }
  if (step.key === 'send' && step.actor === 'liaison') {
    return [
      { name: 'letterNo', label: '移送书文号', type: 'text', required: true },
      ...REQUIRED_DOCUMENTS.map((d): StepField => ({
        name: d.key,
        label: d.title,
        type: 'select',
        options: ATTACHED,
        required: true,
      })),
      {
        name: 'procuratorateCopy',
        label: '抄送同级人民检察院',
        type: 'select',
        options: [{ value: 'sent', label: '已抄送' }],
        required: true,
      },
    ];
  }
  if (step.key === 'send') return [{ name: 'letterNo', label: '移送函文号', type: 'text', required: true }];
  if (step.key === 'designation')
    return [
      {
        name: 'designatedUnit',
        label: '指定管辖机关',
        type: 'select',
        options: (choices.units ?? []).map((u) => ({ value: u, label: u })),
        required: true,
      },
    ];
  if (step.key === 'dispatch')
    return [
      {
        name: 'unit',
        label: '派往单位',
        type: 'select',
        options: (choices.units ?? []).map((u) => ({ value: u, label: u })),
        required: true,
      },
    ];
  if (step.key === 'feedback') return [{ name: 'answer', label: '处理结果', type: 'textarea' }];
  // Neither is required on the card (答复, 退单 and 挂起 share the form); the workflow asks for the one the outcome needs.
  if (step.key === 'reply')
    return [
      { name: 'answer', label: '答复内容', type: 'textarea' },
      {
        name: 'pauseReason',
        label: '挂起原因(申请挂起时选)',
        type: 'select',
        options: Object.entries(PAUSE_REASONS).map(([value, label]) => ({ value, label })),
      },
    ];
  if (step.key === 'close') return [{ name: 'answer', label: '回访记录', type: 'textarea' }];
  return undefined;
}

/** A person on a step card: `openId` null when not yet matched to Feishu. */
export interface Party {
  owner: { name: string; openId: string | null };
  escalateTo: Array<{ name: string; openId: string | null }>;
}

export type ReferralParties = Partial<Record<ReferralActor, Party>>;

export interface CriminalReferralInput {
  unitName: string;
  /** The case team (≥ 2 officers); the first is the one the team's steps go to (主办人). */
  caseTeam: Array<{ name: string; certNo: string; openId: string | null }>;
  title: string;
  summary: string;
  crimeType: CrimeType;
  police: string;
  procuratorate: string;
  /** When the report was filed (the head's 3 days run from it); default: when the workflow starts. */
  reportedAt?: string;
}

export interface InterAgencyReferralInput {
  unitName: string;
  receivingUnit: string;
  title: string;
  summary: string;
  /** 'safety', 'food', 'environment' (urgent: 24 hours) or anything else (3 working days). */
  matterKind: string;
  applicant: { name: string; openId: string | null };
}

export interface ReverseReferralInput {
  unitName: string;
  police: string;
  title: string;
  summary: string;
  applicant: { name: string; openId: string | null };
}

export interface LeadInput {
  unitName: string;
  /** 12345, 督察, … as the bureau names it. */
  source: string;
  title: string;
  summary: string;
  /** A key of the lead rules' reply clocks: 'urgent', 'question', 'complaint'. */
  leadType: string;
  dispatcher: { name: string; openId: string | null };
  dispatchedAt?: string;
}

export type ReferralResult = {
  status: 'closed' | 'rejected' | 'refused' | 'withdrawn';
  outcome: string;
  steps: number;
  late: number;
};

/**
 * A referral's workflow id: its kind and a key that is never free text (the form card's Feishu message id, so a
 * double-clicked submit starts one referral; else a random id). A title is not a key: two leads to one unit
 * may well share a title.
 */
export function referralWorkflowId(kind: string, key: string): string {
  return `referral-${kind}-${key}`;
}
