import {
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseStepActivities, PlanStepInput, StepPlan } from './activities';
import type { NotifyRole } from '../../core/escalation';
import { checkStepAnswer, describeValue } from './step-form';
import {
  CASE_STATUS,
  CASE_TYPE,
  calendarLoadedSignal,
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
} from './contract';

// The step every process shares: a card to the step's owner, a row on everyone's desk, a deadline on the
// working-day calendar and the escalation ladder (data: half time, the deadline, N working days late) — and
// never an automatic decision. Decisions arrive as Temporal updates, validated against the step's owner and
// its outcomes and fields first, so a wrong person's click or a bad answer changes nothing and is told why.
// Several steps may be open at once (runSteps), each on its own.

const steps = proxyActivities<CaseStepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
// A year with no holiday notice no longer stops a plan (it is planned provisionally); the retries are for the database.
const clocks = proxyActivities<Pick<CaseStepActivities, 'planStep'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

type OpenStep = CaseView['openSteps'][number];

export class CaseDesk {
  /** Decisions of steps still open, by step key, until the step's own coroutine takes them. */
  private readonly pending = new Map<string, Decision>();
  private withdrawal?: { by: Person; reason?: string };
  /** Each step's card, re-rendered when the step is decided and when the case ends. */
  private readonly stepCards = new Map<string, { messageId: string; viewer: Person }>();
  /** Steps are listed in the order the process named them, whichever activity answered first. */
  private readonly order = new Map<string, number>();
  /** Holiday notices loaded since the case began (a signal each): provisional deadlines are planned again. */
  private calendarLoads = 0;

  constructor(readonly view: CaseView) {
    view.openSteps ??= [];
    view.runId = workflowInfo().runId;
    setHandler(caseViewQuery, () => this.view);
    setHandler(calendarLoadedSignal, () => void this.calendarLoads++);
    setHandler(decideUpdate, (input) => this.decide(input), { validator: (input) => this.checkDecision(input) });
    setHandler(withdrawUpdate, (input) => this.withdraw(input), { validator: (input) => this.checkWithdrawal(input) });
  }

  /** Runs one step to its decision; undefined when the applicant withdrew the case meanwhile. */
  async runStep(step: StepSpec): Promise<Decision | undefined> {
    return (await this.runSteps([step]))[0];
  }

  /**
   * Runs several steps at once (a township's batches of matters, each department's opinion): each has its
   * own card, deadline, ladder and desk row, and is decided on its own; resolves when all are decided.
   */
  async runSteps(specs: StepSpec[]): Promise<Array<Decision | undefined>> {
    if (new Set(specs.map((s) => s.key)).size !== specs.length)
      throw ApplicationFailure.nonRetryable('steps run together need distinct keys');
    for (const spec of specs) this.order.set(spec.key, this.order.size);
    return Promise.all(specs.map((spec) => this.runOne(spec)));
  }

