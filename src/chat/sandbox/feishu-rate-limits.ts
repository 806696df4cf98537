// Feishu's per-app limits on sending messages, as the emulator enforces them when asked to: a message create
// or reply that would exceed either sliding window is refused the way Feishu refuses it (HTTP 429, code
// 99991400, x-ogw-ratelimit-* headers), so a sender's pacing can be checked against what Feishu would do.
import type { Reply } from './feishu-emulator-types';
import { ERR } from './feishu-wire';

export interface RateLimits {
  perSecond: number;
  perMinute: number;
  /** How long "a minute" is: Feishu's is 60 s; tests shorten it to see the minute window within seconds. */
  minuteMs?: number;
}

const SECOND_MS = 1_000;
const MESSAGE_SENDS = [/^\/open-apis\/im\/v1\/messages$/, /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/];

export class MessageRateLimits {
  /** Sends refused with 429 by these windows (not the ones injected with rateLimitNext). */
  refusedCount = 0;
  // When each accepted send arrived, oldest first. Refused ones are not counted: they were not sent.
  private readonly accepted: number[] = [];

  constructor(public limits: RateLimits | undefined) {}

  /** Feishu's 429 when this request is a message send over the limits; otherwise undefined (and counted). */
  refuse(method: string, path: string, now = Date.now()): Reply | undefined {
    if (!this.limits || method !== 'POST' || !MESSAGE_SENDS.some((re) => re.test(path))) return undefined;
    const { perSecond, perMinute, minuteMs = 60_000 } = this.limits;
    const longest = Math.max(SECOND_MS, minuteMs);
    while (this.accepted.length && now - this.accepted[0]! >= longest) this.accepted.shift();
    const secondWait = this.waitIn(now, SECOND_MS, perSecond);
    const minuteWait = this.waitIn(now, minuteMs, perMinute);
    if (secondWait === 0 && minuteWait === 0) {
      this.accepted.push(now);
      return undefined;
    }
    this.refusedCount++;
    const limit = minuteWait > 0 ? perMinute : perSecond;
    const reset = Math.max(1, Math.ceil(Math.max(secondWait, minuteWait) / SECOND_MS));
    const headers = { 'x-ogw-ratelimit-limit': String(limit), 'x-ogw-ratelimit-reset': String(reset) };
    return { status: 429, body: ERR.rateLimited(), headers };
  }

  clear(): void {
    this.accepted.length = 0;
    this.refusedCount = 0;
  }

  /** Milliseconds until one more send fits in the window (0: it fits now). */
  private waitIn(now: number, windowMs: number, max: number): number {
    let inWindow = 0;
    while (inWindow < this.accepted.length && now - this.accepted[this.accepted.length - 1 - inWindow]! < windowMs)
      inWindow++;
    if (inWindow < max) return 0;
    return this.accepted[this.accepted.length - inWindow + (inWindow - max)]! + windowMs - now;
  }
}
