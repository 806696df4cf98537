import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

// Feishu's event security (Open Platform, "Encrypt Key"): bodies are {"encrypt": base64(iv + AES-256-CBC)},
// keyed with sha256(encryptKey); each request is signed with
// X-Lark-Signature = sha256hex(timestamp + nonce + encryptKey + rawBody).

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

/** Accepts a request only when signed with our key and sent within `windowSeconds` of now. */
export function verifySignature(
  encryptKey: string,
  req: SignedRequest,
  nowMs = Date.now(),
  windowSeconds = 300,
): { ok: true } | { ok: false; reason: string } {
  const { timestamp, nonce, signature, rawBody } = req;
  if (!timestamp || !nonce || !signature) return { ok: false, reason: 'missing X-Lark-Request-Timestamp/Nonce/Signature' };
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > windowSeconds) {
    return { ok: false, reason: 'timestamp outside the accepted window' };
  }
  const expected = createHash('sha256').update(timestamp + nonce + encryptKey + rawBody).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(signature.toLowerCase());
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

/** The older card-callback format signs with sha1(timestamp + nonce + verificationToken + rawBody). */
export function verifyLegacyCardSignature(token: string, req: SignedRequest): boolean {
  if (!req.timestamp || !req.nonce || !req.signature) return false;
  const expected = createHash('sha1').update(req.timestamp + req.nonce + token + req.rawBody).digest('hex');
  return expected === req.signature.toLowerCase();
}
