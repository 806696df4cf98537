import { z } from 'zod';
import {
  ACTION_LABEL,
  isCertificateAction,
  isReasonCode,
  REASONS,
  type CertificateAction,
  type ReasonCode,
} from '../processes/certificate/rules';
import { certificateCaseFormCard } from '../processes/certificate/form-card';
import { caseConfirmCard, closedCard, pickOfficerCard } from './intent-confirm-card';
import type { BotContext } from '../processes/chat-kit';
import type { Card } from '../platform/feishu/client';
import type { CardActionEvent } from '../platform/feishu/events';
import type { ParsedIntent } from './intent-catalogue';
import type { Ask } from '../processes/chat-kit';
import type { CardResponse } from '../processes/chat-kit';
import { PENDING_MINUTES, savePending } from './llm/pending';
import { findApprovers } from '../processes/roster/approvers';
import { findAsker } from '../processes/roster/asker';
import { showCertificateCaseForm, startCertificateCase } from '../processes/certificate/chat';
import { resolveOfficer } from '../processes/roster/resolve-officer';

// Confirm before act: a state-changing intent with arguments (from the model) is answered with a card saying
// exactly what will happen; only the asker's 确认 starts it, through the same checks as the form.

const MAY_OPEN_CASES = new Set(['admin', 'bureau']);

export async function askToConfirm(ctx: BotContext, ask: Ask, parsed: ParsedIntent): Promise<void> {
  if (parsed.intent !== 'startCertificateCase') return;
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  const args = parsed.args as { officer?: string; action?: CertificateAction; reason?: ReasonCode; details?: string };
  const action = args.action ?? (args.reason ? REASONS[args.reason].defaultAction : undefined);
  const written = args.officer;
  if (MAY_OPEN_CASES.has(asker.role) && action && !written) {
    await savePending(ctx.prisma, ask.openId, parsed, 'officer');
    return void (await ctx.feishu.sendText(
      ask.openId,
      `${ACTION_LABEL[action]}谁的证件?请回复姓名或执法证号(${PENDING_MINUTES} 分钟内有效,回复「取消」放弃)。`,
      ask.replyKey,
    ));
  }
  if (MAY_OPEN_CASES.has(asker.role) && written && !action) {
    await savePending(ctx.prisma, ask.openId, parsed, 'action');
    const choices = Object.values(ACTION_LABEL).join('、');
    return void (await ctx.feishu.sendText(
      ask.openId,
      `对「${written}」的证件办理什么?请回复${choices}之一(${PENDING_MINUTES} 分钟内有效,回复「取消」放弃)。`,
      ask.replyKey,
    ));
  }
  if (!MAY_OPEN_CASES.has(asker.role) || !written || !action) return showCertificateCaseForm(ctx, ask);
  const request = {
    certAction: action as string,
    reason: (args.reason ?? 'other') as string,
    details: args.details ?? '',
  };
  const found = await resolveOfficer(ctx.prisma, asker.role === 'bureau' ? {} : { unitId: asker.unit.id }, written);
  if (found.kind === 'none')
    return void (await ctx.feishu.sendText(
      ask.openId,
      `名册中没有找到「${written}」。请核对姓名或执法证号后再说一次。`,
      ask.replyKey,
    ));
  if (found.kind === 'several')
    return void (await ctx.feishu.sendCard(
      ask.openId,
      pickOfficerCard(written, ask.openId, request, found.officers),
      ask.replyKey,
    ));
  const proposal = await proposalCard(ctx, ask.openId, { ...request, certNo: found.officer.certNo });
  if ('refusal' in proposal) return void (await ctx.feishu.sendText(ask.openId, proposal.refusal, ask.replyKey));
  await ctx.feishu.sendCard(ask.openId, proposal.card, ask.replyKey);
}

const Request = z.object({
  asker: z.string().min(1),
  certNo: z.string().min(1),
  certAction: z.string().refine(isCertificateAction),
  reason: z.string().refine(isReasonCode),
  details: z.string().max(500).default(''),
});
type Request = z.infer<typeof Request>;

async function proposalCard(
  ctx: BotContext,
  asker: string,
  request: { certNo: string; certAction: string; reason: string; details: string },
): Promise<{ refusal: string } | { card: Card }> {
  const officer = await ctx.prisma.officer.findUnique({
    where: { certNo: request.certNo },
    select: { name: true, certNo: true, unitId: true, unit: { select: { name: true } } },
  });
  if (!officer) return { refusal: `名册中没有执法证号 ${request.certNo}` };
  const approvers = await findApprovers(ctx.prisma, officer.unitId, officer.certNo);
  if ('missing' in approvers) return { refusal: approvers.missing };
  const action = request.certAction as CertificateAction;
  const reason = request.reason as ReasonCode;
  return {
    card: caseConfirmCard({
      asker,
      officer: { name: officer.name, certNo: officer.certNo, unitName: officer.unit.name },
      action,
      actionLabel: ACTION_LABEL[action],
      reason,
      reasonLabel: REASONS[reason].label,
      details: request.details,
      approvers: { unitHead: approvers.unitHead.name, bureauReviewer: approvers.bureauReviewer.name },
    }),
  };
}

/** The click's request, when it is valid and the clicker is the asker; else the toast refusing it. */
function askersRequest(event: CardActionEvent): { request: Request } | { refusal: CardResponse } {
  if (event.value.asker !== event.openId)
    return { refusal: { toast: { type: 'error', content: '只有发起人本人可以确认或取消' } } };
  const parsed = Request.safeParse(event.value);
  return parsed.success
    ? { request: parsed.data }
    : { refusal: { toast: { type: 'error', content: '这个按钮已失效,请重新发送' } } };
}

export async function confirmIntent(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const checked = askersRequest(event);
  if ('refusal' in checked) return checked.refusal;
  const { request } = checked;
  return startCertificateCase(ctx, event.openId, {
    who: request.certNo,
    reason: request.reason as ReasonCode,
    action: request.certAction as CertificateAction,
    details: request.details,
  });
}

export async function pickOfficer(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const checked = askersRequest(event);
  if ('refusal' in checked) return checked.refusal;
  const { request } = checked;
  const proposal = await proposalCard(ctx, request.asker, request);
  if ('refusal' in proposal) return { toast: { type: 'error', content: proposal.refusal } };
  return { card: { type: 'raw', data: proposal.card } };
}

/** 修改: the same proposal as the admin's form, filled in, in place of the confirmation card. */
export async function editIntent(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const checked = askersRequest(event);
  if ('refusal' in checked) return checked.refusal;
  const { request } = checked;
  const asker = await ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { unit: { select: { name: true } } },
  });
  if (!asker) return { toast: { type: 'error', content: '名册中没有您' } };
  const form = certificateCaseFormCard(asker.unit.name, undefined, {
    officer: request.certNo,
    reason: request.reason,
    action: request.certAction,
    details: request.details,
  });
  return { card: { type: 'raw', data: form } };
}

export async function cancelIntent(_ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  if (event.value.asker !== event.openId) return { toast: { type: 'error', content: '只有发起人本人可以确认或取消' } };
  return {
    toast: { type: 'info', content: '已取消' },
    card: { type: 'raw', data: closedCard('已取消', '没有发起任何办理。') },
  };
}
