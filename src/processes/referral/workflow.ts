import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseStepActivities } from '../casework/activities';
import type { ReferralActivities } from './activities';
import { CaseDesk } from '../casework/case-desk';
import {
  CLOSED,
  KIND_LABEL,
  MATTER_KIND_LABEL,
  POLICE_DECISION_CLOCKS,
  referralStep,
  resolveStepClock,
  type ClockFacts,
  type ReferralKind,
  type ReferralStep,
} from './rules';
import {
  FOLLOW_UP_CLOCKS,
  referralFields,
  referralOutcomes,
  type CriminalReferralInput,
  type InterAgencyReferralInput,
  type Party,
  type ReferralParties,
  type ReferralResult,
  type ReverseReferralInput,
} from './form';
import type { CaseView, Decision, Person, StepSpec } from '../casework/contract';

// Referral hand-offs (移送, issue #8): one workflow per referral walking its kind's step table
// (src/processes/referral/rules.ts) — who acts, on which clock, and where each outcome leads. The police and the
// procuratorate are not on Feishu: their acts are 'record' steps the agency's liaison fills in (date, document
// number, file), and the next clock starts on the act's date, not on the day it was typed in. Leads
// (问题线索) chase on their own schedule and bounce between units, so they have their own file (lead.ts).

const act = proxyActivities<ReferralActivities & CaseStepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes' },
});

export const REFERRAL_PROCESS = 'referral';

/** 行刑衔接: the case team has reported (the start is the report, 310 第5条); the head decides next. */
export async function criminalReferralWorkflow(input: CriminalReferralInput): Promise<ReferralResult> {
  const [lead] = input.caseTeam;
  if (!lead || input.caseTeam.length < 2) throw ApplicationFailure.nonRetryable('专案组至少需要 2 名执法人员');
  const facts: Array<[string, string]> = [
    ['移送单位', input.unitName],
    ['专案组', input.caseTeam.map((m) => `${m.name}(${m.certNo})`).join('、')],
    ['涉嫌犯罪事实', input.summary],
    ['案件类型', POLICE_DECISION_CLOCKS[input.crimeType].label],
    ['接收公安机关', input.police],
    ['抄送检察院', input.procuratorate],
  ];
  return walk({
    kind: 'criminal',
    unitName: input.unitName,
    title: input.title,
    facts,
    applicant: lead,
    counterpart: input.police,
    procuratorate: input.procuratorate,
    first: 'headDecision',
    startedAt: input.reportedAt,
    clockFacts: { crimeType: input.crimeType },
    find: { unitName: input.unitName, caseTeamLead: lead },
  });
}

/** 案件移送 between administrative bodies: sent, signed (送达回证), accepted or refused → 指定管辖. */
export async function interAgencyReferralWorkflow(input: InterAgencyReferralInput): Promise<ReferralResult> {
  const facts: Array<[string, string]> = [
    ['移送单位', input.unitName],
    ['接收单位', input.receivingUnit],
    [
      '事项类别',
      MATTER_KIND_LABEL[input.matterKind]
        ? `${MATTER_KIND_LABEL[input.matterKind]}(紧急,24小时内移送)`
        : '一般(3个工作日内移送)',
    ],
    ['案情', input.summary],
  ];
  return walk({
    kind: 'interAgency',
    unitName: input.unitName,
    title: input.title,
    facts,
    applicant: input.applicant,
    counterpart: input.receivingUnit,
    first: 'send',
    clockFacts: { matterKind: input.matterKind },
    find: { unitName: input.unitName, receivingUnit: input.receivingUnit },
  });
}

/** 公安机关反向移送 (310 第13条; 行政处罚法第27条): received the same way, then accepted and answered. */
export async function reverseReferralWorkflow(input: ReverseReferralInput): Promise<ReferralResult> {
  const facts: Array<[string, string]> = [
    ['移送机关', input.police],
    ['接收单位', input.unitName],
    ['案情', input.summary],
  ];
  return walk({
    kind: 'reverse',
    unitName: input.unitName,
    title: input.title,
    facts,
    applicant: input.applicant,
    counterpart: input.police,
    first: 'receipt',
    clockFacts: {},
    find: { unitName: input.unitName },
  });
}

interface Walk {
  kind: ReferralKind;
  unitName: string;
  title: string;
  facts: Array<[string, string]>;
  applicant: Person;
  counterpart: string;
  procuratorate?: string;
  first: string;
  /** When the first step's clock started (the report's time), if before the workflow. */
  startedAt?: string;
  clockFacts: ClockFacts;
  find: { unitName: string; receivingUnit?: string; caseTeamLead?: Person };
}

