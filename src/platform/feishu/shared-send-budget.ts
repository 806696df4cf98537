import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { SendLimits, SharedSendBudget, SharedSendSlot } from './message-sender';
import { PAUSE, RELEASE, SECOND_MS, SEED, TAKE, type TakeRow } from './send-slot-statements';

// Feishu counts 50 messages a second and 1,000 a minute per app, however many processes send them. This keeps
// those windows in PostgreSQL, which every process of the app already shares (issue 18).
//
// Why PostgreSQL slots rather than Temporal's server-side maxTaskQueueActivitiesPerSecond: Temporal rations
// activity starts on one task queue, but an activity may send one message or a thousand, and chat replies are
// sent by the receiver, outside any activity; neither is a message count. And why slots rather than a token
// bucket: a bucket refilling 50/s with room for 50 lets ~100 through in some one-second span, which Feishu's
// sliding window refuses. A slot table keeps the same rule as the in-memory budget, across processes: each window
// has as many rows as it allows; a send holds one row of each window while in flight, and when it ends its rows
// free one window later. So at most `limit` sends are in flight or ended within the last window, app-wide.
//
// Round trips: one statement takes slots for up to `batch` waiting sends of this process at once, and one
// statement gives back every send that ended meanwhile. A held row carries a lease in free_at, so a process that
// dies holding slots gives them back when the lease ends. If PostgreSQL cannot be reached the process goes on
// with its in-memory budget alone (Feishu's 429, waited out and retried with the same uuid, is the backstop).

export interface Queryable {
  query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface SharedBudgetOptions {
  appId: string;
  /** Slots asked for in one statement at most (default 10). */
  batch?: number;
  /** How long a slot stays held if its process never says the send ended (default 2 minutes). */
  leaseMs?: number;
  /** How soon to look again while every slot of a window is in flight (default 20 ms). */
  pollMs?: number;
  log?: (line: string) => void;
}

interface Waiter {
  deadline: number;
  limits: SendLimits;
  resolve: (granted: SharedSendSlot | { waitMs: number }) => void;
}
interface Release {
  lease: string;
  endedAt: number;
  used: boolean;
}
interface Grant {
  leases: string[];
  waitMs: number;
}

const ON_OUR_OWN: SharedSendSlot = { release: () => undefined };

export class PostgresSendBudget implements SharedSendBudget {
  private readonly waiters: Waiter[] = [];
  private pumping = false;
  private readonly releases: Release[] = [];
  private flushing: Promise<void> | undefined;
  // The window rows made so far, by the limits they were made for (tests change the limits between runs).
  private readonly seeded = new Map<string, Promise<unknown>>();
  private lastWaitMs = SECOND_MS;
  private leaseCount = 0;
  private lastOutageLog = 0;
  // Lease ids say which process holds a slot, for an operator reading the table.
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly db: Queryable,
    private readonly opts: SharedBudgetOptions,
  ) {
    this.batch = opts.batch ?? 10;
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.pollMs = opts.pollMs ?? 20;
    this.log = opts.log ?? ((line) => console.warn(line));
  }

  take(deadline: number, limits: SendLimits): Promise<SharedSendSlot | { waitMs: number }> {
    return new Promise((resolve) => {
      this.waiters.push({ deadline, limits, resolve });
      void this.pump();
    });
  }

  pause(ms: number): void {
    this.db
      .query(PAUSE, [this.opts.appId, Math.ceil(ms)])
      .catch((error: unknown) => this.outage('could not record a 429 pause', error));
  }

