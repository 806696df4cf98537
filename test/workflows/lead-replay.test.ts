import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../src/app/worker';

// Runs started before the patches 'rung-due-at-once' and 'chase-due-at-once' waited on a 1 ms timer for each rung
// and chase event already past when a step opened. Such a run, recorded on that code (a lead whose late send-back
// was refused, so sign-2 opened with three 1 ms timers, then reply-2), must replay on today's code.
it("a lead recorded with 1 ms timers for passed rungs replays on today's workflow code", async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const history = temporal.api.history.v1.History.decode(
    readFileSync(new URL('./fixtures/lead-send-back-1ms-timers.binpb', import.meta.url)),
  );
  expect(
    history.events!.filter((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 1) === 0),
  ).toHaveLength(3);
  await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history, 'lead-send-back-before-patch');
}, 60_000);
