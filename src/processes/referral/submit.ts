import type { Workflow } from '@temporalio/common';
import { criminalReferralWorkflow, interAgencyReferralWorkflow, reverseReferralWorkflow } from './workflow';
import { leadWorkflow } from './lead-workflow';
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { referralUnits } from './store';
import { certificateView } from '../certificate/rules';
import { dateIn, isoDateOf } from '../../core/dates';
import { checkCriminalReport, KIND_LABEL, POLICE_DECISION_CLOCKS, type CrimeType, type ReferralKind } from './rules';
import {
  referralWorkflowId,
  type CriminalReferralInput,
  type InterAgencyReferralInput,
  type LeadInput,
  type ReverseReferralInput,
} from './form';
import { readLeadRules } from './lead-rules';
import { CASE_STATUS, CASE_TYPE, CASE_UNIT } from '../casework/contract';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { CardResponse } from '../chat-kit';

// Submitting the referral forms: every check before anything starts, then the referral's workflow, started once
// per form card (a double click is one referral).

const refuse = (content: string): CardResponse => ({ toast: { type: 'error', content } });

const text = (message: string, max = 500) =>
  z
    .string()
    .trim()
    .min(1, message)
    .max(max, `${message.replace('请填写', '')}太长了`);

const CriminalForm = z.object({
  title: text('请填写案件名称', 100),
  summary: text('请填写涉嫌犯罪的事实和理由', 2000),
  team: text('请填写专案组其他成员的执法证号', 200),
  crimeType: z.string().refine((v) => v in POLICE_DECISION_CLOCKS, '请选择案件类型'),
  police: text('请填写接收的公安机关', 60),
  procuratorate: text('请填写抄送的检察院', 60),
});

/** The case team's report: the sender and the named members, each holding a valid certificate (持证上岗). */
export async function submitCriminalReferral(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const form = CriminalForm.safeParse(event.formValue ?? {});
  if (!form.success) return refuse(form.error.issues[0]!.message);
  const asker = await ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { certNo: true, unit: { select: { name: true } } },
  });
  if (!asker) return refuse('您还不在执法通的人员名册中');
  const certNos = [
    asker.certNo,
    ...form.data.team
      .split(/[,,、\s]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  ];
  const members = await ctx.prisma.officer.findMany({
    where: { certNo: { in: certNos } },
    select: { name: true, certNo: true, openId: true, certStatus: true, certExpires: true },
  });
  const unknown = certNos.filter((c) => !members.some((m) => m.certNo === c));
  if (unknown.length) return refuse(`名册中没有执法证号 ${unknown.join('、')}`);
  const today = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const team = certNos.filter((c, i) => certNos.indexOf(c) === i).map((c) => members.find((m) => m.certNo === c)!);
  const report = {
    summary: form.data.summary,
    caseTeam: team.map((m) => ({
      name: m.name,
      certNo: m.certNo,
      canEnforce: certificateView(m.certStatus, m.certExpires ? isoDateOf(m.certExpires) : undefined, today).canEnforce,
    })),
  };
  const check = checkCriminalReport(report);
  if (!check.ok) return refuse(check.message);
  const input: CriminalReferralInput = {
    unitName: asker.unit.name,
    caseTeam: team.map((m) => ({ name: m.name, certNo: m.certNo, openId: m.openId })),
    title: form.data.title,
    summary: form.data.summary,
    crimeType: form.data.crimeType as CrimeType,
    police: form.data.police,
    procuratorate: form.data.procuratorate,
    reportedAt: new Date().toISOString(),
  };
  return start(
    ctx,
    event,
    'criminal',
    criminalReferralWorkflow,
    input.unitName,
    input,
    `✅ 移送报告已提交,单位负责人将在 3 日内决定是否移送。`,
  );
}

const InterAgencyForm = z.object({
  receivingUnit: text('请选择接收单位', 60),
  matterKind: z.string().min(1, '请选择事项类别'),
  title: text('请填写案件名称', 100),
  summary: text('请填写案情和移送理由', 2000),
});

