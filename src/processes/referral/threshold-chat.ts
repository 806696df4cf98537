import type { ReferralAction } from './cards';
import { z } from 'zod';
import { checkCaseAmount, referralThresholds } from './store';
import { card, markdown, note } from '../../core/cards/card-kit';
import { escapeMarkdown, escapeMarkdownLine as esc } from '../../core/cards/escape';
import { criminalReferralFormCard } from './cards';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { Ask } from '../chat-kit';
import type { CardResponse } from '../chat-kit';
import { findAsker } from '../roster/asker';

// The 以罚代刑 guard (310 第11条, issue #8 §6): when a unit records an administrative case whose amount reaches a
// prosecution threshold (data: referral_threshold), the bot asks the case team whether a referral is needed and
// records the answer. LawDesk has no case register yet, so the case is recorded here (登记案值); a later case
// register calls checkCaseAmount the same way.

const refuse = (content: string): CardResponse => ({ toast: { type: 'error', content } });
const options = (entries: Array<[string, string]>) =>
  entries.map(([value, label]) => ({ text: { tag: 'plain_text', content: label }, value }));

export async function showCaseAmountForm(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  const thresholds = await referralThresholds(ctx.prisma);
  await ctx.feishu.sendCard(
    ask.openId,
    card('登记案值 · 追诉标准提示', 'blue', [
      markdown(
        `登记**${esc(asker.unit.name)}**行政处罚案件的涉案金额;达到刑事追诉标准时,请专案组确认是否需要移送公安机关。`,
      ),
      {
        tag: 'form',
        name: 'case_amount',
        elements: [
          {
            tag: 'input',
            name: 'caseRef',
            required: true,
            label: { tag: 'plain_text', content: '案号' },
            placeholder: { tag: 'plain_text', content: '如:县市监罚〔2026〕12号' },
          },
          {
            tag: 'select_static',
            name: 'caseType',
            required: true,
            placeholder: { tag: 'plain_text', content: '案件类型' },
            options: options(thresholds.map((t) => [t.caseType, t.title])),
          },
          {
            tag: 'input',
            name: 'amount',
            required: true,
            label: { tag: 'plain_text', content: '金额(元)' },
            placeholder: { tag: 'plain_text', content: '销售金额、非法经营数额等' },
          },
          {
            tag: 'button',
            name: 'submit',
            text: { tag: 'plain_text', content: '登记' },
            type: 'primary',
            form_action_type: 'submit',
            behaviors: [{ type: 'callback', value: { action: 'case_amount_submit' satisfies ReferralAction } }],
          },
        ],
      },
      note(
        thresholds.some((t) => t.example)
          ? '标准为示例数据,请司法局按现行立案追诉标准核定。'
          : '标准由司法局按现行立案追诉标准维护。',
      ),
    ]),
    ask.replyKey,
  );
}

const AmountForm = z.object({
  caseRef: z.string().trim().min(1, '请填写案号').max(60),
  caseType: z.string().min(1, '请选择案件类型'),
  amount: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, '金额应为数字(元)'),
});

export async function submitCaseAmount(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const form = AmountForm.safeParse(event.formValue ?? {});
  if (!form.success) return refuse(form.error.issues[0]!.message);
  const asker = await ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { unit: { select: { name: true } } },
  });
  if (!asker) return refuse('您还不在执法通的人员名册中');
  // A form sent before the bureau loaded new thresholds may name a type that is gone: say so, not "未达到".
  if (!(await ctx.prisma.referralThreshold.findUnique({ where: { caseType: form.data.caseType } })))
    return refuse('追诉标准已更新,没有这个案件类型。请重新发送「登记案值」');
  const reached = await checkCaseAmount(ctx.prisma, {
    unitName: asker.unit.name,
    caseRef: form.data.caseRef,
    caseType: form.data.caseType,
    amountYuan: Math.floor(Number(form.data.amount)),
    openId: event.openId,
  });
  if (!reached) return { toast: { type: 'success', content: '已登记,未达到追诉标准' } };
  const { prompt, threshold } = reached;
  const answer = (value: string, label: string, type: string) => ({
    tag: 'button',
    name: value,
    text: { tag: 'plain_text', content: label },
    type,
    form_action_type: 'submit',
    behaviors: [
      {
        type: 'callback',
        value: { action: 'referral_prompt_answer' satisfies ReferralAction, promptId: prompt.id, answer: value },
      },
    ],
  });
  const ask = card('⚠️ 达到刑事追诉标准,是否需要移送?', 'red', [
    markdown(
      `案件 **${esc(prompt.caseRef)}**(${esc(threshold.title)})金额 **${prompt.amountYuan.toLocaleString('zh-CN')} 元**,已达到 ${threshold.amountYuan.toLocaleString('zh-CN')} 元的追诉标准(${esc(threshold.basis)})。\n行政执法机关不得以行政处罚代替移送(国务院令第310号第11条)。请专案组确认:`,
    ),
    {
      tag: 'form',
      name: 'referral_prompt',
      elements: [
        { tag: 'input', name: 'reason', placeholder: { tag: 'plain_text', content: '不需要移送时请说明理由' } },
        answer('needed', '需要移送', 'danger'),
        answer('notNeeded', '不需要移送', 'default'),
      ],
    },
    note('您的回答会被记录。'),
  ]);
  await ctx.feishu.sendCard(event.openId, ask, `threshold-${prompt.id}-${event.eventId ?? Date.now()}`);
  return { toast: { type: 'warning', content: '已达到追诉标准,请确认是否移送' } };
}

const Answer = z.object({ promptId: z.number().int(), answer: z.enum(['needed', 'notNeeded']) });

/** Only the one asked answers; "not needed" must say why; the answer is kept with who and when, and audited. */
export async function answerReferralPrompt(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const value = Answer.safeParse(event.value);
  if (!value.success) return refuse('这个按钮已失效');
  const prompt = await ctx.prisma.referralPrompt.findUnique({ where: { id: value.data.promptId } });
  if (!prompt) return refuse('这个按钮已失效');
  if (prompt.askedOpenId !== event.openId) return refuse('只有登记该案件的专案组成员可以回答');
  if (prompt.answer) return { toast: { type: 'info', content: '已经回答过了' } };
  const reason = typeof event.formValue?.reason === 'string' ? event.formValue.reason.trim() : '';
  if (value.data.answer === 'notNeeded' && !reason) return refuse('不需要移送时请说明理由');
  await ctx.prisma.$transaction([
    ctx.prisma.referralPrompt.update({
      where: { id: prompt.id },
      data: { answer: value.data.answer, reason: reason || null, answeredBy: event.openId, answeredAt: new Date() },
    }),
    ctx.prisma.auditEvent.create({
      data: {
        actor: event.openId,
        action: `referral.threshold_${value.data.answer}`,
        subject: prompt.caseRef,
        details: { unitName: prompt.unitName, caseType: prompt.caseType, amountYuan: prompt.amountYuan, reason },
      },
    }),
  ]);
  if (value.data.answer === 'needed')
    return {
      toast: { type: 'success', content: '已记录,请填写移送报告' },
      card: { type: 'raw', data: criminalReferralFormCard(prompt.unitName) as Record<string, unknown> },
    };
  return {
    toast: { type: 'success', content: '已记录:不需要移送' },
    card: {
      type: 'raw',
      data: card('已记录:不需要移送', 'grey', [
        markdown(`案件 ${esc(prompt.caseRef)}:${escapeMarkdown(reason)}`),
      ]) as Record<string, unknown>,
    },
  };
}
