import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../../src/app/worker';
import { yearRound } from '../../../src/processes/empowerment/round-rules';
import { empowermentRoundsWorkflow } from '../../../src/processes/empowerment/rounds-workflow';
import { recordHistories } from '../../support/history-recorder';
import { SEARCH_ATTRIBUTES } from '../../../src/platform/temporal/search-attributes';
import { startTestTemporal, type DevServer } from '../../support/temporal';

// The yearly Schedule's workflow with its one activity stubbed: a round per township on the register, each its own
// workflow (abandoned by the parent, so it outlives it). On a dev server: the children carry search attributes,
// which the time-skipping test server does not know.

let server: DevServer;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const plan = {
  townships: ['城关镇', '河口镇'],
  config: yearRound(2026),
  startedBy: { name: '定时任务', openId: null },
};

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  server = await startTestTemporal({ searchAttributes: SEARCH_ATTRIBUTES });
  client = new Client({ connection: await Connection.connect({ address: server.address }) });
  worker = await Worker.create({
    connection: await NativeConnection.connect({ address: server.address }),
    taskQueue: 'stubbed-rounds',
    workflowsPath: WORKFLOWS_PATH,
    activities: {
      empowermentRoundPlan: async () => plan,
      // The rounds themselves are not this test's subject: they stop at their first step.
      prepareEmpowermentRound: async () => {
        throw ApplicationFailure.nonRetryable('not in this test');
      },
    },
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await recordHistories(client);
  await server?.stop();
});

it('starts one round per township on the register', async () => {
  const first = await client.workflow.execute(empowermentRoundsWorkflow, {
    taskQueue: 'stubbed-rounds',
    workflowId: `rounds-${randomUUID()}`,
    args: [{}],
  });
  expect(first).toEqual({ started: ['城关镇', '河口镇'], running: [] });
}, 120_000);
