import type { Card } from './errors';

// Many messages to many people (a digest, a checkpoint's notices), each through the app's send budget by way
// of `sendOne`; failures are reported per recipient rather than thrown.

// A fan-out is the one that fills the minute window, so its sends must be able to wait a whole minute.
export const DEFAULT_FAN_OUT_MAX_WAIT_MS = 180_000;

export interface FanOutMessage {
  openId: string;
  card?: Card;
  text?: string;
  /** Required: it is what makes a retried send the same message instead of a second one. */
  uuid: string;
}
export interface FanOutOptions {
  /** Sends in flight at once (default 20): enough to keep Feishu's 50/s busy at ~300 ms per request. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called after each message Feishu accepted (e.g. to record the delivery); a throw counts it as failed. */
  onSent?: (message: FanOutMessage, messageId: string) => void | Promise<void>;
  /** Waiting allowed per message, slots and retries together (default 3 minutes). */
  maxWaitMs?: number;
  /**
   * Aborted (an activity's cancellation, or the worker's shutdown past its grace time): no further message is
   * started, sends still waiting for the budget never go out, and the fan-out throws the signal's reason at once
   * (a send already at Feishu may still land: the retry sends it under the same uuid, which Feishu does not repeat).
   */
  signal?: AbortSignal;
}
export interface FanOutResult {
  sent: number;
  failed: { openId: string; error: string }[];
}

/** Sends every message through `sendOne`, carrying on past failures, which are reported rather than thrown. */
export async function fanOut(
  messages: FanOutMessage[],
  sendOne: (message: FanOutMessage, maxWaitMs: number, signal?: AbortSignal) => Promise<string>,
  opts: FanOutOptions = {},
): Promise<FanOutResult> {
  const uuids = new Set<string>();
  for (const m of messages) {
    // Two messages under one uuid would silently become one: that is our bug, not a send failure.
    if (!m.uuid) throw new Error(`sendMany: message to ${m.openId} has no uuid`);
    if (uuids.has(m.uuid)) throw new Error(`sendMany: uuid ${m.uuid} is used twice`);
    uuids.add(m.uuid);
  }
  const maxWaitMs = opts.maxWaitMs ?? DEFAULT_FAN_OUT_MAX_WAIT_MS;
  const result: FanOutResult = { sent: 0, failed: [] };
  let next = 0;
  let done = 0;
  const signal = opts.signal;
  signal?.throwIfAborted();
  const worker = async () => {
    while (next < messages.length && !signal?.aborted) {
      const message = messages[next++]!;
      try {
        const messageId = await sendOne(message, maxWaitMs, signal);
        result.sent++;
        await opts.onSent?.(message, messageId);
      } catch (error) {
        result.failed.push({ openId: message.openId, error: (error as Error)?.message ?? String(error) });
      }
      opts.onProgress?.(++done, messages.length);
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency ?? 20, messages.length));
  const all = Promise.all(Array.from({ length: workers }, worker));
  if (!signal) {
    await all;
    return result;
  }
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) =>
    signal.addEventListener('abort', (onAbort = () => resolve()), { once: true }),
  );
  try {
    await Promise.race([all, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  signal.throwIfAborted();
  return result;
}
