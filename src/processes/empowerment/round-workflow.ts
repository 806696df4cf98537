import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseStepActivities } from '../casework/activities';
import type { EmpowermentActivities } from './activities';
import { CaseDesk } from '../casework/case-desk';
import { OUTCOME_LABEL } from './register';
import {
  applyOverrides,
  batches,
  opinionFields,
  outcomeCounts,
  readOutcomes,
  readReview,
  readSelfAssessment,
  registerDecisions,
  reviewFields,
  selfAssessmentFields,
  type Proposal,
  type RoundConfig,
  type RoundMatter,
  type TownshipAnswers,
} from './round-rules';
import {
  answersOf,
  DEFAULT_SCORING_TEMPLATE,
  matterIndicators,
  scoreMatter,
  type ScoringTemplate,
  type SelfAssessment,
} from './scoring';
import type { Grant } from './rules';
import type { CaseView, Decision, Person, StepSpec } from '../casework/contract';

// One evaluation round of one township's empowered matters (issue #7, DOMAIN.md §3): the township assesses
// itself (a card per batch of matters, all sent together) → each department gives its opinion per matter (in
// parallel) → the bureau reviews legality and proposes → the leader decides → the register gets a new
// version, everyone concerned is told, the publication is recorded. Every step is CaseDesk's: a working-day
// deadline, reminders, escalation, never an automatic decision.

export interface EmpowermentRoundInput {
  township: string;
  config: RoundConfig;
  /** Who started it (a bureau member in chat, or the Schedule as a named system person); may withdraw it. */
  startedBy: Person;
  /** A scoring template for this round only; else the one the bureau loaded, else the shipped default. */
  template?: ScoringTemplate;
}

export type EmpowermentRoundResult =
  | { status: 'decided'; version: number; counts: Record<'keep' | 'adjust' | 'withdraw', number>; decisions: number }
  | { status: 'refused'; reason: string }
  | { status: 'withdrawn'; by: string };

const acts = proxyActivities<EmpowermentActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
const { notify, audit } = proxyActivities<CaseStepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes' },
});

const submitted = [{ key: 'submitted', label: '提交', style: 'primary' as const }];

