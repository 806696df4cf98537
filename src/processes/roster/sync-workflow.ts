import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RosterActivities } from './activities';
import { chunk } from '../../core/table-rows';
import { OPEN_ID_BATCH_SIZE, type RosterSyncInput, type RosterSyncResult } from './contract';

// After a roster import: find officers with a mobile but no open_id and ask Feishu who they are, 50 at a
// time. Each batch is one activity, retried on its own, so a Feishu outage halfway loses nothing done.

const { listOfficersToResolve, resolveOpenIds } = proxyActivities<RosterActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export async function rosterSyncWorkflow(input: RosterSyncInput): Promise<RosterSyncResult> {
  const pending = await listOfficersToResolve();
  const result: RosterSyncResult = { checked: pending.length, resolved: 0, notFound: 0, conflicts: 0 };
  for (const batch of chunk(pending, OPEN_ID_BATCH_SIZE)) {
    const done = await resolveOpenIds({ batch, requestedBy: input.requestedBy, workflowId: workflowInfo().workflowId });
    result.resolved += done.resolved;
    result.notFound += done.notFound;
    result.conflicts += done.conflicts;
  }
  return result;
}
