import type { BotContext } from '../context';
import type { ParsedIntent } from '../intent-catalogue';
import type { Ask } from '../intents';
import { llmSettings, understandText } from './understand';

/**
 * The model's reading of text the keywords did not match, recorded in the audit trail (`llm.intent`);
 * undefined when no model is configured or it gave no usable answer (the caller then shows the help card).
 */
export async function understandInChat(ctx: BotContext, ask: Ask): Promise<ParsedIntent | undefined> {
  const settings = llmSettings(ctx.config);
  if (!settings || !ask.text) return undefined;
  const understanding = await understandText(settings, ask.text);
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
