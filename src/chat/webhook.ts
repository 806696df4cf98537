import { z } from 'zod';
import type { ChatContext } from './context';
import { finishDelivery, releaseDelivery, takeDelivery } from './delivery-ledger';
import { refuse } from './door-refusals';
import { decryptEvent, verifySignature } from '../platform/feishu/crypto';
import {
  Envelope,
  UnsupportedEvent,
  decodeEnvelope,
  type CardActionEvent,
  type IncomingEvent,
  type MessageEvent,
  type MenuEvent,
} from '../platform/feishu/events';
import type { CardResponse } from '../processes/chat-kit';
import { dispatchCardAction, dispatchEvent } from './router';
import { WorkLimit } from '../platform/work-limit';
import { withLogFields } from '../platform/logger';
import { ackSeconds, eventsAnswered, eventsDeduplicated, eventsReceived } from '../platform/metrics';

// Receiving Feishu events: verify → decode → take the delivery (drops duplicates) → answer at once → do the
// work after, and mark the delivery done only when its answer is out (src/chat/delivery-ledger.ts).
// The answer must reach Feishu quickly (it retries otherwise), so message work runs in `after`.

export interface RawRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface WebhookAnswer {
  status: number;
  body: unknown;
  after?: () => Promise<void>;
}

export const EVENT_PATH = '/webhook/event';
const CARD_ANSWER_BUDGET_MS = 2500; // Feishu waits 3 s for a card callback's answer.
// Message work (read, render, reply) running at once in this process; the rest waits its turn in memory. Replies
// cannot leave faster than Feishu's 50/s, so working 2,000 of a burst at once only took the CPU and the database
// pool from the door, whose own answer then took seconds (bench/door-burst.ts).
const MESSAGE_WORK_AT_ONCE = 16;

/** POST /webhook/event; also the new-style callbacks that reach the card URL (`path` says which, for the audit). */
export async function receiveEvent(ctx: ChatContext, req: RawRequest, path = EVENT_PATH): Promise<WebhookAnswer> {
  const receivedAt = performance.now();
  const answer = await receiveVerified(ctx, req, path);
  ackSeconds.observe((performance.now() - receivedAt) / 1000);
  return answer;
}

async function receiveVerified(ctx: ChatContext, req: RawRequest, path: string): Promise<WebhookAnswer> {
  const { FEISHU_ENCRYPT_KEY: encryptKey, FEISHU_VERIFICATION_TOKEN: token } = ctx.config;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.rawBody) as Record<string, unknown>;
    if (typeof body.encrypt === 'string') {
      if (!encryptKey) return { status: 400, body: { error: 'encrypted body but FEISHU_ENCRYPT_KEY is not set' } };
      body = JSON.parse(decryptEvent(encryptKey, body.encrypt)) as Record<string, unknown>;
    }
  } catch {
    return { status: 400, body: { error: 'body is not valid (encrypted) JSON' } };
  }

  // Feishu's URL check carries the verification token but no signature.
  if (body.type === 'url_verification') {
    if (token && body.token !== token) return refuse(ctx, path, 401, 'verification token mismatch');
    return { status: 200, body: { challenge: body.challenge } };
  }
  if (encryptKey) {
    const verdict = verifySignature(encryptKey, signedPartsOf(req));
    if (!verdict.ok) return refuse(ctx, path, 401, verdict.reason, body);
  }
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return { status: 400, body: { error: 'not a v2 event envelope' } };
  if (token && envelope.data.header.token !== token) return refuse(ctx, path, 401, 'verification token mismatch', body);

  let event: IncomingEvent;
  try {
    event = decodeEnvelope(envelope.data);
  } catch (error) {
    if (error instanceof UnsupportedEvent) return { status: 200, body: {} };
    if (error instanceof z.ZodError) return { status: 400, body: { error: 'event body does not match its type' } };
    throw error;
  }
  return acceptEvent(ctx, event, envelope.data.header.event_type);
}

