import type { Clock } from '../../core/deadlines';

// The shape of a referral's step table (rules.ts holds the tables): kinds, actors, clocks, outcomes.

export type ReferralKind = 'criminal' | 'interAgency' | 'lead' | 'reverse';

/** Roles within one process: in 案件移送 'unit' sends and 'receiving_unit' receives; in 线索 'unit' is the one dispatched to. */
export type ReferralActor = 'case_team' | 'agency_head' | 'liaison' | 'receiving_unit' | 'bureau' | 'unit';

/** 'record': the liaison records an outside act (date, document number, outcome, optional file). */
export type StepKind = 'approve' | 'confirm' | 'record' | 'sign' | 'reply';

/** A clock fixed by the rules, or one the case's facts set (crime type, the matter's urgency, the lead's rules). */
export type StepClock = Clock | 'byCrimeType' | 'byUrgency' | 'byLeadRules';

export const CLOSED = 'closed';

export interface StepOutcome {
  key: string;
  label: string;
  /** The next step's key, or CLOSED. */
  next: string;
}

export interface ReferralStep {
  key: string;
  title: string;
  actor: ReferralActor;
  kind: StepKind;
  /** No clock: "at once" in the rules, or no rule gives one (nothing to chase). */
  clock?: StepClock;
  /** Absent: the clock starts when the previous step is done (after a 'record' step, on the act's date). */
  clockFrom?: string;
  /** A 24-hour deadline, where a night is a third of the time: quiet hours do not hold its messages. */
  statutory24h: boolean;
  /** May the clock stop for a recorded, approved reason? Only where a rule lets it (see PAUSE_REASONS). */
  pausable: boolean;
  article: string;
  outcomes: StepOutcome[];
}

/** A clock of calendar days (310's 日: see step-tables.ts). */
export const days = (amount: number): Clock => ({ unit: 'days', amount });
