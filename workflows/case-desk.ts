import type { NotifyRole } from './domain/escalation';
import { checkStepAnswer, describeValue } from './domain/step-form';
import { ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CaseStepActivities } from './activities/case-steps';
import {
  CASE_STATUS,
  CASE_TYPE,
  caseViewQuery,
  decideUpdate,
  stepOutcomes,
  withdrawUpdate,
  type CaseView,
  type Decision,
  type DecideInput,

  type Person,
  type StepSpec,
  type WithdrawInput,
} from './shared';

// The approval step every process shares: a card to the step's owner, a deadline on the working-day
// calendar, a reminder at half time, escalation at the deadline and every working day after — and never
// an automatic decision. Decisions arrive as Temporal updates, validated against the step's owner first,
// so a wrong person's click changes nothing and is told why.

const steps = proxyActivities<CaseStepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
// A missing calendar year is fixed by a person loading it; retry hourly until then, never guess.
const clocks = proxyActivities<Pick<CaseStepActivities, 'planStep'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export class CaseDesk {
  private decision?: Decision;
  private withdrawal?: { by: Person; reason?: string };
  /** The card of the step in progress (or the last one), re-rendered when the case moves on or ends. */
  private stepCard?: { messageId: string; viewer: Person };

  constructor(readonly view: CaseView) {
    setHandler(caseViewQuery, () => this.view);
    setHandler(decideUpdate, (input) => this.decide(input), { validator: (input) => this.checkDecision(input) });
    setHandler(withdrawUpdate, (input) => this.withdraw(input), { validator: (input) => this.checkWithdrawal(input) });
  }

  /**
   * Runs one step to its decision; undefined when the applicant withdrew the case meanwhile. The step is a
   * row on the owner's desk while it is open, and its escalation ladder (data) is walked rung by rung.
   */
  async runStep(step: StepSpec): Promise<Decision | undefined> {
    if (this.withdrawal) return undefined;
    this.decision = undefined;
    const plan = await clocks.planStep({ startedAt: step.startedAt ?? new Date().toISOString(), clock: step.clock, remindAfter: step.remindAfter, process: this.view.process, stepKey: step.key, statutory: step.statutory });
    this.view.currentStep = { key: step.key, title: step.title, kind: step.kind, owner: step.owner, deadline: plan.deadline, reminders: 0, statutory: step.statutory, outcomes: stepOutcomes(step), fields: step.fields };
    await steps.openDeskItem({ view: this.view, stepKey: step.key });
    const messageId = await steps.sendCaseCard({ to: step.owner, view: this.view, kind: 'step' });
    this.stepCard = messageId ? { messageId, viewer: step.owner } : undefined;

    const settled = () => this.decision !== undefined || this.withdrawal !== undefined;
    for (const rung of plan.milestones) {
      if (await condition(settled, msUntil(rung.at))) break;
      const to = recipients(rung.notify, step, plan.bureau);
      if (rung.kind === 'escalation') this.view.currentStep.reminders++;
      await steps.notify({ to, view: this.view, kind: rung.kind });
      await steps.audit({ actor: 'system:deadline', action: rung.kind === 'reminder' ? 'case.step_reminded' : 'case.step_overdue', subject: this.view.workflowId, details: { step: step.key, milestone: rung.milestone, to: to.map((p) => p.name) } });
    }
    await condition(settled); // past the last rung the step still waits for a person: never an automatic decision
    const decision = this.decision as Decision | undefined; // set by the update handler while we waited
    if (this.withdrawal || !decision) {
      await steps.closeDeskItem({ stepKey: step.key, state: 'cancelled', outcome: 'withdrawn' });
      return undefined; // close() re-renders the card with the withdrawal
    }
    await steps.closeDeskItem({ stepKey: step.key, state: 'done', outcome: decision.outcome });
    this.view.currentStep = undefined;
    await this.refreshStepCard();
    return decision;
  }

  /** Ends the case with an outcome; the view then shows it everywhere it is rendered. */
  async close(status: CaseView['status'], closingNote?: string): Promise<void> {
    this.view.status = status;
    this.view.closingNote = closingNote;
    this.view.currentStep = undefined;
    // A case started with its index (type, unit, status) keeps the status current; one started without
    // (e.g. on a server without our search attributes) is left unindexed rather than failing.
    if (workflowInfo().typedSearchAttributes.get(CASE_TYPE) !== undefined) upsertSearchAttributes([{ key: CASE_STATUS, value: status }]);
    await this.refreshStepCard();
  }

  private async refreshStepCard(): Promise<void> {
    if (this.stepCard) await steps.updateCaseCard({ messageId: this.stepCard.messageId, view: this.view, viewer: this.stepCard.viewer });
  }

  get withdrawnBy() {
    return this.withdrawal;
  }

  private checkDecision(input: DecideInput): void {
    const step = this.view.currentStep;
    if (this.view.status !== 'open' || !step || step.key !== input.stepKey || this.decision) {
      throw ApplicationFailure.nonRetryable('这一步已经处理过了', 'StepClosed');
    }
    if (!step.owner.openId || step.owner.openId !== input.actorOpenId) {
      throw ApplicationFailure.nonRetryable(`您不是这一步的处理人(应由 ${step.owner.name} 处理)`, 'NotStepOwner');
    }
    const problem = checkStepAnswer(step, input);
    if (problem) throw ApplicationFailure.nonRetryable(problem, 'BadAnswer');
  }

  private decide(input: DecideInput): CaseView {
    const step = this.view.currentStep!;
    this.decision = {
      stepKey: step.key,
      stepTitle: step.title,
      outcome: input.outcome,
      outcomeLabel: step.outcomes.find((o) => o.key === input.outcome)!.label,
      by: step.owner,
      comment: input.comment?.trim() || undefined,
      values: input.values,
      answers: step.fields?.filter((f) => input.values?.[f.name] !== undefined).map((f) => [f.label, describeValue(f, input.values![f.name])]),
      at: new Date().toISOString(),
      late: step.deadline ? Date.now() > Date.parse(step.deadline.dueAt) : false,
    };
    this.view.decisions.push(this.decision);
    // The clicker's card: the decision recorded, no buttons left (the next step has not begun yet).
    return { ...this.view, currentStep: undefined };
  }

  private checkWithdrawal(input: WithdrawInput): void {
    if (this.view.status !== 'open' || this.withdrawal) throw ApplicationFailure.nonRetryable('案件已结束,不能撤回', 'CaseClosed');
    if (input.actorOpenId !== this.view.applicant.openId) throw ApplicationFailure.nonRetryable('只有申请人可以撤回', 'NotApplicant');
  }

  private withdraw(input: WithdrawInput): CaseView {
    this.withdrawal = { by: this.view.applicant, reason: input.reason };
    return this.view;
  }
}

/** The people a rung names, each once (the owner's superior may also be the bureau's leader). */
function recipients(roles: NotifyRole[], step: StepSpec, bureau: Person[]): Person[] {
  const people = roles.flatMap((role) => (role === 'owner' ? [step.owner] : role === 'superior' ? step.escalateTo : bureau));
  const seen = new Set<string>();
  return people.filter((p) => {
    const key = p.openId ?? `name:${p.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function msUntil(iso: string): number {
  return Math.max(1, Date.parse(iso) - Date.now());
}