/** After decoding, whatever the transport (webhook or long connection): take the delivery, then route. */
export async function acceptEvent(ctx: ChatContext, event: IncomingEvent, eventType: string): Promise<WebhookAnswer> {
  const life = ctx.lifecycle;
  const type = eventType;
  eventsReceived.inc({ type });
  // Shutting down: not taken, so Feishu's redelivery (or another replica behind the balancer) answers it. A card click
  // is not redelivered and is answered within 3 s, so it is still worked until the drain is over.
  if (life?.closing || (life?.stopping && event.kind !== 'card')) {
    eventsAnswered.inc({ type, result: 'refused' });
    return { status: 503, body: { error: 'shutting down' } };
  }
  // In flight from the door until its work is done, so a shutdown waits for it (src/platform/lifecycle.ts).
  let workDone = () => {};
  if (life) void life.track(new Promise<void>((resolve) => (workDone = resolve)));
  try {
    const deliveryId = event.eventId || undefined;
    if (deliveryId && !(await takeDelivery(ctx.door, deliveryId, eventType))) {
      ctx.log(`重复事件已忽略: ${deliveryId}`);
      eventsDeduplicated.inc({ type });
      workDone();
      return { status: 200, body: {} };
    }
    if (event.kind === 'card') {
      const answer = withLogFields({ event_id: deliveryId }, () => answerCard(ctx, event, deliveryId, workDone));
      return { status: 200, body: await answer };
    }
    return {
      status: 200,
      body: {},
      after: () =>
        withLogFields({ event_id: deliveryId }, () =>
          messageWork.run(() => answerMessage(ctx, event, deliveryId)).finally(workDone),
        ),
    };
  } catch (error) {
    workDone();
    throw error;
  }
}

const messageWork = new WorkLimit(MESSAGE_WORK_AT_ONCE);

/** A message or menu click: done once the reply (or the polite error message) is out. */
async function answerMessage(
  ctx: ChatContext,
  event: MessageEvent | MenuEvent,
  deliveryId: string | undefined,
): Promise<void> {
  const closing = () => ctx.lifecycle?.closing ?? false;
  // Still waiting its turn when the shutdown's drain ran out: left un-done for Feishu's redelivery, never started.
  const type = event.kind === 'menu' ? 'application.bot.menu_v6' : 'im.message.receive_v1';
  if (closing()) {
    if (deliveryId) await releaseDelivery(ctx.prisma, deliveryId).catch(() => {});
    eventsAnswered.inc({ type, result: 'left' });
    return ctx.log(`停止中,事件未开始处理,留待飞书重发`);
  }
  try {
    await dispatchEvent(ctx, event, { shuttingDown: closing });
  } catch (error) {
    // Not even the error message went out (or the shutdown cut the work short): leave the delivery open for
    // Feishu's next delivery of it.
    if (deliveryId) await releaseDelivery(ctx.prisma, deliveryId).catch(() => {});
    eventsAnswered.inc({ type, result: 'left' });
    if (closing()) return ctx.log(`停止中,事件未处理完,留待飞书重发`);
    throw error;
  }
  if (deliveryId) await finishDelivery(ctx.prisma, deliveryId);
  eventsAnswered.inc({ type, result: 'answered' });
}

/**
 * A card click, answered within Feishu's 3 s: the handler's toast and card, or 'still working' when it takes
 * longer. The delivery is done when the handler has settled (a failure was answered with the error toast).
 */
export async function answerCard(
  ctx: ChatContext,
  event: CardActionEvent,
  deliveryId?: string,
  workDone = () => {},
): Promise<CardResponse> {
  const work = dispatchCardAction(ctx, event).catch((error): CardResponse => {
    ctx.log(`卡片操作失败: ${(error as Error).stack ?? error}`);
    return { toast: { type: 'error', content: '操作失败,请稍后再试' } };
  });
  void work.then(() => eventsAnswered.inc({ type: 'card.action.trigger', result: 'answered' }));
  const recorded = deliveryId
    ? work
        .then(() => finishDelivery(ctx.prisma, deliveryId))
        .catch((error: unknown) => ctx.log(`记录卡片操作完成失败: ${(error as Error).message}`))
    : work;
  void recorded.finally(workDone);
  const late = new Promise<CardResponse>((resolve) =>
    setTimeout(() => resolve({ toast: { type: 'info', content: '正在处理,请稍候…' } }), CARD_ANSWER_BUDGET_MS).unref(),
  );
  return Promise.race([work, late]);
}

export function signedPartsOf(req: RawRequest) {
  return {
    timestamp: header(req, 'x-lark-request-timestamp'),
    nonce: header(req, 'x-lark-request-nonce'),
    signature: header(req, 'x-lark-signature'),
    rawBody: req.rawBody,
  };
}

function header(req: RawRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
