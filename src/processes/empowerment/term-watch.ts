import { proxyActivities } from '@temporalio/workflow';
import type { EmpowermentTermActivities } from './term-activities';

// Run daily by a Temporal Schedule: 委托 terms ending (90/30/7 days, expired) and letters filed late. The
// activity records each notice as decided with the messages it owes, and each message as given only once Feishu
// accepted it: a retry sends only what is still owed, and a rerun on the same day tells nobody twice.

const { sendEmpowermentTermNotices } = proxyActivities<EmpowermentTermActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export async function empowermentTermWatchWorkflow(): Promise<{
  terms: number;
  filings: number;
  messages: number;
  owed?: string[];
}> {
  return sendEmpowermentTermNotices({ asOf: new Date().toISOString() });
}
