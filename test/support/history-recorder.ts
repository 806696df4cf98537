import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import * as workflows from '../../src/processes/workflows';

// Recorded histories for test/workflows/replay.test.ts: a change to a workflow that would break the cases already
// running in a county fails CI there. `LAWDESK_RECORD_HISTORIES=1 npx vitest run test/workflows test/integration`
// keeps, at the end of each test file, one history per workflow type that has none yet (closed runs first: they
// went the whole way). Delete a file and record again when a change is meant to start a new history (with patched()).

export const HISTORIES_DIR = fileURLToPath(new URL('../workflows/histories/', import.meta.url));
const OURS = new Set(Object.keys(workflows));

export async function recordHistories(client: Client): Promise<void> {
  if (!process.env.LAWDESK_RECORD_HISTORIES) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const namespace = client.options.namespace;
  const lists = [
    () => client.workflowService.listClosedWorkflowExecutions({ namespace, maximumPageSize: 1000 }),
    () => client.workflowService.listOpenWorkflowExecutions({ namespace, maximumPageSize: 1000 }),
  ];
  for (const list of lists) {
    // The time-skipping test server may not list; nothing is recorded from it then.
    const executions = await list().then(
      (res) => res.executions ?? [],
      () => [],
    );
    for (const execution of executions) {
      const type = execution.type?.name;
      const file = path.join(HISTORIES_DIR, `${type}.binpb`);
      if (!type || !OURS.has(type) || existsSync(file)) continue;
      const handle = client.workflow.getHandle(execution.execution!.workflowId!, execution.execution!.runId!);
      writeFileSync(file, temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
    }
  }
}
