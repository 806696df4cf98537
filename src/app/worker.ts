import { existsSync } from 'node:fs';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type LogEntry,
  type WorkerOptions,
} from '@temporalio/worker';
import { fromProjectRoot } from '../platform/project-root';
import { metrics } from '../platform/metrics';
import { freePort } from '../platform/net';
import type { Activities } from '../processes';
import type { TemporalConnectionOptions } from '../platform/temporal/connection';

// The worker runs the activities it is given (built by createActivities from real dependencies, so tests hand in
// real clients pointed at fakes) and the workflows: from the bundle `npm run build` made (dist/workflow-bundle.js)
// when LawDesk runs compiled, or bundled from the sources at start under tsx and in tests (5–12 s and ~300 MB of
// webpack, which is why a deployment runs the build).

export const WORKFLOWS_PATH = fromProjectRoot('src', 'processes', 'workflows.ts');
export const WORKFLOW_BUNDLE_PATH = fromProjectRoot('dist', 'workflow-bundle.js');

/** Running from dist/ (bundled JavaScript), not from the TypeScript sources. */
const RUNNING_COMPILED = import.meta.url.endsWith('.js');

function workflowSource(): Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle'> {
  if (RUNNING_COMPILED && existsSync(WORKFLOW_BUNDLE_PATH))
    return { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } };
  return { workflowsPath: WORKFLOWS_PATH };
}

// Sticky-cache size: every cached run holds its workflow's state in the worker's memory. A county has a few hundred
// open runs at most (cases, training years, watches); 250 keeps the busy ones warm in ~100 MB and lets the rest
// replay from history when they wake (the SDK default, up to 10,000, would let memory grow with the county).
const MAX_CACHED_WORKFLOWS = Number(process.env.TEMPORAL_MAX_CACHED_WORKFLOWS ?? 250);
// Activities one worker runs at once (the SDK's 100 by default). A notice fan-out holds its slot while it waits for
// Feishu's budget, so a lower figure makes replicas share a burst of fan-outs; too low and a case's step waits
// behind them.
const MAX_CONCURRENT_ACTIVITIES = Number(process.env.TEMPORAL_MAX_CONCURRENT_ACTIVITIES ?? 100);

// The SDK logs every state change at INFO; keep the console for what needs a person's attention. Its worker metrics
// (task slots, poll latencies, activity and workflow task outcomes) are exported by the runtime's own Prometheus
// endpoint on a loopback port and appended to our GET /metrics, so one scrape target serves both.
let runtimeInstalled = false;
async function installQuietRuntime(sdkLog?: (entry: LogEntry) => void): Promise<void> {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const port = Number(process.env.TEMPORAL_METRICS_PORT ?? 0) || (await freePort());
  try {
    Runtime.install({
      // Through the app's logger (JSON or text, redacted: the SDK's metadata carries task tokens).
      logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') ?? 'WARN', sdkLog),
      telemetryOptions: {
        metrics: {
          prometheus: { bindAddress: `127.0.0.1:${port}`, countersTotalSuffix: true, useSecondsForDurations: true },
        },
      },
    });
    metrics.append(async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
  } catch {
    // Already installed by the host (e.g. a test environment): keep theirs.
  }
}

// Shutdown (issue 18), stated for operators (README "Stopping"): activities running at SIGTERM get the grace time to
// finish; then the SDK cancels them (a fan-out stops between sends, its heartbeat tells the retry where it was); past
// the force time the worker gives up waiting and the process exits. Both fit Kubernetes' terminationGracePeriodSeconds
// (70 s in deploy/k8s/worker.yaml).
export const WORKER_SHUTDOWN_GRACE_MS = Number(process.env.WORKER_SHUTDOWN_GRACE_MS ?? 30_000);
export const WORKER_SHUTDOWN_FORCE_MS = Number(process.env.WORKER_SHUTDOWN_FORCE_MS ?? 60_000);

/** `connection`: the client's own address, TLS and API key (src/platform/temporal/connection.ts), so both reach the same server. */
export async function createWorker(opts: {
  connection: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  shutdown?: { graceMs: number; forceMs: number };
  /** Where the SDK's own log entries go (the first worker of the process decides: the runtime is global). */
  sdkLog?: (entry: LogEntry) => void;
}) {
  await installQuietRuntime(opts.sdkLog);
  const connection = await NativeConnection.connect(opts.connection);
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...workflowSource(),
    maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
    // A run's next task waits this long for the worker that has it cached before any worker may take it from
    // history. The SDK's 10 s outlasts Feishu's 3 s for a card click when that worker has died; 1 s keeps the
    // click answered (a replay of a case's history takes well under a second).
    stickyQueueScheduleToStartTimeout: '1s',
    activities: opts.activities,
    maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_ACTIVITIES,
    shutdownGraceTime: opts.shutdown?.graceMs ?? WORKER_SHUTDOWN_GRACE_MS,
    shutdownForceTime: opts.shutdown?.forceMs ?? WORKER_SHUTDOWN_FORCE_MS,
  });
  return { worker, connection };
}
