import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseStepActivities } from '../casework/activities';
import type { ReferralActivities } from './activities';
import { CaseDesk, untilDue } from '../casework/case-desk';
import { KIND_LABEL, referralStep, resolveStepClock } from './rules';
import {
  FOLLOW_UP_CLOCKS,
  referralFields,
  referralOutcomes,
  type LeadInput,
  type Party,
  type ReferralParties,
  type ReferralResult,
} from './form';
import { DEFAULT_LEAD_RULES, SATISFACTION_LABEL, type ChaseEvent, type LeadRules } from './leads';
import type { Pause } from './pauses';
import type { CaseView, Decision, Person, StepSpec } from '../casework/contract';

// A hotline or supervision lead (问题线索, issue #8 §3), apart from referral.ts because it differs in kind: every
// clock runs from dispatch (派单), not from signing; the unit may send it back (退单) with reasons once, after
// which the bureau dispatches it again, perhaps elsewhere; and it is chased on the lead rules' own schedule
// (催办 the working day before, 催办 the day after a missed deadline, 通报 to the unit head and the bureau at five
// working days late) alongside the step, instead of the shared ladder (the 'lead' ladder only tells the owner).

const act = proxyActivities<ReferralActivities & CaseStepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes' },
});

export const LEAD_PROCESS = 'lead';

