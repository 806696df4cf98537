// Locates the Temporal binaries installed by `npm run setup` (scripts/setup.sh).
//
// The download cache lives outside the git clone, in ${LAWDESK_CACHE:-$HOME/.cache/lawdesk}:
//   bin/temporal                              Temporal CLI (dev server), from `go install`
//   temporal-test-server/test-server.sh       wrapper around the Java time-skipping test server jars
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The download cache root: `$LAWDESK_CACHE`, else `$HOME/.cache/lawdesk`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.LAWDESK_CACHE?.trim();
  if (override) return override;
  const home = env.HOME?.trim() || homedir();
  return join(home, '.cache', 'lawdesk');
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds an executable named `name` on `env.PATH`, like `command -v`. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.PATH ?? '';
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The Temporal CLI to run `temporal server start-dev` with:
 * `$TEMPORAL_CLI_PATH` (when it is an executable file) → `temporal` on PATH → `$CACHE/bin/temporal`.
 * `undefined` when none exists (callers may then fall back to the SDK's own download).
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TEMPORAL_CLI_PATH?.trim();
  if (explicit && isExecutableFile(explicit)) return explicit;
  const onPath = findOnPath('temporal', env);
  if (onPath) return onPath;
  const cached = join(cacheDir(env), 'bin', 'temporal');
  if (isExecutableFile(cached)) return cached;
  return undefined;
}

/**
 * The wrapper script that runs the Java time-skipping test server:
 * `$TEMPORAL_TEST_SERVER_PATH` (when it is an executable file) → `$CACHE/temporal-test-server/test-server.sh`.
 * `undefined` when not installed (callers may then let the SDK download its default test server).
 */
export function findTestServerWrapper(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TEMPORAL_TEST_SERVER_PATH?.trim();
  if (explicit && isExecutableFile(explicit)) return explicit;
  const cached = join(cacheDir(env), 'temporal-test-server', 'test-server.sh');
  if (isExecutableFile(cached)) return cached;
  return undefined;
}
