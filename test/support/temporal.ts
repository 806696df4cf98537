// Temporal servers for tests.
//
// startTestTemporal(): a real dev server (`temporal server start-dev`), in memory, on a free port — full server
//   features (Schedules, visibility/list, search attributes), real time.
// createTimeSkippingEnv(): the Java time-skipping test server (no Schedules, no list API), for timers of days.
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { findTestServerWrapper } from '../../src/platform/temporal/binaries';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/platform/temporal/dev-server';

export type { DevServer, DevServerOptions };

/**
 * A fresh in-memory dev server on a free port with namespace `default`. Server output goes to
 * `opts.log` (default: only when LAWDESK_TEST_TEMPORAL_LOG is set).
 */
export function startTestTemporal(
  opts: Omit<DevServerOptions, 'dbFilename' | 'port'> & { dbFilename?: string } = {},
): Promise<DevServer> {
  const log =
    opts.log ??
    (process.env.LAWDESK_TEST_TEMPORAL_LOG ? (line: string) => console.error(`[temporal] ${line}`) : undefined);
  return startDevServer({ namespace: 'default', ...opts, port: 0, log });
}

/**
 * A time-skipping test environment. Uses the Java test server installed by `npm run setup` when present
 * (`$CACHE/temporal-test-server/test-server.sh`), else the SDK's default (a download at run time).
 * Call `env.teardown()` when done.
 */
export function createTimeSkippingEnv(
  opts: TimeSkippingTestWorkflowEnvironmentOptions = {},
): Promise<TestWorkflowEnvironment> {
  const wrapper = findTestServerWrapper();
  const server =
    wrapper && !opts.server?.executable
      ? { ...opts.server, executable: { type: 'existing-path' as const, path: wrapper } }
      : opts.server;
  return TestWorkflowEnvironment.createTimeSkipping({ ...opts, server });
}
