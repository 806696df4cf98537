// Runs a local Temporal dev server (`temporal server start-dev`) as a child process.
//
// The CLI is found by findTemporalCli(), or built on first start by ensureTemporalCli() where Go is present. Only
// when neither works do we fall back to the Temporal SDK's own download (`TestWorkflowEnvironment.createLocal` with a cached download), which needs
// internet access to the CLI's release host and the @temporalio/testing package at run time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, type SearchAttributeType } from '@temporalio/common';
import { freePort } from '../net';
import { ensureTemporalCli } from './install';

export type DevServerSearchAttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface DevServerOptions {
  /** SQLite file for persistent state; omitted = in-memory (lost when the server stops). */
  dbFilename?: string;
  /** Front-end gRPC port; 0 or omitted = pick a free port. */
  port?: number;
  /** Web UI port; omitted = no UI (`--headless`); 0 = pick a free port. */
  uiPort?: number;
  /** Namespace created at start-up (default "default", which the dev server always creates anyway). */
  namespace?: string;
  /** Custom search attributes to register, e.g. `{ CaseNo: 'Keyword' }`. */
  searchAttributes?: Record<string, DevServerSearchAttributeType>;
  /** Receives every line the server prints (stdout and stderr). */
  log?: (line: string) => void;
  /** Environment used to find the CLI and to run it (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the server to accept requests (default 30 000 ms). */
  startTimeoutMs?: number;
  /** Extra arguments appended to `temporal server start-dev`. */
  extraArgs?: string[];
}

export interface DevServer {
  /** host:port of the front-end gRPC service, for `Connection.connect({ address })`. */
  address: string;
  /** Namespace that was created at start-up. */
  namespace: string;
  /** Web UI URL when a UI port was asked for. */
  uiUrl?: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). Safe to call more than once. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const TAIL_LINES = 40;
// The dev server is a Go program whose garbage collector lets the heap grow to twice what is live before collecting;
// a soft limit makes it collect and hand pages back sooner. Idle it keeps ~20 MB live, so 64 MiB costs no GC work
// at rest and only adds collections under load (measured: idle RSS 140–148 → 130 MB, bench/idle-memory.ts).
// A GOMEMLIMIT set by the user wins.
const GO_MEMORY_LIMIT = '64MiB';

export { freePort };

// Child processes still running when this Node process exits get killed, so a crashed test run leaves no
// orphan servers behind.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveChildren) {
        try {
          c.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Starts a Temporal dev server and resolves once its namespace answers `describeNamespace`. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const env = opts.env ?? process.env;
  const cli = await ensureTemporalCli(env, opts.log);
  if (!cli) return startWithSdkDownload(opts);

  // A port picked by freePort() can be taken by someone else before the server binds it: retry then.
  const autoPort = !opts.port;
  const attempts = autoPort ? 3 : 1;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await startCli(cli, opts);
    } catch (err) {
      lastError = err;
      if (!(err instanceof DevServerStartError && err.portInUse)) throw err;
    }
  }
  throw lastError;
}

class DevServerStartError extends Error {
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
    this.name = 'DevServerStartError';
  }
}