export async function empowermentRoundWorkflow(input: EmpowermentRoundInput): Promise<EmpowermentRoundResult> {
  const { workflowId } = workflowInfo();
  const cfg = input.config;
  const row = { workflowId, township: input.township, period: cfg.periodLabel, dueOn: cfg.dueOn };
  const stage = (s: string, closed = false) => acts.setEmpowermentRoundStage({ ...row, stage: s, closed });
  const view: CaseView = {
    workflowId,
    process: 'empowerment',
    caseType: '赋权评估',
    unitName: input.township,
    title: `${input.township} ${cfg.periodLabel}`,
    facts: [
      ['乡镇/街道', input.township],
      ['评估期间', `${cfg.periodFrom} 至 ${cfg.periodTo}`],
      ...(cfg.dueOn ? [['完成时限', cfg.dueOn] as [string, string]] : []),
    ],
    applicant: input.startedBy,
    status: 'open',
    decisions: [],
    openSteps: [],
  };
  const desk = new CaseDesk(view); // answers queries from the start, before the register is read
  await stage('self_assessment');
  const prep = await acts.prepareEmpowermentRound({
    township: input.township,
    originalDepartments: cfg.originalDepartments,
  });
  if (!prep.ok) {
    await desk.close('refused', prep.reason);
    await stage('refused', true);
    await notify({
      to: prep.notify,
      view: desk.view,
      kind: 'outcome',
      headline: `⚠️ ${input.township} 的赋权评估未能开始:${prep.reason}`,
    });
    return { status: 'refused', reason: prep.reason };
  }
  const template = input.template ?? prep.template ?? DEFAULT_SCORING_TEMPLATE;
  view.facts.push(
    ['事项数', `${prep.matters.length} 项`],
    ['持有效执法证人数(系统数据)', `${prep.officers.certified} 人`],
    ['评分模板', template.name],
  );
  await audit({
    actor: input.startedBy.openId ?? input.startedBy.name,
    action: 'empowerment_round.opened',
    subject: input.township,
    details: { workflowId, period: cfg.periodLabel, matters: prep.matters.length, baseVersion: prep.baseVersion },
  });

  // 1. Self-assessment: a card per batch, all at once, one deadline for the township.
  const parts = batches(prep.matters, cfg.batchSize);
  const selfSteps = parts.map((batch, i): StepSpec => ({
    key: `self_${i + 1}`,
    title: `乡镇自评 第${i + 1}/${parts.length}批`,
    kind: 'record',
    owner: prep.admin,
    escalateTo: prep.adminEscalation,
    clock: cfg.selfAssessmentClock,
    startedAt: new Date().toISOString(),
    outcomes: submitted,
    fields: selfAssessmentFields(batch, i === 0),
  }));
  const selfDecisions = await desk.runSteps(selfSteps);
  if (selfDecisions.some((d) => !d)) return withdrawn(desk, input, stage);
  const township: TownshipAnswers = { staff: 0, certified: 0, equipment: '', problems: [] };
  const assessed = new Map<string, SelfAssessment>();
  parts.forEach((batch, i) =>
    readSelfAssessment(batch, selfDecisions[i]!.values ?? {}, township).forEach((a) => assessed.set(a.matterCode, a)),
  );

  // 2. Departments' opinions, every department in parallel, each in batches.
  await stage('department');
  const deptParts = prep.departments.flatMap((dept) =>
    batches(
      prep.matters.filter((m) => m.department === dept.name),
      cfg.batchSize,
    ).map((batch, j, all) => ({ dept, batch, j, n: all.length })),
  );
  const deptDecisions = await desk.runSteps(
    deptParts.map(({ dept, batch, j, n }, k): StepSpec => ({
      key: `dept_${k + 1}`,
      title: `${dept.name}意见 第${j + 1}/${n}批${dept.onRoster ? '' : '(该部门不在名册中,由司法局代为填写)'}`,
      kind: 'record',
      owner: dept.owner,
      escalateTo: dept.escalateTo,
      clock: cfg.departmentClock,
      startedAt: new Date().toISOString(),
      outcomes: submitted,
      fields: opinionFields(batch, assessed),
    })),
  );
  if (deptDecisions.some((d) => !d)) return withdrawn(desk, input, stage);
  const opinions = new Map(
    deptParts.flatMap(({ batch }, k) => [...readOutcomes(batch, deptDecisions[k]!.values ?? {})]),
  );

  // Indicators computed, not typed; the score is a suggestion shown to the reviewer.
  const indicators = new Map(
    matterIndicators(asGrants(input.township, prep.matters), {
      township: input.township,
      casesByMatter: Object.fromEntries([...assessed].map(([code, a]) => [code, a.casesReported])),
      officers: Array.from({ length: prep.officers.certified }, (_, i) => ({
        certificateActive: true,
        trainingMet: i < prep.officers.trainingMet,
      })),
      openCertificateCases: prep.officers.openCertificateCases,
    }).map((ind) => [ind.matterCode, ind]),
  );
  const context = new Map(
    prep.matters.map((m) => {
      const ind = indicators.get(m.code)!;
      const a = assessed.get(m.code);
      return [
        m.code,
        {
          opinion: opinions.get(m.code) ?? 'keep',
          indicators: ind,
          suggestion: scoreMatter(template, ind, a ? answersOf(a) : {}).label,
        },
      ];
    }),
  );

  // 3. The bureau's legality review: it proposes per matter.
  await stage('bureau');
  const reviewDecisions = await desk.runSteps(
    parts.map((batch, i): StepSpec => ({
      key: `bureau_${i + 1}`,
      title: `司法局合法性审查 第${i + 1}/${parts.length}批`,
      kind: 'record',
      owner: prep.bureauReviewer,
      escalateTo: prep.bureauEscalation,
      clock: cfg.bureauClock,
      startedAt: new Date().toISOString(),
      outcomes: submitted,
      fields: reviewFields(batch, context),
    })),
  );
  if (reviewDecisions.some((d) => !d)) return withdrawn(desk, input, stage);
  let proposals: Proposal[] = parts.flatMap((batch, i) => readReview(batch, reviewDecisions[i]!.values ?? {}));

  // 4. The leader decides on the proposal, changing single matters by line; unreadable lines are asked again.
  await stage('decision');
  const zero = [...indicators.values()].filter((ind) => ind.flags.includes('zeroCases')).length;
  let decision: Decision | undefined;
  for (let attempt = 1; ; attempt++) {
    const c = outcomeCounts(proposals);
    view.facts = view.facts
      .filter(([label]) => label !== '审查建议')
      .concat([['审查建议', `保留 ${c.keep}、调整 ${c.adjust}、收回 ${c.withdraw}(零办件 ${zero} 项)`]]);
    decision = await desk.runStep({
      key: `decision_${attempt}`,
      title: attempt === 1 ? '领导决定' : `领导决定(第${attempt}次)`,
      kind: 'record',
      owner: prep.leader,
      escalateTo: prep.leaderEscalation,
      clock: cfg.decisionClock,
      outcomes: [{ key: 'decided', label: '按审查建议决定', style: 'primary' }],
      fields: [
        { name: 'reference', label: '决定文号', type: 'text' },
        { name: 'overrides', label: '个别事项另行决定(每行:事项编码 保留/调整/收回)', type: 'textarea' },
      ],
    });
    if (!decision) return withdrawn(desk, input, stage);
    const read = applyOverrides(proposals, String(decision.values?.overrides ?? ''));
    proposals = read.proposals;
    if (!read.unread.length) break;
    view.facts = view.facts.filter(([label]) => label !== '未能识别').concat([['未能识别', read.unread.join(';')]]);
  }

  // 5. The register's new version, the publication record, and everyone concerned told.
  const counts = outcomeCounts(proposals);
  const reference =
    String(decision.values?.reference ?? '').trim() || `${input.township}${cfg.periodLabel}赋权评估决定`;
  const publication = `${input.township}${cfg.periodLabel}赋权事项评估决定(${reference}):保留 ${counts.keep} 项,调整 ${counts.adjust} 项,收回 ${counts.withdraw} 项。`;
  const told = [prep.admin, ...prep.departments.map((d) => d.owner), prep.bureauReviewer];
  const applied = await acts.applyEmpowermentDecision({
    workflowId,
    township: input.township,
    period: cfg.periodLabel,
    reference,
    decidedBy: decision.by.name,
    decisions: registerDecisions(input.township, proposals),
    outcomes: proposals.map((p) => ({
      form: p.matter.form,
      documentNo: p.matter.documentNo,
      code: p.matter.code,
      outcome: p.outcome,
      cases: assessed.get(p.matter.code)?.casesReported ?? 0,
    })),
    publication: { text: publication, told: unique(told).map((p) => p.name) },
  });
  if (!applied.ok) {
    await desk.close('refused', applied.problems.join(';'));
    await stage('refused', true);
    await notify({
      to: [prep.bureauReviewer, prep.leader],
      view: desk.view,
      kind: 'outcome',
      headline: `⚠️ 决定未能登记:${applied.problems.join(';')}`,
    });
    return { status: 'refused', reason: applied.problems.join(';') };
  }
  await desk.close('executed', `登记簿已更新为第 ${applied.version} 版。${publication}`);
  const changed = proposals
    .filter((p) => p.outcome !== 'keep')
    .map((p) => `${p.matter.code} ${p.matter.name}:${OUTCOME_LABEL[p.outcome]}`);
  await notify({
    to: unique(told),
    view: desk.view,
    kind: 'outcome',
    headline: `📢 ${publication}${changed.length ? `\n${changed.slice(0, 20).join('\n')}${changed.length > 20 ? `\n……共 ${changed.length} 项` : ''}` : ''}`,
  });
  await audit({
    actor: decision.by.openId ?? decision.by.name,
    action: 'empowerment_round.decided',
    subject: input.township,
    details: { workflowId, version: applied.version, counts, reference },
  });
  return { status: 'decided', version: applied.version, counts, decisions: desk.view.decisions.length };
}