export async function leadWorkflow(input: LeadInput): Promise<ReferralResult> {
  const workflowId = workflowInfo().workflowId;
  // The county's rules as loaded when the lead is dispatched, kept to its end; leads dispatched before the rules
  // were data replay with the shipped ones (the patch keeps their history valid).
  const rules = patched('lead-rules-as-data') ? await act.leadRules() : DEFAULT_LEAD_RULES;
  const view: CaseView = {
    workflowId,
    process: LEAD_PROCESS,
    caseType: `${KIND_LABEL.lead}(${input.source})`,
    unitName: input.unitName,
    title: input.title,
    applicant: input.dispatcher,
    status: 'open',
    openSteps: [],
    decisions: [],
    facts: [
      ['来源', input.source],
      ['类型', rules.replyClocks[input.leadType]?.label ?? input.leadType],
      ['诉求', input.summary],
      ['承办单位', input.unitName],
    ],
  };
  const desk = new CaseDesk(view);
  await act.openReferral({
    workflowId,
    kind: 'lead',
    unitName: input.unitName,
    counterpart: input.source,
    title: input.title,
  });
  await act.audit({
    actor: input.dispatcher.openId ?? input.dispatcher.name,
    action: 'referral.opened',
    subject: workflowId,
    details: { kind: 'lead', facts: view.facts },
  });

  let unitName = input.unitName;
  let dispatchedAt = input.dispatchedAt ?? new Date().toISOString();
  let sendBacks = 0;
  let [done, late] = [0, 0];
  let note: string | undefined;
  // 挂起 (referral-pauses.ts): the reply's clock stops only for an approved reason, from approval to resumption.
  let pauses: Pause[] = [];
  let pending: Pause | undefined;
  let key = 'sign';
  const runs = new Map<string, number>();
  for (;;) {
    const parties = await act.findReferralParties({ unitName });
    if ('missing' in parties) return finish(desk, input, [], 'refused', parties.missing as string, done, late);
    const step = referralStep('lead', key);
    const party = (parties as ReferralParties)[step.actor]!;
    const run = (runs.get(key) ?? 0) + 1;
    runs.set(key, run);
    const startedAt =
      key === 'reply' && pauses.length
        ? (
            await act.leadReplyStart({
              dispatchedAt,
              leadType: input.leadType,
              pauses,
              now: new Date().toISOString(),
              rules,
            })
          ).startedAt
        : dispatchedAt;
    const spec = leadStepSpec(
      key,
      run,
      party,
      input.leadType,
      startedAt,
      sendBacks,
      key === 'dispatch' ? await act.listReferralUnits() : [],
      rules,
    );
    await act.referralAtStep({ workflowId, stepKey: spec.key, stepTitle: step.title, unitName });
    if (note) await act.notify({ to: [party.owner], view, kind: 'step', headline: note });
    note = undefined;
    const chased = key === 'sign' || key === 'reply';
    const decision = chased
      ? await withChase(desk, spec, party, parties as ReferralParties, rules)
      : await desk.runStep(spec);
    if (!decision) return finish(desk, input, [], 'withdrawn', '派单人已撤回', done, late);

    // The answer is what closing records; the field cannot be required on the card, where 退单 shares the form.
    if (decision.outcome === 'replied' && !String(decision.values?.answer ?? '').trim()) {
      note = '⚠️ 答复未被接受:请填写「答复内容」。';
      continue;
    }
    if (decision.outcome === 'sentBack') {
      const check = await act.checkLeadSendBack({
        dispatchedAt,
        sendBacks,
        reason: decision.comment ?? '',
        at: decision.at,
        rules,
      });
      if (!check.ok) {
        await act.audit({
          actor: decision.by.openId ?? decision.by.name,
          action: 'referral.send_back_refused',
          subject: workflowId,
          details: { step: spec.key, why: check.message, reason: decision.comment },
        });
        note = `⚠️ 退单未被接受:${check.message}。`;
        continue;
      }
      sendBacks++;
    }
    if (decision.outcome === 'pauseRequested') {
      if (!decision.values?.pauseReason) {
        note = '⚠️ 挂起未被接受:请选择「挂起原因」。';
        continue;
      }
      pending = {
        reason: String(decision.values.pauseReason),
        details: decision.comment,
        requestedBy: decision.by.openId ?? decision.by.name,
        from: decision.at,
      };
    }
    if (key === 'pauseApproval' && decision.outcome === 'approved' && pending) {
      const pause: Pause = { ...pending, approvedBy: decision.by.openId ?? decision.by.name, from: decision.at };
      const check = await act.checkLeadPause({ dispatchedAt, leadType: input.leadType, pauses, pause, rules });
      if (!check.ok) {
        await act.audit({
          actor: decision.by.openId ?? decision.by.name,
          action: 'referral.pause_refused',
          subject: workflowId,
          details: { why: check.message },
        });
        [note, pending, key] = [`⚠️ 挂起未生效:${check.message}`, undefined, 'reply'];
        continue;
      }
      pending = pause;
    }
    if (key === 'pauseApproval' && decision.outcome === 'rejected') pending = undefined;
    if (key === 'paused' && pending) [pauses, pending] = [[...pauses, { ...pending, to: decision.at }], undefined];
    await act.recordReferralDecision({
      workflowId,
      decision,
      refusal: false,
      sendBack: decision.outcome === 'sentBack',
    });
    done++;
    if (decision.late) late++;
    if (key === 'dispatch') {
      unitName = String(decision.values?.unit ?? unitName);
      dispatchedAt = decision.at; // a new dispatch: the clocks start again from it
      pauses = [];
      view.unitName = unitName;
      view.facts = view.facts.map(([label, value]) => [label, label === '承办单位' ? unitName : value]);
    }
    if (key === 'close') {
      const people = [input.dispatcher, party.owner];
      return finish(
        desk,
        input,
        people,
        'closed',
        `已办结,回访${SATISFACTION_LABEL[decision.outcome] ?? decision.outcome}${decision.comment ? `:${decision.comment}` : ''}`,
        done,
        late,
      );
    }
    key = step.outcomes.find((o) => o.key === decision.outcome)!.next;
  }
}

