import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../src/app/worker';
import * as workflows from '../../src/processes/workflows';
import { HISTORIES_DIR } from '../support/history-recorder';

// Every workflow's recorded history (test/support/history-recorder.ts) replays on today's code: a change that would
// make a running case fail its replay (a new activity before an old one, a timer moved, a patch removed) fails here.

const recorded = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.binpb'));

it('every workflow the worker runs has a recorded history', () => {
  expect(recorded.map((f) => f.replace(/\.binpb$/, '')).sort()).toEqual(Object.keys(workflows).sort());
});

it("the recorded histories replay on today's workflow code", async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const histories = recorded.map((file) => ({
    workflowId: file,
    history: temporal.api.history.v1.History.decode(readFileSync(path.join(HISTORIES_DIR, file))),
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
}, 120_000);
