import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseStepActivities } from '../casework/activities';
import type { TrainingActivities } from './activities';
import { CaseDesk } from '../casework/case-desk';
import { CATEGORY_LABEL } from './rules';
import type { TrainingReportInput } from './contract';

// An officer's self-reported training (报学时): recorded as pending, the unit admin confirms or rejects in a
// card (reminded after 2 working days, escalated to the unit head after 5), then the officer is told.

const act = proxyActivities<TrainingActivities & CaseStepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes' },
});

export async function trainingReportWorkflow(
  input: TrainingReportInput,
): Promise<{ status: 'confirmed' | 'rejected' | 'withdrawn'; reason?: string }> {
  const workflowId = workflowInfo().workflowId;
  await act.createReportedRecord({
    workflowId,
    officerId: input.officerId,
    course: input.course,
    category: input.category,
    halfHours: Math.round(input.hours * 2),
    date: input.date,
  });
  const desk = new CaseDesk({
    workflowId,
    process: 'training_report',
    caseType: '学时登记',
    unitName: input.unitName,
    title: `${input.officer.name} · ${input.course}`,
    facts: [
      ['执法人员', `${input.officer.name}(${input.certNo})`],
      ['单位', input.unitName],
      ['课程', input.course],
      ['类别', CATEGORY_LABEL[input.category]],
      ['学时', String(input.hours)],
      ['日期', input.date],
    ],
    applicant: input.officer,
    status: 'open',
    decisions: [],
    openSteps: [],
  });
  const decision = await desk.runStep({
    key: 'admin_confirm',
    title: '法制员确认学时',
    kind: 'approve',
    owner: input.admin,
    escalateTo: [input.unitHead],
    clock: { unit: 'workingDays', amount: 5 },
    remindAfter: { unit: 'workingDays', amount: 2 },
    startedAt: input.reportedAt,
  });
  if (!decision) {
    await act.settleReportedRecord({
      workflowId,
      confirmed: false,
      by: input.officer.openId ?? input.officer.name,
      reason: '本人撤回',
    });
    await desk.close('withdrawn', '本人已撤回');
    return { status: 'withdrawn' };
  }
  const confirmed = decision.outcome === 'approved';
  await act.settleReportedRecord({
    workflowId,
    confirmed,
    by: decision.by.openId ?? decision.by.name,
    reason: decision.comment,
  });
  await desk.close(
    confirmed ? 'executed' : 'rejected',
    confirmed ? '学时已确认,计入年度学时。' : `未确认:${decision.comment}`,
  );
  await act.notify({
    to: [input.officer],
    view: desk.view,
    kind: 'outcome',
    headline: confirmed ? `✅ 您登记的 ${input.hours} 学时已确认。` : `❌ 您登记的学时未被确认:${decision.comment}`,
  });
  return confirmed ? { status: 'confirmed' } : { status: 'rejected', reason: decision.comment };
}
