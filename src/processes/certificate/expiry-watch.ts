import { proxyActivities } from '@temporalio/workflow';
import type { ExpiryActivities, ExpiryWatchResult } from './expiry-activities';

// Run daily by a Temporal Schedule: tells officers and their unit admins once per milestone (6 months,
// 3 months, 1 month, expired) that a certificate is running out. The activity records each milestone as
// decided together with the messages it owes, and each message as given only once Feishu accepted it: a retry
// sends only what is still owed, and a rerun on the same day tells nobody twice.

const { sendExpiryNotices } = proxyActivities<ExpiryActivities>({
  // Hundreds due at once are paced to Feishu's 1,000 a minute; the heartbeat says the worker is still at it.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export async function certificateExpiryWatchWorkflow(): Promise<ExpiryWatchResult> {
  return sendExpiryNotices({ asOf: new Date().toISOString() });
}