  /** The step's row on the owner's desk while it is open, and its escalation ladder (data) walked rung by rung. */
  private async runOne(step: StepSpec): Promise<Decision | undefined> {
    if (this.withdrawal) return undefined;
    this.pending.delete(step.key);
    let loadsSeen = this.calendarLoads;
    const planInput: PlanStepInput = {
      startedAt: step.startedAt ?? new Date().toISOString(),
      clock: step.clock,
      remindAfter: step.remindAfter,
      process: this.view.process,
      stepKey: step.key,
      statutory: step.statutory,
    };
    let plan = await clocks.planStep(planInput);
    const open: OpenStep = {
      key: step.key,
      title: step.title,
      kind: step.kind,
      owner: step.owner,
      deadline: plan.deadline,
      reminders: 0,
      statutory: step.statutory,
      outcomes: stepOutcomes(step),
      fields: step.fields,
    };
    this.setOpen([...this.view.openSteps, open]);
    await steps.openDeskItem({ view: this.view, stepKey: step.key });
    const messageId = await steps.sendCaseCard({ to: step.owner, view: this.view, kind: 'step', stepKey: step.key });
    if (messageId) this.stepCards.set(step.key, { messageId, viewer: step.owner });

    const settled = () => this.pending.has(step.key) || this.withdrawal !== undefined;
    // A provisional deadline is planned again when a holiday notice is loaded; a rung already sent is not sent again.
    // Past the last rung the step still waits for a person: never an automatic decision.
    const replanDue = () => this.calendarLoads !== loadsSeen && open.deadline?.provisional === true;
    const wake = () => settled() || replanDue();
    const sent = new Set<string>();
    for (let rung = plan.milestones[0]; ; rung = plan.milestones.find((m) => !sent.has(m.milestone))) {
      if (!rung) await condition(wake);
      else if (!(await untilDue(wake, rung.at, 'rung-due-at-once'))) {
        sent.add(rung.milestone);
        const to = recipients(rung.notify, step, plan.bureau);
        if (rung.kind === 'escalation') open.reminders++;
        await steps.notify({ to, view: this.view, kind: rung.kind, stepKey: step.key });
        await steps.audit({
          actor: 'system:deadline',
          action: rung.kind === 'reminder' ? 'case.step_reminded' : 'case.step_overdue',
          subject: this.view.workflowId,
          details: { step: step.key, milestone: rung.milestone, to: to.map((p) => p.name) },
        });
        continue;
      }
      if (settled()) break;
      loadsSeen = this.calendarLoads;
      plan = await this.replan(open, planInput);
    }
    const decision = this.pending.get(step.key);
    this.pending.delete(step.key);
    this.setOpen(this.view.openSteps.filter((s) => s.key !== step.key));
    if (this.withdrawal || !decision) {
      await steps.closeDeskItem({ stepKey: step.key, state: 'cancelled', outcome: 'withdrawn' });
      return undefined; // close() re-renders the card with the withdrawal
    }
    await steps.closeDeskItem({ stepKey: step.key, state: 'done', outcome: decision.outcome });
    await this.refreshCard(step.key);
    return decision;
  }

  /** The step planned on the calendar as loaded now; its desk row, card and owner follow when the deadline changed. */
  private async replan(open: OpenStep, input: PlanStepInput): Promise<StepPlan> {
    const plan = await clocks.planStep(input);
    const before = open.deadline!;
    if (plan.deadline.dueAt === before.dueAt && plan.deadline.provisional === before.provisional) return plan;
    open.deadline = plan.deadline;
    await steps.deadlineReplanned({ view: this.view, stepKey: open.key, before });
    await this.refreshCard(open.key);
    return plan;
  }

  /** Ends the case with an outcome; the view then shows it everywhere it is rendered. */
  async close(status: CaseView['status'], closingNote?: string): Promise<void> {
    this.view.status = status;
    this.view.closingNote = closingNote;
    this.setOpen([]);
    // A case started with its index (type, unit, status) keeps the status current; one started without
    // (e.g. on a server without our search attributes) is left unindexed rather than failing.
    if (workflowInfo().typedSearchAttributes.get(CASE_TYPE) !== undefined)
      upsertSearchAttributes([{ key: CASE_STATUS, value: status }]);
    for (const key of this.stepCards.keys()) await this.refreshCard(key);
  }

  /** The open steps, and the first of them as `currentStep` for views that show one. */
  private setOpen(open: OpenStep[]): void {
    this.view.openSteps = open.sort((a, b) => (this.order.get(a.key) ?? 0) - (this.order.get(b.key) ?? 0));
    this.view.currentStep = open[0];
  }

  private async refreshCard(stepKey: string): Promise<void> {
    const card = this.stepCards.get(stepKey);
    if (card) await steps.updateCaseCard({ messageId: card.messageId, view: this.view, viewer: card.viewer, stepKey });
  }

