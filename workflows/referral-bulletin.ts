import { proxyActivities } from '@temporalio/workflow';
import type { ReferralActivities } from './activities/referral';

// The monthly referral bulletin (issue #8 §5): on the 1st, every leader gets one card with each referral and lead
// of the month just ended (or still open in it), its stage and outcome — a bureau leader the county's, a unit
// leader their unit's. Sent once per leader and month, however often the run is retried.

const { sendReferralBulletin } = proxyActivities<ReferralActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

/** `month` 'YYYY-MM'; default: the month before today (county time). */
export async function referralBulletinWorkflow(input: { month?: string } = {}): Promise<{ month: string; sent: number }> {
  return sendReferralBulletin({ month: input.month });
}
