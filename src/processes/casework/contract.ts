import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Clock, DeadlinePlan } from '../../core/deadlines';

// The case every process shares (steps, decisions, the case view, its updates and queries, search attributes). Only definitions (no I/O),
// so both the workflow bundle and the bot can import it.

export interface Person {
  /** null when the person has not been matched to Feishu yet: they are skipped, and that is audited. */
  openId: string | null;
  name: string;
}

/** approve: 同意/驳回; confirm: 确认已办; record: a form someone fills in (an outside act, a reply, an opinion). */
export type StepKind = 'approve' | 'confirm' | 'record';
/** The outcome's key: 'approved', 'rejected', 'confirmed', or one a step names ('filed', 'not_filed', …). */
export type Outcome = string;

/** One way to finish a step: a button on its card. */
export interface StepOutcome {
  key: string;
  label: string;
  style?: 'primary' | 'danger' | 'default';
  /** The comment box must be filled (a rejection, a refusal, a send-back). */
  needsReason?: boolean;
}

/** One thing the step's owner fills in on the card; validated by the workflow before it is accepted. */
export interface StepField {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'date' | 'number' | 'select' | 'multiselect';
  options?: Array<{ value: string; label: string }>;
  required?: boolean;
}

export type FieldValues = Record<string, string | string[]>;

export interface StepSpec {
  key: string;
  title: string;
  kind: StepKind;
  owner: Person;
  /** Told when the deadline passes, and again each following working day (never an automatic decision). */
  escalateTo: Person[];
  clock: Clock;
  /** When to remind the owner; default half time. */
  remindAfter?: Clock;
  /** A 24-hour statutory deadline: its reminders are not held back by quiet hours. */
  statutory?: boolean;
  /** When the clock started, when that was before the step reached us (a lead runs from its dispatch). */
  startedAt?: string;
  /** The buttons; default by kind (approve: 同意/驳回, confirm: 确认已办). A record step must name its own. */
  outcomes?: StepOutcome[];
  fields?: StepField[];
}

export interface Decision {
  stepKey: string;
  stepTitle: string;
  outcome: Outcome;
  /** How the card shows the outcome ('同意', '已立案'), fixed when it was decided. */
  outcomeLabel: string;
  by: Person;
  comment?: string;
  /** What the owner filled in, by field name (as sent: a choice by its value). */
  values?: FieldValues;
  /** The same as a person reads it (label, text), fixed when decided, for cards and exports. */
  answers?: Array<[label: string, text: string]>;
  at: string;
  /** Decided after the step's deadline. */
  late: boolean;
}

export type CaseStatus = 'open' | 'rejected' | 'withdrawn' | 'executed' | 'refused';

export interface OpenStep {
  key: string;
  title: string;
  kind: StepKind;
  owner: Person;
  deadline?: DeadlinePlan;
  reminders: number;
  statutory?: boolean;
  outcomes: StepOutcome[];
  fields?: StepField[];
}

/** Everything a card or a query shows of a case, for every process. */
export interface CaseView {
  workflowId: string;
  /**
   * The run this view is of. A workflow id is reused (a certificate's next case), so every card button names
   * the run it acts on, and a click on an ended run's card is told the card is out of date. Set by CaseDesk.
   */
  runId?: string;
  /** The process ('certificate', 'training_report', …): the escalation ladder and the desk's rows use it. */
  process: string;
  /** How a person names the case ('证件暂扣'). */
  caseType: string;
  /** The unit the case belongs to: whose leaders see it on their desk. */
  unitName: string;
  title: string;
  facts: Array<[label: string, value: string]>;
  applicant: Person;
  status: CaseStatus;
  /** The first open step (most processes have one at a time). */
  currentStep?: OpenStep;
  /** Every step waiting on a person now (several when a process runs steps together). */
  openSteps: OpenStep[];
  decisions: Decision[];
  /** Why the case ended when it did not end by a decision (withdrawn, refused at execution). */
  closingNote?: string;
}

export interface DecideInput {
  stepKey: string;
  actorOpenId: string;
  outcome: Outcome;
  comment?: string;
  values?: FieldValues;
}

const DEFAULT_OUTCOMES: Record<Exclude<StepKind, 'record'>, StepOutcome[]> = {
  approve: [
    { key: 'approved', label: '同意', style: 'primary' },
    { key: 'rejected', label: '驳回', style: 'danger', needsReason: true },
  ],
  confirm: [{ key: 'confirmed', label: '确认已办', style: 'primary' }],
};

export function stepOutcomes(step: Pick<StepSpec, 'kind' | 'outcomes'>): StepOutcome[] {
  if (step.outcomes?.length) return step.outcomes;
  if (step.kind === 'record') throw new Error('a record step names its outcomes');
  return DEFAULT_OUTCOMES[step.kind];
}

export interface WithdrawInput {
  actorOpenId: string;
  reason?: string;
}

export const decideUpdate = defineUpdate<CaseView, [DecideInput]>('decide');
export const withdrawUpdate = defineUpdate<CaseView, [WithdrawInput]>('withdraw');
export const caseViewQuery = defineQuery<CaseView>('caseView');
/** A year's holiday notice was loaded: a case plans again the steps it planned provisionally (暂定). */
export const calendarLoadedSignal = defineSignal<[{ years: number[] }]>('calendarLoaded');

/** Indexed on every case so open cases can be listed per unit and type (Temporal visibility). */
export const CASE_TYPE = defineSearchAttributeKey('LawDeskCaseType', 'KEYWORD');
export const CASE_UNIT = defineSearchAttributeKey('LawDeskUnit', 'KEYWORD');
export const CASE_STATUS = defineSearchAttributeKey('LawDeskStatus', 'KEYWORD');

export type NoticeKind = 'opened' | 'step' | 'reminder' | 'escalation' | 'outcome';
