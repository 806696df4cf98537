import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChatContext } from './context';
import { takeDelivery } from './delivery-ledger';
import { refuse } from './door-refusals';
import { verifyLegacyCardSignature } from '../platform/feishu/crypto';
import { decodeLegacyCard } from '../platform/feishu/events';
import { answerCard, receiveEvent, signedPartsOf, type RawRequest, type WebhookAnswer } from './webhook';

// POST /webhook/card: the card request URL. Feishu sends two kinds here, and signs each its own way (as the
// official SDK's CardActionHandler checks them):
// - new-style callbacks (schema 2.0, or an encrypted body): exactly as events, so /webhook/event's path;
// - the older callback ({ open_id, action: { value } }): sha1 with the verification token. Without a token
//   there is nothing to check it against, so it is refused, never trusted.
// Either way: inside the ±5 min window, and each delivery acts once.

export const CARD_PATH = '/webhook/card';

export async function receiveLegacyCard(ctx: ChatContext, req: RawRequest): Promise<WebhookAnswer> {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.rawBody) as Record<string, unknown>;
  } catch {
    return { status: 400, body: { error: 'body is not JSON' } };
  }
  if (typeof body.encrypt === 'string' || body.schema === '2.0') return receiveEvent(ctx, req, CARD_PATH);

  const token = ctx.config.FEISHU_VERIFICATION_TOKEN;
  if (!token)
    return refuse(
      ctx,
      CARD_PATH,
      401,
      'FEISHU_VERIFICATION_TOKEN is not set: a card callback cannot be verified',
      body,
    );
  if (body.type === 'url_verification') {
    if (body.token !== token) return refuse(ctx, CARD_PATH, 401, 'verification token mismatch');
    return { status: 200, body: { challenge: body.challenge } };
  }
  const verdict = verifyLegacyCardSignature(token, signedPartsOf(req));
  if (!verdict.ok) return refuse(ctx, CARD_PATH, 401, verdict.reason, body);

  let event;
  try {
    event = decodeLegacyCard(body);
  } catch (error) {
    if (error instanceof z.ZodError) return { status: 400, body: { error: 'not a card callback' } };
    throw error;
  }
  // The older format has no event id. Its body is the same on every delivery of one click (it carries that
  // click's card token), so its hash names the delivery: a replay or a retry of the click acts once.
  const deliveryId = `card-callback-${createHash('sha256').update(req.rawBody).digest('hex').slice(0, 32)}`;
  if (!(await takeDelivery(ctx.door, deliveryId, 'card.action.legacy'))) {
    ctx.log(`重复的卡片回调已忽略: ${deliveryId}`);
    return { status: 200, body: {} };
  }
  return { status: 200, body: await answerCard(ctx, { ...event, eventId: deliveryId }, deliveryId) };
}
