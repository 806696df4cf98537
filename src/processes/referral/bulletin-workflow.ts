import { proxyActivities } from '@temporalio/workflow';
import type { ReferralActivities } from './activities';

// The monthly referral bulletin (issue #8 §5): on the 1st, every leader gets one card with each referral and lead
// of the month just ended (or still open in it), its stage and outcome — a bureau leader the county's, a unit
// leader their unit's. Owed once per leader and month and given only once Feishu accepted it, however often the
// run is retried.

const { sendReferralBulletin } = proxyActivities<ReferralActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

/** `month` 'YYYY-MM'; default: the month before today (county time). */
export async function referralBulletinWorkflow(
  input: { month?: string } = {},
): Promise<{ month: string; sent: number; owed?: string[] }> {
  return sendReferralBulletin({ month: input.month });
}
