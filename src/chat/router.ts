import type { ChatAction } from './chat-actions';
import { PROCESSES, type ProcessCardAction } from '../processes';
import type { Ask, BotContext, CardHandler, CardResponse } from '../processes/chat-kit';
import type { CardActionEvent, IncomingEvent } from '../platform/feishu/events';
import { askToConfirm, cancelIntent, confirmIntent, editIntent, pickOfficer } from './confirm-intent';
import { offerCard } from './help';
import { needsConfirmation } from './intent-catalogue';
import { INTENTS, MENU_ROUTES, showHelp, type Intent } from './intents';
import { readMessage } from './read-message';
import { receiveFile } from '../processes/files/chat';

// The routing table, merged from what each process registers: intent → handler, card action → handler, with help
// as the fallback.

// Out of scope whatever the words (src/chat/understanding/local-matcher.ts): said politely, nothing done.
const REFUSALS: Record<string, string> = {
  instructions: '我只按执法通的功能办事,不能按消息里的其他指令操作。',
  deletion: '执法通不能在聊天里删除人员或记录。人员变动请通过导入人员名册办理,证件请用「证件办理」。',
  'others-data': '只能查看您有权查看的信息:其他单位或个人的记录请由其单位或司法局查看。',
  'bulk-approval': '审批须由各环节负责人在各自的卡片上逐件办理,不能一次全部批准。',
  default: '这个请求执法通不能办理。',
};

/** Routes a message or menu click and replies; resolves once the reply (or the polite error message) is out. */
export async function dispatchEvent(
  ctx: BotContext,
  event: Exclude<IncomingEvent, CardActionEvent>,
  opts: { shuttingDown?: () => boolean } = {},
): Promise<void> {
  const ask: Ask = {
    openId: event.openId,
    replyKey: `ev-${event.eventId}`,
    text: event.kind === 'message' ? event.text : undefined,
  };
  try {
    if (event.kind === 'menu') return await INTENTS[MENU_ROUTES[event.eventKey] ?? 'help'].handler(ctx, ask);
    if (event.file) return await receiveFile(ctx, ask, event.messageId, event.file);
    if (event.text === undefined) return await showHelp(ctx, ask, '目前只能读懂文字消息。');
    const reading = await readMessage(ctx, { ...ask, text: event.text });
    if (reading.kind === 'answered') return;
    if (reading.kind === 'refused') return await showHelp(ctx, ask, REFUSALS[reading.why] ?? REFUSALS.default);
    if (reading.kind === 'none') return await showHelp(ctx, ask, `没有听懂「${event.text.slice(0, 40)}」。`);
    if (reading.kind === 'offer') {
      const offers = reading.candidates.map((c) => ({ intent: c.intent, ...INTENTS[c.intent as Intent] }));
      return void (await ctx.feishu.sendCard(ask.openId, offerCard(event.text, offers), ask.replyKey));
    }
    if (needsConfirmation(reading.parsed)) return await askToConfirm(ctx, ask, reading.parsed);
    return await INTENTS[reading.parsed.intent].handler(ctx, ask);
  } catch (error) {
    // Never silence: the log gets why, the person hears that it failed. Resolving means someone was answered
    // (the delivery is done); only when even this message cannot go out does it throw, leaving it open. A failure
    // because the process is closing its connections is not the person's: it throws, left for Feishu's redelivery.
    if (opts.shuttingDown?.()) throw error;
    ctx.log(`处理事件失败 ${event.eventId}: ${(error as Error)?.stack ?? error}`);
    await ctx.feishu.sendText(
      ask.openId,
      '抱歉,系统暂时出错,请稍后再试。如一直不行,请联系本单位法制员。',
      `${ask.replyKey}-error`,
    );
  }
}

/** The chat's own buttons: the help card's, and the confirm card's (src/chat/confirm-intent.ts). */
const CHAT_ACTIONS = {
  // A button on the help card that runs an intent, as if the words had been typed.
  run_intent: async (ctx, event) => {
    const intent = event.value.intent as Intent;
    if (!(intent in INTENTS)) return { toast: { type: 'error', content: '这个按钮已失效' } };
    await INTENTS[intent].handler(ctx, { openId: event.openId, replyKey: `card-${event.eventId ?? Date.now()}` });
    return { toast: { type: 'success', content: '已发送' } };
  },
  // The help card's 更多: every word, whatever the asker's role.
  help_more: async (ctx, event) => {
    await showHelp(ctx, { openId: event.openId, replyKey: `card-${event.eventId ?? Date.now()}` }, undefined, true);
    return { toast: { type: 'success', content: '已发送' } };
  },
  intent_confirm: confirmIntent,
  intent_pick: pickOfficer,
  intent_edit: editIntent,
  intent_cancel: cancelIntent,
} satisfies Record<ChatAction, CardHandler>;

export type CardAction = ProcessCardAction | keyof typeof CHAT_ACTIONS;

/** Card buttons carry `{ action: <name>, ... }` in their value. */
const CARD_ACTIONS = Object.assign(
  {},
  ...PROCESSES.map((p) => (p.chat?.cardActions ?? {}) as Record<string, CardHandler>),
  CHAT_ACTIONS,
) as Record<CardAction, CardHandler>;

export async function dispatchCardAction(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const handler = (CARD_ACTIONS as Record<string, CardHandler | undefined>)[String(event.value.action)];
  if (!handler) return { toast: { type: 'error', content: '这个按钮已失效,请重新发送指令' } };
  return handler(ctx, event);
}
