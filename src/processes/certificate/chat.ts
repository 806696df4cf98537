import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { certificateCaseWorkflow } from './workflow';
import {
  ACTION_LABEL,
  certificateView,
  checkAction,
  isCertificateAction,
  isReasonCode,
  REASONS,
  type CertificateAction,
  type ReasonCode,
} from './rules';
import { dateIn, isoDateOf } from '../../core/dates';
import { CASE_STATUS, CASE_TYPE, CASE_UNIT } from '../casework/contract';
import { CERTIFICATE_CASE_TYPE, certificateCaseWorkflowId, type CertificateCaseInput } from './contract';
import { caseCard } from '../casework/case-card';
import { certificateCaseFormCard } from './form-card';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { Ask } from '../chat-kit';
import type { CardResponse } from '../chat-kit';
import { findApprovers } from '../roster/approvers';
import { findAsker } from '../roster/asker';

// Opening a certificate case: the admin's form, every check before anything starts, then the workflow.

const CASE_STEP_CLOCK = { unit: 'workingDays', amount: 3 } as const;
const MAY_OPEN_CASES = new Set(['admin', 'bureau']);

export async function showCertificateCaseForm(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if (!MAY_OPEN_CASES.has(asker.role)) {
    await ctx.feishu.sendText(
      ask.openId,
      '证件办理由本单位法制员(管理员)发起。如需变更您本人的证件,请联系本单位法制员。',
      ask.replyKey,
    );
    return;
  }
  await ctx.feishu.sendCard(ask.openId, certificateCaseFormCard(asker.unit.name), ask.replyKey);
}

const CaseForm = z.object({
  officer: z.string().trim().min(1, '请填写执法人员的姓名或执法证号'),
  reason: z.string().refine(isReasonCode, '请选择原因'),
  action: z
    .string()
    .optional()
    .refine((v) => !v || isCertificateAction(v), '办理事项无效'),
  details: z.string().trim().max(500, '情况说明请控制在 500 字以内').optional(),
});

export async function submitCertificateCase(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const form = CaseForm.safeParse(event.formValue ?? {});
  if (!form.success) return refuse(form.error.issues[0]!.message);
  const reason = form.data.reason as ReasonCode;
  const action = (form.data.action || REASONS[reason].defaultAction) as CertificateAction | undefined;
  if (!action) return refuse('原因为「其他」时请选择办理事项');
  return startCertificateCase(ctx, event.openId, {
    who: form.data.officer,
    reason,
    action,
    details: form.data.details ?? '',
  });
}

/** The one-click 暂扣 offered for an officer on the training year's final shortfall list (never automatic). */
export async function startTrainingSuspension(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const certNo = typeof event.value.certNo === 'string' ? event.value.certNo : '';
  const year = typeof event.value.year === 'number' ? event.value.year : undefined;
  if (!certNo) return refuse('这个按钮已失效');
  return startCertificateCase(ctx, event.openId, {
    who: certNo,
    reason: 'training',
    action: 'suspend',
    details: `${year ?? ''}年度培训学时未达到要求(年终名单)`,
  });
}

const refuse = (content: string): CardResponse => ({ toast: { type: 'error', content } });

/** Every check before anything starts (who asks, which officer, legal now, approvers known), then the workflow. */
export async function startCertificateCase(
  ctx: BotContext,
  askerOpenId: string,
  request: { who: string; reason: ReasonCode; action: CertificateAction; details: string },
): Promise<CardResponse> {
  const { who, reason, action, details } = request;
  const asker = await ctx.prisma.officer.findUnique({
    where: { openId: askerOpenId },
    select: { name: true, role: true, unitId: true, openId: true },
  });
  if (!asker || !MAY_OPEN_CASES.has(asker.role)) return refuse('只有单位法制员或司法局可以发起证件办理');
  const scope = asker.role === 'bureau' ? {} : { unitId: asker.unitId };
  const matches = await ctx.prisma.officer.findMany({
    where: { ...scope, OR: [{ certNo: who.toUpperCase() }, { name: who }] },
    select: {
      name: true,
      certNo: true,
      openId: true,
      unitId: true,
      certStatus: true,
      certExpires: true,
      unit: { select: { name: true } },
    },
    take: 5,
  });
  if (!matches.length) return refuse(`本单位名册中没有「${who}」`);
  if (matches.length > 1)
    return refuse(`有 ${matches.length} 位「${who}」,请改填执法证号:${matches.map((m) => m.certNo).join('、')}`);
  const officer = matches[0]!;

  const today = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const current = certificateView(
    officer.certStatus,
    officer.certExpires ? isoDateOf(officer.certExpires) : undefined,
    today,
  ).status;
  const check = checkAction(action, current, reason);
  if (!check.ok) return refuse(check.message);
  const approvers = await findApprovers(ctx.prisma, officer.unitId, officer.certNo);
  if ('missing' in approvers) return refuse(approvers.missing);

  const input: CertificateCaseInput = {
    certNo: officer.certNo,
    officer: { name: officer.name, openId: officer.openId },
    unitName: officer.unit.name,
    action,
    reason,
    details,
    applicant: { name: asker.name, openId: asker.openId },
    ...approvers,
    stepClock: CASE_STEP_CLOCK,
  };
  try {
    await ctx.temporal.workflow.start(certificateCaseWorkflow, {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: certificateCaseWorkflowId(officer.certNo),
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [input],
      typedSearchAttributes: [
        { key: CASE_TYPE, value: CERTIFICATE_CASE_TYPE },
        { key: CASE_UNIT, value: officer.unit.name },
        { key: CASE_STATUS, value: 'open' },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return refuse(`${officer.name} 的证件已有进行中的办理,请先办结或撤回`);
    throw error;
  }
  const submitted = caseCard(
    {
      workflowId: certificateCaseWorkflowId(officer.certNo),
      process: CERTIFICATE_CASE_TYPE,
      caseType: '证件办理',
      unitName: officer.unit.name,
      title: `${officer.name}(${officer.certNo})`,
      facts: [['办理事项', `${ACTION_LABEL[action]}(${REASONS[reason].label})`]],
      applicant: input.applicant,
      status: 'open',
      decisions: [],
      openSteps: [],
    },
    {
      viewer: '',
      kind: 'opened',
      headline: `✅ 已提交,等待 ${approvers.unitHead.name}(单位负责人)审批。进度会在这里和消息中通知您。`,
      now: new Date(),
      timeZone: ctx.config.TZ_CALENDAR,
    },
  );
  return { toast: { type: 'success', content: '已提交审批' }, card: { type: 'raw', data: submitted } };
}
