import * as lark from '@larksuiteoapi/node-sdk';
import type { ChatContext } from './context';
import { decodeEnvelope, UnsupportedEvent } from '../platform/feishu/events';
import { acceptEvent } from './webhook';

// FEISHU_MODE=ws: the SDK's long connection instead of a public webhook URL (no inbound port needed).
// The SDK hands each event over with header and body fields merged; we rebuild the v2 envelope and take
// the same path as the webhook from there (dedupe by event_id in the database, routing table, handlers).

const EVENT_TYPES = ['im.message.receive_v1', 'application.bot.menu_v6', 'card.action.trigger'] as const;

export function startLongConnection(ctx: ChatContext): { close(): void } {
  const { FEISHU_APP_ID: appId, FEISHU_APP_SECRET: appSecret, FEISHU_DOMAIN: domain } = ctx.config;
  const handles = Object.fromEntries(
    EVENT_TYPES.map((eventType) => [
      eventType,
      async (data: Record<string, unknown>) => {
        try {
          const event = decodeEnvelope({
            schema: '2.0',
            header: { event_id: String(data.event_id ?? ''), event_type: eventType },
            event: data,
          });
          const answer = await acceptEvent(ctx, event, eventType);
          answer.after?.().catch((error) => ctx.log(`处理事件失败: ${(error as Error).stack ?? error}`));
          // Only a card click has an answer for Feishu (toast, new card); a message is just acknowledged.
          return event.kind === 'card' ? answer.body : undefined;
        } catch (error) {
          if (!(error instanceof UnsupportedEvent)) ctx.log(`长连接事件无法处理: ${(error as Error).message}`);
          return undefined;
        }
      },
    ]),
  );
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn }).register(handles);
  const client = new lark.WSClient({
    appId: appId!,
    appSecret: appSecret!,
    domain,
    loggerLevel: lark.LoggerLevel.warn,
  });
  void client.start({ eventDispatcher: dispatcher });
  ctx.log('飞书长连接模式: 正在连接开放平台');
  return { close: () => client.close() };
}
