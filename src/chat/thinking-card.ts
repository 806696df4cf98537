import { card, markdown } from '../core/cards/card-kit';
import type { Ask, BotContext } from '../processes/chat-kit';

// A model may take seconds (up to OPENAI_TIMEOUT_MS). A person should hear something within a second: if the model
// has not answered by then, a card says it is thinking, and it is updated in place with what was understood once the
// model answers (the answer itself follows as its own message, as it would without a model).

export const THINKING_AFTER_MS = 1_000;

const thinkingCard = () => card('执法通', 'grey', [markdown('正在理解您的意思,请稍候……')]);
const settledCard = (understood: string | undefined) =>
  card('执法通', understood ? 'green' : 'grey', [
    markdown(understood ? `已理解:${understood}` : '没有理解这句话,请看下面的帮助。'),
  ]);

export async function withThinkingCard<T>(
  ctx: BotContext,
  ask: Ask,
  work: () => Promise<T>,
  describe: (result: T) => string | undefined,
): Promise<T> {
  let sent: Promise<string | undefined> | undefined;
  const timer = setTimeout(() => {
    sent = ctx.feishu.sendCard(ask.openId, thinkingCard(), `${ask.replyKey}-thinking`).catch(() => undefined);
  }, THINKING_AFTER_MS);
  try {
    const result = await work();
    clearTimeout(timer);
    const messageId = await sent;
    if (messageId) await ctx.feishu.patchCard(messageId, settledCard(describe(result))).catch(() => undefined);
    return result;
  } finally {
    clearTimeout(timer);
  }
}