async function startCli(cli: string, opts: DevServerOptions): Promise<DevServer> {
  const env = opts.env ?? process.env;
  const namespace = opts.namespace ?? 'default';
  const port = opts.port || (await freePort());
  const uiPort = opts.uiPort === undefined ? undefined : opts.uiPort || (await freePort());
  const address = `${HOST}:${port}`;
  const startTimeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--namespace', namespace];
  args.push('--log-level', 'warn');
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (opts.dbFilename) {
    const db = resolve(opts.dbFilename);
    mkdirSync(dirname(db), { recursive: true });
    args.push('--db-filename', db);
  }
  for (const [key, type] of Object.entries(opts.searchAttributes ?? {})) {
    args.push('--search-attribute', `${key}=${type}`);
  }
  if (opts.extraArgs) args.push(...opts.extraArgs);

  const child = spawn(cli, args, { env: { GOMEMLIMIT: GO_MEMORY_LIMIT, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);

  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    opts.log?.(line);
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((r) => {
    // 'close' (not 'exit') so the output tail is complete when we report an early exit.
    child.once('close', (code, signal) => {
      exitInfo = { code, signal };
      r();
    });
    child.once('error', (err) => {
      spawnError = err;
      // 'exit' may never come when the spawn itself failed.
      if (child.pid === undefined) r();
    });
  });

  const tailText = () => (tail.length ? `\n--- server output (last ${tail.length} lines) ---\n${tail.join('\n')}` : '');

  const stop = once(async () => {
    if (exitInfo || child.pid === undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!exitInfo) child.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  });

  const deadline = Date.now() + startTimeoutMs;
  let lastProbeError: unknown;
  for (;;) {
    if (spawnError && child.pid === undefined) {
      throw new DevServerStartError(`could not run ${cli}: ${spawnError.message}`, false);
    }
    if (exitInfo) {
      const how = exitInfo.signal ? `signal ${exitInfo.signal}` : `code ${exitInfo.code}`;
      const output = tail.join('\n');
      throw new DevServerStartError(
        `temporal server start-dev exited with ${how} before it was ready (${address})${tailText()}`,
        /address already in use|bind: /i.test(output),
      );
    }
    if (Date.now() > deadline) {
      await stop();
      const why = lastProbeError instanceof Error ? `; last error: ${lastProbeError.message}` : '';
      throw new DevServerStartError(
        `temporal server start-dev did not become ready on ${address} within ${startTimeoutMs} ms${why}${tailText()}`,
        false,
      );
    }
    // Cheap TCP polling first: a gRPC connection refused early would sit in grpc-js's 1 s reconnect backoff.
    if (!(await tcpAccepts(HOST, port))) {
      await sleep(50);
      continue;
    }
    const probe = await Promise.race([probeReady(address, namespace), exited.then(() => 'exited' as const)]);
    if (probe === true) break;
    if (probe !== 'exited') lastProbeError = probe;
    await sleep(100);
  }

  return {
    address,
    namespace,
    uiUrl: uiPort === undefined ? undefined : `http://${HOST}:${uiPort}`,
    stop,
  };
}

function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolveTcp) => {
    const socket = tcpConnect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolveTcp(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** true when the server answers describeNamespace for `namespace`, else the error. */
async function probeReady(address: string, namespace: string): Promise<true | unknown> {
  const conn = Connection.lazy({ address, connectTimeout: '2s' });
  try {
    await conn.ensureConnected();
    await conn.withDeadline(Date.now() + 2_000, () => conn.workflowService.describeNamespace({ namespace }));
    return true;
  } catch (err) {
    return err;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

const SDK_SEARCH_ATTRIBUTE_TYPES: Record<DevServerSearchAttributeType, SearchAttributeType> = {
  Keyword: 'KEYWORD',
  Text: 'TEXT',
  Int: 'INT',
  Double: 'DOUBLE',
  Bool: 'BOOL',
  Datetime: 'DATETIME',
  KeywordList: 'KEYWORD_LIST',
};

/**
 * Fallback when no Temporal CLI is installed: the SDK downloads the CLI itself (needs internet) and runs it.
 * @temporalio/testing is loaded lazily, so it is needed at run time only on this path.
 */
async function startWithSdkDownload(opts: DevServerOptions): Promise<DevServer> {
  const namespace = opts.namespace ?? 'default';
  opts.log?.('no Temporal CLI found and no Go toolchain to build one; letting the Temporal SDK download one');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const port = opts.port || (await freePort());
  const uiPort = opts.uiPort === undefined ? undefined : opts.uiPort || (await freePort());
  if (opts.dbFilename) mkdirSync(dirname(resolve(opts.dbFilename)), { recursive: true });
  const testEnv = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: HOST,
      port,
      namespace,
      dbFilename: opts.dbFilename ? resolve(opts.dbFilename) : undefined,
      ui: uiPort !== undefined,
      uiPort,
      log: { format: 'pretty', level: 'warn' },
      searchAttributes: Object.entries(opts.searchAttributes ?? {}).map(([name, type]) =>
        defineSearchAttributeKey(name, SDK_SEARCH_ATTRIBUTE_TYPES[type]),
      ),
      extraArgs: opts.extraArgs,
    },
  }).catch((err: unknown) => {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI_PATH, `temporal` on PATH, $LAWDESK_CACHE/bin/temporal) and the Temporal SDK ' +
        `could not download one; run \`npm run setup\`. Cause: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  });
  return {
    address: testEnv.address,
    namespace,
    uiUrl: uiPort === undefined ? undefined : `http://${HOST}:${uiPort}`,
    stop: once(() => testEnv.teardown()),
  };
}
