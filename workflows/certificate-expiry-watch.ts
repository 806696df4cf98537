import { proxyActivities } from '@temporalio/workflow';
import type { ExpiryActivities } from './activities/certificate-expiry';

// Run daily by a Temporal Schedule: tells officers and their unit admins once per milestone (6 months,
// 3 months, 1 month, expired) that a certificate is running out. The activity records each milestone sent,
// so a rerun on the same day tells nobody twice.

const { sendExpiryNotices } = proxyActivities<ExpiryActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export async function certificateExpiryWatchWorkflow(): Promise<{ noticed: number; messages: number }> {
  return sendExpiryNotices({ asOf: new Date().toISOString() });
}