  /** Gives back the slots of sends that ended; call before closing the pool. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** One loop per process asks for slots on behalf of every waiting send, first come, first served. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.dropExpired()) {
        const wanted = Math.min(this.waiters.length, this.batch);
        let grant: Grant;
        try {
          grant = await this.takeSlots(wanted, this.waiters[0]!.limits);
        } catch (error) {
          this.outage('could not take send slots, pacing this process alone', error);
          for (const waiter of this.waiters.splice(0)) waiter.resolve(ON_OUR_OWN);
          break;
        }
        this.lastWaitMs = grant.waitMs;
        this.dropExpired();
        for (const lease of grant.leases) {
          const waiter = this.waiters.shift();
          if (waiter) waiter.resolve(this.slot(lease));
          else this.giveBack(lease, false);
        }
        if (grant.leases.length === wanted || !this.waiters.length) continue;
        const nearestDeadline = Math.min(...this.waiters.map((w) => w.deadline));
        await sleep(Math.max(1, Math.min(grant.waitMs, nearestDeadline - Date.now())));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Answers the waiters whose deadline has come with how long a slot would take; true while any are left. */
  private dropExpired(): boolean {
    const now = Date.now();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.deadline > now) continue;
      this.waiters.splice(i, 1);
      waiter.resolve({ waitMs: this.lastWaitMs });
    }
    return this.waiters.length > 0;
  }

  private async takeSlots(wanted: number, limits: SendLimits): Promise<Grant> {
    const { appId } = this.opts;
    const minuteMs = limits.minuteMs ?? 60_000;
    const seedParams = [appId, limits.perSecond, limits.perMinute, minuteMs];
    const seedKey = seedParams.join('/');
    let seeded = this.seeded.get(seedKey);
    if (!seeded) {
      seeded = this.db.query(SEED, seedParams).catch((error: unknown) => {
        this.seeded.delete(seedKey);
        throw error;
      });
      this.seeded.set(seedKey, seeded);
    }
    await seeded;
    const leases = Array.from({ length: wanted }, () => `${this.holder}:${++this.leaseCount}`);
    const { rows } = await this.db.query<TakeRow>(TAKE, [
      appId,
      limits.perSecond,
      limits.perMinute,
      minuteMs,
      wanted,
      leases,
      this.leaseMs,
    ]);
    const row = rows[0]!;
    // A window that had too few slots waits for its next one to free, or (all of them in flight) looks again soon.
    const windowWait = (got: number, nextFreeMs: number | null) =>
      got >= wanted ? 0 : nextFreeMs === null ? this.pollMs : Math.ceil(nextFreeMs);
    // While a 429 pauses the app no row is counted free, so only the pause says how long to wait: the windows'
    // "next row to free" would be the minute window's, a minute away, although other rows are free.
    const waitMs =
      row.paused_ms > 0
        ? Math.ceil(row.paused_ms)
        : Math.max(
            windowWait(Number(row.seconds), row.second_free_ms),
            windowWait(Number(row.minutes), row.minute_free_ms),
          );
    return { leases: row.leases ?? [], waitMs: Math.max(1, waitMs) };
  }

  private slot(lease: string): SharedSendSlot {
    let released = false;
    return {
      release: (used) => {
        if (released) return;
        released = true;
        this.giveBack(lease, used);
      },
    };
  }

  private giveBack(lease: string, used: boolean): void {
    this.releases.push({ lease, used, endedAt: performance.now() });
    this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
  }

  /** Every slot given back since the last statement, in one statement, each freed one window after its end. */
  private async flush(): Promise<void> {
    while (this.releases.length) {
      const batch = this.releases.splice(0);
      const now = performance.now();
      try {
        await this.db.query(RELEASE, [
          this.opts.appId,
          batch.map((r) => r.lease),
          batch.map((r) => Math.round(now - r.endedAt)),
          batch.map((r) => r.used),
        ]);
      } catch (error) {
        this.outage(`could not give back ${batch.length} send slots (they free when their lease ends)`, error);
      }
    }
  }

  private outage(what: string, error: unknown): void {
    if (Date.now() - this.lastOutageLog < 60_000) return;
    this.lastOutageLog = Date.now();
    this.log(`feishu send budget (app ${this.opts.appId}): ${what}: ${(error as Error)?.message ?? String(error)}`);
  }
}

/**
 * The app's shared budget on a small pool of its own (the sends must not queue behind the app's queries);
 * `close` gives back what is held and ends the pool.
 */
export function openSharedSendBudget(
  databaseUrl: string,
  opts: SharedBudgetOptions,
): { budget: PostgresSendBudget; close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  const log = opts.log ?? ((line: string) => console.warn(line));
  pool.on('error', (error) => log(`feishu send budget: an idle database connection dropped: ${error.message}`));
  const budget = new PostgresSendBudget(pool, { ...opts, log });
  return {
    budget,
    async close() {
      await budget.close();
      await pool.end();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
