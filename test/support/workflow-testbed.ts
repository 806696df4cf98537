import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { FeishuClient } from '../../src/platform/feishu/client';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { createActivities } from '../../src/processes';
import { WORKFLOWS_PATH } from '../../src/app/worker';
import { FakeFeishu } from '../fakes/fake-feishu';
import { recordHistories } from './history-recorder';
import { createTimeSkippingEnv } from './temporal';

// What every skipped-time workflow test stands on: the Java time-skipping server, the fake Feishu, an
// embedded database of its own, and a worker with the real activities pointed at them.

export const TEST_TZ = 'Asia/Shanghai';

export interface WorkflowTestbed {
  env: TestWorkflowEnvironment;
  /** A client that does not skip time while it waits (for results that wait on a click). */
  client: Client;
  fake: FakeFeishu;
  db: Database;
  /** Starts a worker (again, after stopWorker: a restart mid-process). */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** `stickyCache`: keep workflows cached between tasks (faster; only for tests that never stop a worker mid-way). */
/** `now`: the activities' wall clock (pinned by a test whose plans must not depend on today's date). */
export async function startWorkflowTestbed(opts: {
  taskQueue: string;
  workflowsPath?: string;
  stickyCache?: boolean;
  now?: () => Date;
}): Promise<WorkflowTestbed> {
  Runtime.install({ logger: new DefaultLogger('WARN') }); // the worker's INFO lines would drown the test output
  const env = await createTimeSkippingEnv();
  const fake = await FakeFeishu.start();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-wf-'));
  const db = await openDatabase({ DATA_DIR: dataDir, DATABASE_URL: undefined });
  let worker: { worker: Worker; running: Promise<void> } | undefined;
  const bed: WorkflowTestbed = {
    env,
    client: new Client({ connection: env.connection }),
    fake,
    db,
    async startWorker() {
      const feishu = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url });
      // By default no sticky cache: the Java test server does not move tasks off a stopped worker's sticky queue.
      const cache = opts.stickyCache ? {} : { maxCachedWorkflows: 0 };
      const w = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: opts.taskQueue,
        workflowsPath: opts.workflowsPath ?? WORKFLOWS_PATH,
        activities: createActivities({ prisma: db.prisma, feishu, timeZone: TEST_TZ, now: opts.now }),
        ...cache,
      });
      worker = { worker: w, running: w.run() };
    },
    async stopWorker() {
      if (!worker) return;
      worker.worker.shutdown();
      await worker.running;
      worker = undefined;
    },
    async close() {
      await bed.stopWorker();
      await recordHistories(bed.client);
      await env.teardown();
      await db.close();
      await fake.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return bed;
}
