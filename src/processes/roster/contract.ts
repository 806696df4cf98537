// The roster sync workflow's input, result and id: definitions only, for the workflow bundle and the app.

export interface RosterSyncInput {
  /** Who asked for it (an open_id, or 'cli'); recorded with every change. */
  requestedBy: string;
}

export interface RosterSyncResult {
  checked: number;
  resolved: number;
  notFound: number;
  conflicts: number;
}

export interface OfficerToResolve {
  certNo: string;
  mobile: string;
}

export interface ResolveBatchResult {
  resolved: number;
  notFound: number;
  conflicts: number;
}

/** Feishu's batch_get_id takes at most 50 mobiles a call. */
export const OPEN_ID_BATCH_SIZE = 50;

export function rosterSyncWorkflowId(importId: string): string {
  return `roster-sync-${importId}`;
}
