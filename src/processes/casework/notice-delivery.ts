import { ApplicationFailure, Context } from '@temporalio/activity';
import type { FeishuClient } from '../../platform/feishu/client';
import type { PrismaClient } from '../../platform/db/database';
import { markGiven, noteFailure, owedUnder, stillOwed } from './notice-store';

// Delivering what a watch or checkpoint owes (src/processes/casework/notice-store.ts): every owed message of a topic goes through
// the paced fan-out (the app's 50/s and 1,000/min, each send waiting up to 3 minutes for a slot), and each is
// marked given as Feishu accepts it. What is still owed afterwards fails the attempt, so Temporal's retry sends
// only that, under the same uuid; the last attempt hands it back in the result instead of failing the run (a
// person Feishu keeps refusing must not stop everyone else's notices, and tomorrow's run tries again).

/** Attempts that try again for what is still owed; the last one returns it as owed. */
export const OWED_ATTEMPTS = 5;
const ALIVE_EVERY_MS = 10_000;

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called directly (a CLI command, a test): no heartbeats, no retries
  }
}

/** The workflow this activity works for, as the rows record it; 'direct' outside an activity. */
export function currentRun(): string {
  return activityContext()?.info.workflowExecution?.workflowId ?? 'direct';
}

/** Tells Temporal the activity is still working (deciding who is owed what, over thousands of rows). */
export function stillWorking(details?: unknown): void {
  activityContext()?.heartbeat(details);
}

/** Sends what `topic` still owes; returns the open_ids still owed after the last attempt (else throws to retry). */
export async function deliverOwed(prisma: PrismaClient, feishu: FeishuClient, topic: string): Promise<string[]> {
  const context = activityContext();
  const run = currentRun();
  const owed = await owedUnder(prisma, topic);
  if (!owed.length) return [];
  let progress = { topic, done: 0, total: owed.length };
  // A send may wait a minute or more for the budget: the heartbeat says the worker is alive, not that it moved.
  const alive = context && setInterval(() => context.heartbeat(progress), ALIVE_EVERY_MS);
  try {
    const result = await feishu.sendMany(
      owed.map((m) => ({ openId: m.openId, card: m.card, text: m.text, uuid: m.key })),
      {
        // Cancelled, or the worker stopping past its grace time: stop between sends; what was given is recorded, so
        // the retry (on any worker, once the heartbeat times out) sends only the rest.
        signal: context?.cancellationSignal,
        onSent: (m, messageId) => markGiven(prisma, m.uuid, run, messageId),
        onProgress: (done, total) => {
          progress = { topic, done, total };
          context?.heartbeat(progress);
        },
      },
    );
    for (const failure of result.failed) await noteFailure(prisma, topic, failure.openId, failure.error);
  } finally {
    if (alive) clearInterval(alive);
  }
  const left = await stillOwed(prisma, topic);
  if (left.length && context && context.info.attempt < OWED_ATTEMPTS) {
    throw ApplicationFailure.retryable(
      `${topic}: ${left.length} recipient(s) still owed a notice Feishu has not accepted`,
      'NoticesOwed',
    );
  }
  return left;
}
