import { z } from 'zod';
import type { BotContext } from './context';
import { decryptEvent, verifyLegacyCardSignature, verifySignature } from './feishu-crypto';
import { Envelope, UnsupportedEvent, decodeEnvelope, decodeLegacyCard, type IncomingEvent } from './feishu-events';
import { dispatchCardAction, dispatchEvent, type CardResponse } from './router';

// Receiving Feishu events: verify → decode → drop duplicates → answer at once → do the work after.
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

const CARD_ANSWER_BUDGET_MS = 2500; // Feishu waits 3 s for a card callback's answer.

export async function receiveEvent(ctx: BotContext, req: RawRequest): Promise<WebhookAnswer> {
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
    if (token && body.token !== token) return { status: 401, body: { error: 'verification token mismatch' } };
    return { status: 200, body: { challenge: body.challenge } };
  }
  if (encryptKey) {
    const verdict = verifySignature(encryptKey, {
      timestamp: header(req, 'x-lark-request-timestamp'),
      nonce: header(req, 'x-lark-request-nonce'),
      signature: header(req, 'x-lark-signature'),
      rawBody: req.rawBody,
    });
    if (!verdict.ok) return { status: 401, body: { error: verdict.reason } };
  }
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return { status: 400, body: { error: 'not a v2 event envelope' } };
  if (token && envelope.data.header.token !== token) return { status: 401, body: { error: 'verification token mismatch' } };

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

/** After decoding, whatever the transport (webhook or long connection): drop duplicates, then route. */
export async function acceptEvent(ctx: BotContext, event: IncomingEvent, eventType: string): Promise<WebhookAnswer> {
  if (event.eventId && !(await firstDelivery(ctx, event.eventId, eventType))) {
    ctx.log(`重复事件已忽略: ${event.eventId}`);
    return { status: 200, body: {} };
  }
  if (event.kind === 'card') return { status: 200, body: await answerCard(ctx, event) };
  return { status: 200, body: {}, after: () => dispatchEvent(ctx, event) };
}

/** The older card callback format (POST /webhook/card), answered the same way as card.action.trigger. */
export async function receiveLegacyCard(ctx: BotContext, req: RawRequest): Promise<WebhookAnswer> {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.rawBody) as Record<string, unknown>;
  } catch {
    return { status: 400, body: { error: 'body is not JSON' } };
  }
  const token = ctx.config.FEISHU_VERIFICATION_TOKEN;
  if (body.type === 'url_verification') {
    if (token && body.token !== token) return { status: 401, body: { error: 'verification token mismatch' } };
    return { status: 200, body: { challenge: body.challenge } };
  }
  if (token) {
    const signed = { timestamp: header(req, 'x-lark-request-timestamp'), nonce: header(req, 'x-lark-request-nonce'), signature: header(req, 'x-lark-signature'), rawBody: req.rawBody };
    if (!verifyLegacyCardSignature(token, signed)) return { status: 401, body: { error: 'signature mismatch' } };
  }
  try {
    return { status: 200, body: await answerCard(ctx, decodeLegacyCard(body)) };
  } catch (error) {
    if (error instanceof z.ZodError) return { status: 400, body: { error: 'not a card callback' } };
    throw error;
  }
}

async function answerCard(ctx: BotContext, event: Parameters<typeof dispatchCardAction>[1]): Promise<CardResponse> {
  const work = dispatchCardAction(ctx, event).catch((error): CardResponse => {
    ctx.log(`卡片操作失败: ${(error as Error).stack ?? error}`);
    return { toast: { type: 'error', content: '操作失败,请稍后再试' } };
  });
  const late = new Promise<CardResponse>((resolve) =>
    setTimeout(() => resolve({ toast: { type: 'info', content: '正在处理,请稍候…' } }), CARD_ANSWER_BUDGET_MS).unref(),
  );
  return Promise.race([work, late]);
}

/** Records the event id; false when another delivery (on any replica) already took it. */
async function firstDelivery(ctx: BotContext, eventId: string, eventType: string): Promise<boolean> {
  const { count } = await ctx.prisma.processedEvent.createMany({ data: [{ eventId, eventType }], skipDuplicates: true });
  return count === 1;
}

function header(req: RawRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
