import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Activities } from './activities/index';

// The worker: bundles workflows/index.ts and runs the activities it is given (built by createActivities
// from real dependencies, so tests hand in real clients pointed at fakes).

export const WORKFLOWS_PATH = fileURLToPath(new URL('./index.ts', import.meta.url));

export async function createWorker(opts: { address: string; namespace: string; taskQueue: string; activities: Activities }) {
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: opts.activities,
    bundlerOptions: { ignoreModules: [] },
  });
  return { worker, connection };
}