export async function submitInterAgencyReferral(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const form = InterAgencyForm.safeParse(event.formValue ?? {});
  if (!form.success) return refuse(form.error.issues[0]!.message);
  const asker = await ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { name: true, openId: true, role: true, unit: { select: { name: true } } },
  });
  if (!asker || (asker.role !== 'admin' && asker.role !== 'supervisor'))
    return refuse('部门间案件移送由本单位法制员或负责人发起');
  if (
    !(await referralUnits(ctx.prisma)).includes(form.data.receivingUnit) ||
    form.data.receivingUnit === asker.unit.name
  )
    return refuse('请选择名册中的其他单位');
  const input: InterAgencyReferralInput = {
    ...form.data,
    unitName: asker.unit.name,
    applicant: { name: asker.name, openId: asker.openId },
  };
  return start(
    ctx,
    event,
    'interAgency',
    interAgencyReferralWorkflow,
    input.unitName,
    input,
    `✅ 已发起移送,请在期限内移送 ${input.receivingUnit}。`,
  );
}

const LeadForm = z.object({
  unit: text('请选择承办单位', 60),
  source: text('请选择来源', 20),
  leadType: text('请选择线索类型', 40),
  title: text('请填写线索标题', 100),
  summary: text('请填写诉求内容', 2000),
});

export async function submitLead(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const form = LeadForm.safeParse(event.formValue ?? {});
  if (!form.success) return refuse(form.error.issues[0]!.message);
  const asker = await ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { name: true, openId: true, role: true },
  });
  if (!asker || asker.role !== 'bureau') return refuse('问题线索由司法局派单');
  if (!(await referralUnits(ctx.prisma)).includes(form.data.unit)) return refuse('请选择名册中的单位');
  if (!(form.data.leadType in (await readLeadRules(ctx.prisma)).replyClocks)) return refuse('请选择线索类型');
  const input: LeadInput = {
    unitName: form.data.unit,
    source: form.data.source,
    title: form.data.title,
    summary: form.data.summary,
    leadType: form.data.leadType,
    dispatcher: { name: asker.name, openId: asker.openId },
    dispatchedAt: new Date().toISOString(),
  };
  return start(
    ctx,
    event,
    'lead',
    leadWorkflow,
    input.unitName,
    input,
    `✅ 已派单给 ${input.unitName},计时从现在开始。`,
  );
}

const ReverseForm = z.object({
  police: text('请填写移送的公安机关', 60),
  title: text('请填写案件名称', 100),
  summary: text('请填写移送理由', 2000),
});

export async function submitReverseReferral(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const form = ReverseForm.safeParse(event.formValue ?? {});
  if (!form.success) return refuse(form.error.issues[0]!.message);
  const asker = await ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { name: true, openId: true, role: true, unit: { select: { name: true } } },
  });
  if (!asker || asker.role !== 'admin') return refuse('公安机关移送的案件由本单位法制员登记接收');
  const input: ReverseReferralInput = {
    ...form.data,
    unitName: asker.unit.name,
    applicant: { name: asker.name, openId: asker.openId },
  };
  return start(
    ctx,
    event,
    'reverse',
    reverseReferralWorkflow,
    input.unitName,
    input,
    '✅ 已登记,请在卡片上登记移送文书。',
  );
}

/** A Feishu message id as Feishu issues it; anything else in the click is not used in an id. */
const MESSAGE_ID = /^om_[A-Za-z0-9_-]{1,80}$/;

async function start(
  ctx: BotContext,
  event: CardActionEvent,
  kind: ReferralKind,
  workflow: Workflow,
  unitName: string,
  input: object,
  done: string,
): Promise<CardResponse> {
  // One referral per form card: a double-clicked submit is one referral, not two. Never keyed by its title.
  const formCard = event.messageId && MESSAGE_ID.test(event.messageId) ? event.messageId : undefined;
  const workflowId = referralWorkflowId(kind, formCard ?? randomUUID());
  try {
    await ctx.temporal.workflow.start(workflow, {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
      typedSearchAttributes: [
        { key: CASE_TYPE, value: kind === 'lead' ? 'lead' : 'referral' },
        { key: CASE_UNIT, value: unitName },
        { key: CASE_STATUS, value: 'open' },
      ],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return refuse(`这张表单已经提交过了。如需再发起${KIND_LABEL[kind]},请重新发送指令获取新表单`);
    throw error;
  }
  return { toast: { type: 'success', content: done.replace(/^✅ /, '').slice(0, 40) } };
}
