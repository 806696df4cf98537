import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Activities } from './activities/index';

// The worker: bundles workflows/index.ts and runs the activities it is given (built by createActivities
// from real dependencies, so tests hand in real clients pointed at fakes).

export const WORKFLOWS_PATH = fileURLToPath(new URL('./index.ts', import.meta.url));

// The SDK logs every state change at INFO; keep the console for what needs a person's attention.
let runtimeInstalled = false;
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') ?? 'WARN') });
  } catch {
    // Already installed by the host (e.g. a test environment): keep theirs.
  }
}

export async function createWorker(opts: { address: string; namespace: string; taskQueue: string; activities: Activities }) {
  installQuietRuntime();
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: opts.activities,
  });
  return { worker, connection };
}
