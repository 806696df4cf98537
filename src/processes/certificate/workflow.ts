import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseStepActivities } from '../casework/activities';
import type { CertificateActivities } from './activities';
import { CaseDesk } from '../casework/case-desk';
import { ACTION_LABEL, ACTION_RESULT, REASONS, STATUS_LABEL, needsHandover } from './rules';
import { CERTIFICATE_CASE_TYPE, type CertificateCaseInput, type CertificateCaseResult } from './contract';
import { type CaseView, type Decision, type StepSpec } from '../casework/contract';

// A certificate action (暂扣/收回/注销/恢复), one workflow per case: the unit head approves, the bureau
// reviews, for 收回/注销 the admin confirms the certificate was handed in; only then the register changes.
// Every decision is recorded; a rejection ends the case with its reason; the applicant may withdraw.

const { applyCertificateAction } = proxyActivities<CertificateActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});
const { notify, audit } = proxyActivities<CaseStepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes' },
});

export async function certificateCaseWorkflow(input: CertificateCaseInput): Promise<CertificateCaseResult> {
  const workflowId = workflowInfo().workflowId;
  const verb = ACTION_LABEL[input.action];
  const desk = new CaseDesk(openingView(workflowId, input));
  await audit({
    actor: input.applicant.openId ?? input.applicant.name,
    action: 'certificate_case.opened',
    subject: input.certNo,
    details: { workflowId, action: input.action, reason: input.reason, details: input.details },
  });

  for (const step of caseSteps(input)) {
    const decision = await desk.runStep(step);
    if (!decision) return withdrawn(desk, input);
    await audit({
      actor: decision.by.openId ?? decision.by.name,
      action: `certificate_case.${decision.outcome}`,
      subject: input.certNo,
      details: { workflowId, step: step.key, comment: decision.comment, late: decision.late },
    });
    if (decision.outcome === 'rejected') {
      await desk.close('rejected', `${decision.by.name} 驳回:${decision.comment}`);
      await notify({
        to: [input.applicant],
        view: desk.view,
        kind: 'outcome',
        headline: `❌ ${input.officer.name} 的证件${verb}申请被驳回。`,
      });
      return {
        status: 'rejected',
        by: decision.by,
        reason: decision.comment ?? '',
        step: step.title,
        decisions: desk.view.decisions,
      };
    }
  }

  const approvedBy = desk.view.decisions.map((d: Decision) => d.by.name);
  const applied = await applyCertificateAction({
    certNo: input.certNo,
    action: input.action,
    reason: input.reason,
    workflowId,
    approvedBy,
  });
  if (!applied.ok) {
    await desk.close('refused', applied.message);
    await notify({
      to: [input.applicant],
      view: desk.view,
      kind: 'outcome',
      headline: `⚠️ 审批已通过,但未能执行:${applied.message}`,
    });
    return { status: 'refused', message: applied.message, decisions: desk.view.decisions };
  }
  await desk.close('executed', `登记已更新:证件状态为「${STATUS_LABEL[applied.newStatus]}」。`);
  await notify({
    to: [input.officer],
    view: desk.view,
    kind: 'outcome',
    headline: `您的执法证件(${input.certNo})已${verb},当前状态「${STATUS_LABEL[applied.newStatus]}」。原因:${REASONS[input.reason].label}。`,
  });
  await notify({
    to: [input.applicant, input.unitHead],
    view: desk.view,
    kind: 'outcome',
    headline: `✅ ${input.officer.name} 的证件${verb}已办结。`,
  });
  return { status: 'executed', newStatus: applied.newStatus, decisions: desk.view.decisions };
}

function caseSteps(input: CertificateCaseInput): StepSpec[] {
  const steps: StepSpec[] = [
    {
      key: 'unit_head',
      title: '单位负责人审批',
      kind: 'approve',
      owner: input.unitHead,
      escalateTo: input.unitEscalation,
      clock: input.stepClock,
    },
    {
      key: 'bureau',
      title: '司法局审核',
      kind: 'approve',
      owner: input.bureauReviewer,
      escalateTo: input.bureauEscalation,
      clock: input.stepClock,
    },
  ];
  if (needsHandover(input.action)) {
    steps.push({
      key: 'handover',
      title: '确认证件已交回',
      kind: 'confirm',
      owner: input.applicant,
      escalateTo: [input.unitHead],
      clock: input.stepClock,
    });
  }
  return steps;
}

function openingView(workflowId: string, input: CertificateCaseInput): CaseView {
  return {
    workflowId,
    process: CERTIFICATE_CASE_TYPE,
    caseType: `证件${ACTION_LABEL[input.action]}`,
    unitName: input.unitName,
    title: `${input.officer.name}(${input.certNo})`,
    facts: [
      ['执法人员', input.officer.name],
      ['执法证号', input.certNo],
      ['单位', input.unitName],
      ['办理事项', `${ACTION_LABEL[input.action]}(办结后证件状态:${STATUS_LABEL[ACTION_RESULT[input.action]]})`],
      ['原因', REASONS[input.reason].label],
      ['情况说明', input.details || '—'],
    ],
    applicant: input.applicant,
    status: 'open',
    decisions: [],
    openSteps: [],
  };
}

async function withdrawn(desk: CaseDesk, input: CertificateCaseInput): Promise<CertificateCaseResult> {
  const by = desk.withdrawnBy!;
  await desk.close('withdrawn', `申请人 ${by.by.name} 已撤回${by.reason ? `:${by.reason}` : ''}`);
  await audit({
    actor: by.by.openId ?? by.by.name,
    action: 'certificate_case.withdrawn',
    subject: input.certNo,
    details: { workflowId: desk.view.workflowId, reason: by.reason },
  });
  await notify({ to: [input.applicant], view: desk.view, kind: 'outcome', headline: '申请已撤回。' });
  return { status: 'withdrawn', by: by.by, reason: by.reason, decisions: desk.view.decisions };
}