async function withdrawn(
  desk: CaseDesk,
  input: EmpowermentRoundInput,
  stage: (s: string, closed?: boolean) => Promise<void>,
): Promise<EmpowermentRoundResult> {
  const by = desk.withdrawnBy!;
  await desk.close('withdrawn', `${by.by.name} 已撤回本轮评估${by.reason ? `:${by.reason}` : ''}`);
  await stage('withdrawn', true);
  await audit({
    actor: by.by.openId ?? by.by.name,
    action: 'empowerment_round.withdrawn',
    subject: input.township,
    details: { workflowId: desk.view.workflowId, reason: by.reason },
  });
  return { status: 'withdrawn', by: by.by.name };
}

/** The round's matters as grants again, for the indicator rules (which read grants). */
function asGrants(township: string, matters: RoundMatter[]): Grant[] {
  const byDoc = new Map<string, RoundMatter[]>();
  for (const m of matters)
    byDoc.set(`${m.form}|${m.documentNo}`, [...(byDoc.get(`${m.form}|${m.documentNo}`) ?? []), m]);
  // Only form, township, 文号 and matters are read; the grant's other fields are not needed here.
  return [...byDoc.values()].map(
    (ms) => ({ form: ms[0]!.form, township, documentNo: ms[0]!.documentNo, matters: ms }) as unknown as Grant,
  );
}

function unique(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => {
    const key = p.openId ?? `name:${p.name}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
