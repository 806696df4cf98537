import { dateIn } from '../../core/dates';
import type { BotContext } from '../../processes/chat-kit';
import type { ParsedIntent } from '../intent-catalogue';
import type { Ask } from '../../processes/chat-kit';
import { answerPending } from './pending';
import { llmSettings, understandText } from './understand';

/**
 * Text the keywords did not match, first: the answer to a waiting request ("暂扣谁的证件?" → "张三", or 取消).
 * 'answered' when a reply was sent here; undefined when nothing was waiting.
 */
export async function answerWaiting(ctx: BotContext, ask: Ask): Promise<ParsedIntent | 'answered' | undefined> {
  if (!ask.text) return undefined;
  const pending = await answerPending(ctx.prisma, ask.openId, ask.text);
  if (pending.kind === 'filled') return pending.parsed;
  if (pending.kind === 'cancelled') {
    await ctx.feishu.sendText(ask.openId, '已取消,没有发起任何办理。', ask.replyKey);
    return 'answered';
  }
  return undefined;
}

/**
 * The model's reading, recorded in the audit trail (`llm.intent`); undefined when no model is configured or it gave
 * no usable answer.
 */
export async function askModel(ctx: BotContext, ask: Ask): Promise<ParsedIntent | undefined> {
  if (!ask.text) return undefined;
  const settings = llmSettings(ctx.config);
  if (!settings) return undefined;
  const understanding = await understandText(settings, ask.text, dateIn(ctx.config.TZ_CALENDAR, new Date()));
  const { parsed, ...rest } = understanding;
  await ctx.prisma.auditEvent
    .create({
      data: {
        actor: ask.openId,
        action: 'llm.intent',
        subject: ask.openId,
        details: { ...rest, intent: parsed?.intent ?? null, args: (parsed?.args ?? {}) as Record<string, string> },
      },
    })
    .catch((error: unknown) => ctx.log(`llm audit failed: ${(error as Error).message}`));
  if (understanding.outcome !== 'ok') ctx.log(`llm ${understanding.outcome}: ${understanding.error ?? ''}`);
  return parsed;
}