  get withdrawnBy() {
    return this.withdrawal;
  }

  private checkDecision(input: DecideInput): void {
    const step = this.view.openSteps.find((s) => s.key === input.stepKey);
    // Said as it is: decided already, the case over, or a step that has not begun (never "already done" for that).
    if (this.pending.has(input.stepKey) || (!step && this.view.decisions.some((d) => d.stepKey === input.stepKey))) {
      throw ApplicationFailure.nonRetryable('这一步已经处理过了', 'StepClosed');
    }
    if (this.view.status !== 'open' || this.withdrawal)
      throw ApplicationFailure.nonRetryable('该案件已结束,不能再办理', 'CaseClosed');
    if (!step) throw ApplicationFailure.nonRetryable('这一步还没有开始,请等前面的步骤办完', 'StepNotOpen');
    if (!step.owner.openId || step.owner.openId !== input.actorOpenId) {
      throw ApplicationFailure.nonRetryable(`您不是这一步的处理人(应由 ${step.owner.name} 处理)`, 'NotStepOwner');
    }
    const problem = checkStepAnswer(step, input);
    if (problem) throw ApplicationFailure.nonRetryable(problem, 'BadAnswer');
  }

  private decide(input: DecideInput): CaseView {
    const step = this.view.openSteps.find((s) => s.key === input.stepKey)!;
    const decision: Decision = {
      stepKey: step.key,
      stepTitle: step.title,
      outcome: input.outcome,
      outcomeLabel: step.outcomes.find((o) => o.key === input.outcome)!.label,
      by: step.owner,
      comment: input.comment?.trim() || undefined,
      values: input.values,
      answers: step.fields
        ?.filter((f) => input.values?.[f.name] !== undefined)
        .map((f) => [f.label, describeValue(f, input.values![f.name])]),
      at: new Date().toISOString(),
      late: step.deadline ? Date.now() > Date.parse(step.deadline.dueAt) : false,
    };
    this.pending.set(step.key, decision);
    this.view.decisions.push(decision);
    // The clicker's card: the decision recorded, that step's buttons gone (the next step has not begun yet).
    const open = this.view.openSteps.filter((s) => s.key !== step.key);
    return { ...this.view, openSteps: open, currentStep: open[0] };
  }

  private checkWithdrawal(input: WithdrawInput): void {
    if (this.view.status !== 'open' || this.withdrawal)
      throw ApplicationFailure.nonRetryable('案件已结束,不能撤回', 'CaseClosed');
    if (input.actorOpenId !== this.view.applicant.openId)
      throw ApplicationFailure.nonRetryable('只有申请人可以撤回', 'NotApplicant');
  }

  private withdraw(input: WithdrawInput): CaseView {
    this.withdrawal = { by: this.view.applicant, reason: input.reason };
    return this.view;
  }
}

/** The people a rung names, each once (the owner's superior may also be the bureau's leader). */
function recipients(roles: NotifyRole[], step: StepSpec, bureau: Person[]): Person[] {
  const people = roles.flatMap((role) =>
    role === 'owner' ? [step.owner] : role === 'superior' ? step.escalateTo : bureau,
  );
  const seen = new Set<string>();
  return people.filter((p) => {
    const key = p.openId ?? `name:${p.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Waits until `wake` holds (true) or the instant `at` comes (false). An instant already past (a rung or chase of a
 * step whose clock started before it opened) needs no timer: a 1 ms timer only raced a decision arriving with it,
 * and the Java test server wedges a workflow whose task cancels a timer it fired meanwhile (sdk-java#2606).
 * Runs that started one such timer before replay through the patch.
 */
export async function untilDue(wake: () => boolean, at: string, patchId: string): Promise<boolean> {
  const ms = Date.parse(at) - Date.now();
  if (ms <= 0 && patched(patchId)) return wake();
  return condition(wake, Math.max(1, ms));
}
