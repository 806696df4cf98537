import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

// Feishu's request security (Open Platform, 事件与回调 → 加密策略). Bodies may be {"encrypt": base64(iv +
// AES-256-CBC)}, keyed with sha256(encryptKey). Each request carries X-Lark-Request-Timestamp (seconds),
// X-Lark-Request-Nonce and X-Lark-Signature:
//   events and new-style card callbacks: sha256hex(timestamp + nonce + encryptKey + rawBody)
//   the older card callback:             sha1hex(timestamp + nonce + verificationToken + rawBody)
// The timestamp is inside what is signed, so the ±5 min window bounds how long a captured request replays.

/** Feishu's own window for a signed request's timestamp. */
export const SIGNATURE_WINDOW_SECONDS = 300;

export function decryptEvent(encryptKey: string, encrypted: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const buffer = Buffer.from(encrypted, 'base64');
  if (buffer.length < 32) throw new Error('encrypted body too short');
  const decipher = createDecipheriv('aes-256-cbc', key, buffer.subarray(0, 16));
  return Buffer.concat([decipher.update(buffer.subarray(16)), decipher.final()]).toString('utf8');
}

export interface SignedRequest {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  rawBody: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** An event (or new-style card callback): signed with the encrypt key, sent within the window of now. */
export function verifySignature(
  encryptKey: string,
  req: SignedRequest,
  nowMs = Date.now(),
  windowSeconds = SIGNATURE_WINDOW_SECONDS,
): Verdict {
  return verifySigned(req, nowMs, windowSeconds, (t, n) =>
    createHash('sha256')
      .update(t + n + encryptKey + req.rawBody)
      .digest('hex'),
  );
}

/** The older card callback: signed with the verification token, sent within the window of now. */
export function verifyLegacyCardSignature(
  token: string,
  req: SignedRequest,
  nowMs = Date.now(),
  windowSeconds = SIGNATURE_WINDOW_SECONDS,
): Verdict {
  return verifySigned(req, nowMs, windowSeconds, (t, n) =>
    createHash('sha1')
      .update(t + n + token + req.rawBody)
      .digest('hex'),
  );
}

function verifySigned(
  req: SignedRequest,
  nowMs: number,
  windowSeconds: number,
  expectedFor: (timestamp: string, nonce: string) => string,
): Verdict {
  const { timestamp, nonce, signature } = req;
  if (!timestamp || !nonce || !signature)
    return { ok: false, reason: 'missing X-Lark-Request-Timestamp/Nonce/Signature' };
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - seconds) > windowSeconds) {
    return { ok: false, reason: 'timestamp outside the accepted window (±5 min)' };
  }
  const expected = Buffer.from(expectedFor(timestamp, nonce));
  const given = Buffer.from(signature.toLowerCase());
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