async function walk(w: Walk): Promise<ReferralResult> {
  const workflowId = workflowInfo().workflowId;
  const view: CaseView = {
    workflowId,
    process: REFERRAL_PROCESS,
    caseType: KIND_LABEL[w.kind],
    unitName: w.unitName,
    title: w.title,
    facts: w.facts,
    applicant: w.applicant,
    status: 'open',
    openSteps: [],
    decisions: [],
  };
  const desk = new CaseDesk(view);
  await act.openReferral({
    workflowId,
    kind: w.kind,
    unitName: w.unitName,
    counterpart: w.counterpart,
    procuratorate: w.procuratorate,
    title: w.title,
  });
  await act.audit({
    actor: w.applicant.openId ?? w.applicant.name,
    action: `referral.opened`,
    subject: workflowId,
    details: { kind: w.kind, facts: w.facts },
  });
  const parties = await act.findReferralParties(w.find);
  if ('missing' in parties)
    return finish(desk, w, parties as ReferralParties, 'refused', parties.missing as string, 0, 0);
  const units = w.kind === 'interAgency' ? await act.listReferralUnits() : [];

  let key = w.first;
  let startedAt = w.startedAt;
  let note: string | undefined;
  let receivedAt: string | undefined;
  let last: Decision | undefined;
  let [done, late] = [0, 0];
  const runs = new Map<string, number>();
  while (key !== CLOSED) {
    const step = referralStep(w.kind, key);
    const party = parties[step.actor];
    if (!party) return finish(desk, w, parties, 'refused', `名册中没有「${step.title}」的办理人`, done, late);
    // A step met again (police pass the case on, an act recorded wrongly) is a new row on the desk: its own key.
    const run = (runs.get(key) ?? 0) + 1;
    runs.set(key, run);
    const spec = stepSpec(
      step,
      party,
      w.clockFacts,
      startedAt,
      units,
      run,
      cannotExtend(step, w.clockFacts) ? ['extended'] : [],
    );
    await act.referralAtStep({ workflowId, stepKey: spec.key, stepTitle: step.title });
    if (note) await act.notify({ to: [party.owner], view, kind: 'step', headline: note });
    const decision = await desk.runStep(spec);
    if (!decision)
      return finish(desk, w, parties, 'withdrawn', `${desk.withdrawnBy?.by.name ?? ''} 已撤回`, done, late);
    note = undefined;
    startedAt = undefined;
    if (step.kind === 'record') {
      const check = await act.checkRecordedAct({
        kind: w.kind,
        stepKey: key,
        values: (decision.values ?? {}) as Record<string, string>,
        outcome: decision.outcome,
        at: decision.at,
      });
      if (!check.ok) {
        await act.audit({
          actor: decision.by.openId ?? decision.by.name,
          action: 'referral.act_refused',
          subject: workflowId,
          details: { step: spec.key, why: check.message, values: decision.values ?? {} },
        });
        note = `⚠️ 登记未被接受:${check.message}。请重新登记「${step.title}」。`;
        continue;
      }
      startedAt = check.startsAt; // 自接到…之日起: the next clock counts from the act's date
      if (key === 'policeReceipt') receivedAt = check.startsAt;
    }
    if (decision.outcome === 'extended') {
      w.clockFacts.policeExtended = true; // the longer clock, still from receipt (the domain's rule)
      startedAt = receivedAt;
    }
    const outcome = step.outcomes.find((o) => o.key === decision.outcome)!;
    await act.recordReferralDecision({
      workflowId,
      decision,
      refusal: decision.outcome === 'refused',
      sendBack: false,
    });
    done++;
    if (decision.late) late++;
    last = decision;
    key = outcome.next;
  }
  return finish(
    desk,
    w,
    parties,
    closingStatus(last),
    last ? `${last.stepTitle}:${last.outcomeLabel}${last.comment ? `(${last.comment})` : ''}` : '',
    done,
    late,
  );
}

/** How a referral ended: the head declined, the police's refusal stood, or the hand-off went through. */
function closingStatus(last: Decision | undefined): ReferralResult['status'] {
  if (!last) return 'closed';
  if (last.outcome === 'rejected') return 'rejected';
  if (['refused', 'accepted', 'withdrawn', 'returned'].includes(last.outcome) && last.stepKey !== 'acceptance')
    return 'refused';
  return 'closed';
}

const CASE_STATUS_OF = {
  closed: 'executed',
  rejected: 'rejected',
  refused: 'refused',
  withdrawn: 'withdrawn',
} as const;

async function finish(
  desk: CaseDesk,
  w: Walk,
  parties: ReferralParties,
  status: ReferralResult['status'],
  note: string,
  done: number,
  late: number,
): Promise<ReferralResult> {
  await desk.close(CASE_STATUS_OF[status], note);
  await act.closeReferral({ workflowId: desk.view.workflowId, status, outcome: note });
  const told = [w.applicant, parties.agency_head?.owner, parties.liaison?.owner, parties.receiving_unit?.owner].filter(
    (p): p is Person => !!p,
  );
  const icon = status === 'closed' ? '✅' : status === 'withdrawn' ? '↩️' : '⚠️';
  await act.notify({
    to: unique(told),
    view: desk.view,
    kind: 'outcome',
    headline: `${icon} ${KIND_LABEL[w.kind]}「${w.title}」已结束:${note}`,
  });
  return { status, outcome: note, steps: done, late };
}

/** The police may extend only a type that has a longer clock, and only once. */
function cannotExtend(step: ReferralStep, facts: ClockFacts): boolean {
  return (
    step.key === 'policeDecision' &&
    (facts.policeExtended === true || !facts.crimeType || !POLICE_DECISION_CLOCKS[facts.crimeType].extendedTo)
  );
}

function stepSpec(
  step: ReferralStep,
  party: Party,
  facts: ClockFacts,
  startedAt: string | undefined,
  units: string[],
  run: number,
  exclude: string[],
): StepSpec {
  const resolved = resolveStepClock(step, facts);
  const clock = resolved?.clock ?? FOLLOW_UP_CLOCKS[step.key];
  if (!clock) throw ApplicationFailure.nonRetryable(`step ${step.key} has no clock`);
  return {
    key: run > 1 ? `${step.key}-${run}` : step.key,
    title: `${step.title}(${step.article})`,
    kind: step.kind === 'sign' ? 'confirm' : step.kind === 'reply' ? 'record' : step.kind,
    owner: party.owner,
    escalateTo: party.escalateTo,
    clock,
    statutory: resolved?.statutory24h ?? false,
    startedAt,
    outcomes: referralOutcomes(step, exclude),
    fields: referralFields(step, { units }),
  };
}

function unique(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => {
    const key = p.openId ?? `name:${p.name}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
