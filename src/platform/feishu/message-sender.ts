import { FeishuApiError, FeishuNetworkError } from './errors';
import { sendBudgetWait } from '../metrics';

// Every message LawDesk sends (creates and replies) goes through the one AppSendBudget of its app id, so the
// bot's replies and the worker's notices in one process share Feishu's per-app limits instead of each
// discovering them by being refused. What it promises: never more than either window allows; after a 429 no
// send of that app goes out before Feishu's reset; 5xx and network failures are retried with the same uuid,
// so a retry can never become a second message (Feishu dedupes a uuid for an hour).

export interface SendLimits {
  perSecond: number;
  perMinute: number;
  /** How long "a minute" is: Feishu's is 60 s; tests shorten it so the minute window shows within seconds. */
  minuteMs?: number;
}

/** Feishu's limits for sending messages, per app. */
export const FEISHU_SEND_LIMITS: SendLimits = { perSecond: 50, perMinute: 1000 };

// An activity times out after a minute and may send several messages: a single send that would have to wait
// longer than this is handed back (as Feishu's own error) for Temporal's retry, which waits without holding
// the activity. It is also shorter than the longest reset a test hands to Temporal on purpose (7 s).
export const DEFAULT_MAX_WAIT_MS = 5_000;
// A chat reply answers an event Feishu was already told we took: it waits its turn rather than being dropped.
// 2,000 replies at once take 2 minutes of Feishu's 1,000/min; the bound is only there so a reply stuck past
// Feishu's uuid memory (an hour) is not sent at all, and it is logged.
export const CHAT_REPLY_MAX_WAIT_MS = 30 * 60_000;
const MAX_ATTEMPTS = 5;
const FIRST_BACKOFF_MS = 500;
const SECOND_MS = 1_000;

/**
 * A budget kept outside this process, shared by every process of the app (shared-send-budget.ts keeps it in
 * PostgreSQL). The in-memory budget stays in front of it as the local pacer: a send takes its local slot first,
 * then one here, so a process never asks the shared store for more than it could send itself.
 */
export interface SharedSendBudget {
  /** One send's slot in every window of `limits`, by `deadline` (epoch ms), else how long one would take. */
  take(deadline: number, limits: SendLimits): Promise<SharedSendSlot | { waitMs: number }>;
  /** Feishu answered 429: no process of the app sends for `ms`. */
  pause(ms: number): void;
}
export interface SharedSendSlot {
  /** The send is over (`used`: it reached Feishu, so its slot frees one window from now). */
  release(used: boolean): void;
}

/** No slot frees before the send's deadline; `waitMs` says how long one would take (Infinity: unknown). */
class NoSlotInTime extends Error {
  constructor(readonly waitMs: number) {
    super('no send slot before the deadline');
  }
}

export class AppSendBudget {
  private inFlight = 0;
  // When each finished request ended, oldest first. The end (not the start) is what we count from: Feishu
  // counts a request when it arrives, which is never later than when its answer is back with us.
  private readonly finished: number[] = [];
  private pausedUntil = 0;
  private readonly wakeups = new Set<() => void>();
  // The line of sends waiting for their turn at the budget; `turnTaken` while one of them is at its head.
  private readonly line: Array<() => void> = [];
  private turnTaken = false;

  /** Set when the app runs in more than one process: see SharedSendBudget. */
  shared: SharedSendBudget | undefined;

  constructor(public limits: SendLimits) {}

  /**
   * Runs `request` (one message create or reply) within the limits, retrying what is worth retrying until
   * `maxWaitMs` of waiting is spent; then Feishu's last refusal is rethrown for the caller's own retry.
   */
  async deliver<T>(request: () => Promise<T>, maxWaitMs = DEFAULT_MAX_WAIT_MS, signal?: AbortSignal): Promise<T> {
    const deadline = Date.now() + maxWaitMs;
    let lastError: FeishuApiError | FeishuNetworkError | undefined;
    for (let attempt = 1; ; attempt++) {
      const waitStarted = Date.now();
      try {
        await this.acquire(deadline);
        sendBudgetWait.observe((Date.now() - waitStarted) / 1000);
        // Cancelled while waiting its turn (a fan-out stopped by the worker's shutdown): the slot is given back unused.
        if (signal?.aborted) {
          this.release();
          signal.throwIfAborted();
        }
      } catch (error) {
        if (error instanceof NoSlotInTime) throw lastError ?? outOfBudget(error.waitMs);
        throw error;
      }
      const shared = await this.shared?.take(deadline, this.limits);
      if (shared && 'waitMs' in shared) {
        this.giveBack();
        throw lastError ?? outOfBudget(shared.waitMs);
      }
      let outcome: { value: T } | { error: unknown };
      try {
        outcome = { value: await request() };
      } catch (error) {
        outcome = { error };
      }
      this.release();
      shared?.release(true);
      if ('value' in outcome) return outcome.value;
      const retryInMs = this.retryDelay(outcome.error, attempt);
      if (retryInMs === undefined || Date.now() + retryInMs > deadline) throw outcome.error;
      lastError = outcome.error as FeishuApiError | FeishuNetworkError;
      if (!isRateLimited(outcome.error)) await sleep(retryInMs); // a rate limit is waited out in acquire, by every send
    }
  }