function leadStepSpec(
  key: string,
  run: number,
  party: Party,
  leadType: string,
  startedAt: string,
  sendBacks: number,
  units: string[],
  rules: LeadRules,
): StepSpec {
  const step = referralStep('lead', key);
  const resolved = resolveStepClock(step, { leadType, leadRules: rules });
  // Send-backs used up: the button is gone, so a second 退单 is refused by the step itself, not after the click.
  // A 24-hour reply is never paused (a night is a third of it).
  const exclude = [
    ...(sendBacks >= rules.maxSendBacks ? ['sentBack'] : []),
    ...(resolved?.statutory24h ? ['pauseRequested'] : []),
  ];
  return {
    key: run > 1 ? `${key}-${run}` : key,
    title: step.title,
    kind: step.kind === 'sign' ? 'confirm' : step.kind === 'reply' ? 'record' : 'confirm',
    owner: party.owner,
    escalateTo: party.escalateTo,
    clock: resolved?.clock ?? FOLLOW_UP_CLOCKS[key]!,
    statutory: resolved?.statutory24h ?? false,
    startedAt: resolved ? startedAt : undefined,
    outcomes: referralOutcomes(step, exclude),
    fields: referralFields(step, { units }),
  };
}

/** Runs the step while the chase plan walks beside it; the chase stops when the step is decided. */
async function withChase(
  desk: CaseDesk,
  spec: StepSpec,
  party: Party,
  parties: ReferralParties,
  rules: LeadRules,
): Promise<Decision | undefined> {
  let settled = false;
  const decided = desk.runStep(spec).finally(() => (settled = true));
  const plan = await act.planLeadChase({ startedAt: spec.startedAt!, clock: spec.clock, rules });
  for (const event of plan) {
    if (await untilDue(() => settled, event.at, 'chase-due-at-once')) break;
    await chase(desk, spec, event, party, parties, rules);
  }
  return decided;
}

async function chase(
  desk: CaseDesk,
  spec: StepSpec,
  event: ChaseEvent,
  party: Party,
  parties: ReferralParties,
  rules: LeadRules,
): Promise<void> {
  const who: Record<ChaseEvent['notify'][number], Person[]> = {
    unit: [party.owner],
    unitHead: party.escalateTo,
    bureau: parties.bureau ? [parties.bureau.owner, ...parties.bureau.escalateTo] : [],
  };
  const to = event.notify
    .flatMap((role) => who[role])
    .filter((p, i, all) => all.findIndex((q) => (q.openId ?? q.name) === (p.openId ?? p.name)) === i);
  // A headline is shown as text (it quotes the lead's title): no markup in it.
  const headline =
    event.kind === 'notice'
      ? `📢 通报:${desk.view.unitName}办理的线索「${desk.view.title}」「${spec.title}」已超期 ${rules.noticeAfterWorkingDays} 个工作日,仍未办结。`
      : `⏰ ${event.label}:线索「${desk.view.title}」「${spec.title}」,请 ${party.owner.name} 及时办理。`;
  await act.notify({ to, view: desk.view, kind: event.kind === 'remind' ? 'reminder' : 'escalation', headline });
  await act.audit({
    actor: 'system:deadline',
    action: event.kind === 'notice' ? 'referral.lead_notice' : 'referral.lead_chased',
    subject: desk.view.workflowId,
    details: { step: spec.key, label: event.label, to: to.map((p) => p.name) },
  });
}

async function finish(
  desk: CaseDesk,
  input: LeadInput,
  people: Person[],
  status: ReferralResult['status'],
  note: string,
  done: number,
  late: number,
): Promise<ReferralResult> {
  await desk.close(status === 'closed' ? 'executed' : status, note);
  await act.closeReferral({ workflowId: desk.view.workflowId, status, outcome: note });
  const to = [input.dispatcher, ...people].filter(
    (p, i, all) => all.findIndex((q) => (q.openId ?? q.name) === (p.openId ?? p.name)) === i,
  );
  await act.notify({ to, view: desk.view, kind: 'outcome', headline: `线索「${input.title}」${note}` });
  return { status, outcome: note, steps: done, late };
}