  /** How long to wait before trying `error`'s send again, or undefined when trying again cannot help. */
  private retryDelay(error: unknown, attempt: number): number | undefined {
    if (isRateLimited(error)) {
      const resetMs = Math.max(1, error.retryAfterSeconds ?? 1) * SECOND_MS;
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + resetMs);
      this.shared?.pause(resetMs);
      return resetMs;
    }
    const transient =
      error instanceof FeishuNetworkError || (error instanceof FeishuApiError && (error.httpStatus ?? 0) >= 500);
    if (!transient || attempt >= MAX_ATTEMPTS) return undefined;
    return FIRST_BACKOFF_MS * 2 ** (attempt - 1);
  }

  /**
   * Takes a slot, in turn: sends waiting for the budget line up first come, first served, and only the one at
   * the head watches the windows. (When every waiter watched them, 2,000 replies in a burst woke 2,000 times
   * per slot freed, and the door itself slowed to seconds.)
   */
  private async acquire(deadline: number): Promise<void> {
    await this.takeTurn(deadline);
    try {
      for (;;) {
        const now = Date.now();
        // A pause longer than this send can wait is not obeyed blindly: the send goes to Feishu, whose fresh
        // answer (another 429 with its own reset, or success) is then what the caller gets.
        const pause = this.pausedUntil > now && this.pausedUntil <= deadline ? this.pausedUntil - now : 0;
        const wait = Math.max(pause, this.windowWait(now));
        if (wait === 0) {
          this.inFlight++;
          return;
        }
        if (now + wait > deadline && (wait !== Infinity || now >= deadline)) throw new NoSlotInTime(wait);
        await this.sleepOrWake(Math.min(wait, deadline - now));
      }
    } finally {
      this.passTurn();
    }
  }

  /** Resolves when this send is at the head of the line; NoSlotInTime when its deadline comes first. */
  private takeTurn(deadline: number): Promise<void> {
    if (!this.turnTaken) {
      this.turnTaken = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(
        () => {
          const at = this.line.indexOf(waiter);
          if (at >= 0) this.line.splice(at, 1);
          reject(new NoSlotInTime(Infinity));
        },
        Math.max(0, deadline - Date.now()),
      );
      this.line.push(waiter);
    });
  }

  private passTurn(): void {
    const next = this.line.shift();
    if (next) next();
    else this.turnTaken = false;
  }

  private release(): void {
    this.inFlight--;
    this.finished.push(Date.now());
    // A finished request now has an end time, so waiters can work out when its slot frees.
    for (const wake of [...this.wakeups]) wake();
  }

  /** A slot taken but not used: nothing reached Feishu, so nothing is counted. */
  private giveBack(): void {
    this.inFlight--;
    for (const wake of [...this.wakeups]) wake();
  }

  /** Milliseconds until one more request fits both windows; Infinity while only in-flight ones fill them. */
  private windowWait(now: number): number {
    const minuteMs = this.limits.minuteMs ?? 60_000;
    const longest = Math.max(SECOND_MS, minuteMs);
    let expired = 0;
    while (expired < this.finished.length && now - this.finished[expired]! >= longest) expired++;
    if (expired) this.finished.splice(0, expired);
    return Math.max(
      this.waitIn(now, SECOND_MS, this.limits.perSecond),
      this.waitIn(now, minuteMs, this.limits.perMinute),
    );
  }

  private waitIn(now: number, windowMs: number, max: number): number {
    const first = firstWithin(this.finished, now - windowMs);
    const inWindow = this.finished.length - first;
    const mustLeave = this.inFlight + inWindow - max + 1;
    if (mustLeave <= 0) return 0;
    if (mustLeave > inWindow) return Infinity;
    return this.finished[first + mustLeave - 1]! + windowMs - now;
  }

  private sleepOrWake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeups.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeups.add(done);
    });
  }
}

// Process-wide on purpose: every FeishuClient of one app id (the bot's and the worker's in `npm start`)
// spends the same budget, because Feishu counts per app, not per client.
const budgets = new Map<string, AppSendBudget>();

/**
 * The budget of `appId`; limits given here replace the ones it had (the last client configured wins), and so
 * does a shared budget (every client of one app in a process is given the same one).
 */
export function sendBudgetFor(appId: string, limits?: SendLimits, shared?: SharedSendBudget): AppSendBudget {
  let budget = budgets.get(appId);
  if (!budget) budgets.set(appId, (budget = new AppSendBudget(limits ?? FEISHU_SEND_LIMITS)));
  else if (limits) budget.limits = limits;
  if (shared) budget.shared = shared;
  return budget;
}

/**
 * The shortest time in which `count` sends can finish within `limits` (the last one starting at this offset
 * from the first), for judging a fan-out: whole minute windows of full-rate seconds, back to back.
 */
export function earliestLastSendMs(count: number, limits: SendLimits): number {
  if (count <= 0) return 0;
  const last = count - 1;
  const minuteMs = limits.minuteMs ?? 60_000;
  const inMinute = last % limits.perMinute;
  return Math.floor(last / limits.perMinute) * minuteMs + Math.floor(inMinute / limits.perSecond) * SECOND_MS;
}

function isRateLimited(error: unknown): error is FeishuApiError {
  return error instanceof FeishuApiError && (error.httpStatus === 429 || error.code === 99991400);
}

// Raised when our own windows (not Feishu) keep a send from going out in time: shaped like Feishu's 429 so
// feishuCall hands it to Temporal with the wait as nextRetryDelay.
function outOfBudget(waitMs: number): FeishuApiError {
  const seconds = Number.isFinite(waitMs) ? Math.max(1, Math.ceil(waitMs / SECOND_MS)) : 1;
  return new FeishuApiError(
    99991400,
    `LawDesk held the send: the app's send budget frees in ${seconds} s`,
    429,
    undefined,
    seconds,
  );
}

/** Index of the first time in sorted `times` that is after `since` (times.length when none is). */
function firstWithin(times: number[], since: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! > since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
