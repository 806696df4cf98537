import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { ChatContext } from '../chat/context';
import { FeishuClient } from '../platform/feishu/client';
import { CHAT_REPLY_MAX_WAIT_MS } from '../platform/feishu/message-sender';
import { openSharedSendBudget } from '../platform/feishu/shared-send-budget';
import { createHttpServer } from '../chat/http-server';
import { startSandbox } from '../chat/sandbox/sandbox';
import { startLongConnection } from '../chat/ws-receiver';
import { createActivities } from '../processes';
import { createWorker, WORKER_SHUTDOWN_FORCE_MS, WORKER_SHUTDOWN_GRACE_MS } from './worker';
import { deskSettings, type Config } from '../platform/config';
import { ensureShippedCalendar } from '../processes/casework/calendar-store';
import { openDatabase } from '../platform/db/database';
import { ensureSchedules } from './schedules';
import { openTemporal } from '../platform/temporal/client';
import { Lifecycle } from '../platform/lifecycle';
import { metrics } from '../platform/metrics';
import { createLogger, sdkLogSink } from '../platform/logger';
import { countOpenSteps } from '../processes/desk/open-steps';
import { createOpsServer } from './ops-server';

/** How long each part of a shutdown may take (README "Stopping"); tests pass shorter ones. */
export interface ShutdownTimes {
  /** The receiver's in-flight events (the replies being sent) before its connections close. */
  receiverDrainMs: number;
  workerGraceMs: number;
  workerForceMs: number;
}
export const SHUTDOWN_TIMES: ShutdownTimes = {
  receiverDrainMs: Number(process.env.RECEIVER_DRAIN_MS ?? 20_000),
  workerGraceMs: WORKER_SHUTDOWN_GRACE_MS,
  workerForceMs: WORKER_SHUTDOWN_FORCE_MS,
};

export interface LawDesk {
  ctx: ChatContext;
  /** Not ready, new events refused, in-flight work finishing (src/platform/lifecycle.ts). */
  lifecycle: Lifecycle;
  /** The HTTP port actually listened on (PORT=0 picks a free one). */
  port?: number;
  close(): Promise<void>;
}

// One assembly for every topology: `npm start` runs both parts, `npm run bot` only the receiver,
// `npm run worker` only the worker. Tests start it in-process with a fake Feishu domain.
export async function startLawDesk(
  config: Config,
  opts: { receiver: boolean; worker: boolean; log?: (line: string) => void; shutdown?: Partial<ShutdownTimes> },
): Promise<LawDesk> {
  const times: ShutdownTimes = { ...SHUTDOWN_TIMES, ...opts.shutdown };
  const lifecycle = new Lifecycle();
  // Redacted whatever the format (src/platform/logger.ts); tests pass `opts.log` to collect or drop the lines.
  const log = createLogger({
    format: config.LOG_FORMAT,
    secrets: [config.FEISHU_APP_SECRET, config.FEISHU_ENCRYPT_KEY, config.OPENAI_API_KEY, config.TEMPORAL_API_KEY],
    out: opts.log,
  });
  // No Feishu app: `npm start` runs against the built-in emulator (src/chat/sandbox); the receiver or worker alone cannot.
  if (config.sandbox && !(opts.receiver && opts.worker))
    throw new Error('没有配置飞书应用(FEISHU_APP_ID): 只有 npm start 能以沙箱模式运行');
  const db = await openDatabase(config, { log, poolSize: 8 });
  const closers: Closer[] = [['the database', () => db.close()]];
  try {
    const sandbox = config.sandbox ? await startSandbox(config, log) : undefined;
    if (sandbox) {
      closers.push(['the sandbox', () => sandbox.close()]); // last: the emulator outlives the worker's final sends
      config = sandbox.config;
    }
    const shippedYears = await ensureShippedCalendar(db.prisma);
    if (shippedYears.length) log(`工作日历: 已载入 ${shippedYears.join('、')} 年节假日安排`);
    const temporal = await openTemporal(config, { log });
    closers.unshift(['the Temporal client', () => temporal.close()]);
    // Feishu's 50/s and 1,000/min are the app's, across every bot and worker process: kept in PostgreSQL.
    const sendBudget = openSharedSendBudget(db.url, { appId: config.FEISHU_APP_ID!, log });
    closers.unshift(['the send budget', () => sendBudget.close()]); // after the server and the worker stop sending
    const feishu = new FeishuClient({
      appId: config.FEISHU_APP_ID!,
      appSecret: config.FEISHU_APP_SECRET!,
      domain: config.FEISHU_DOMAIN,
      sharedBudget: sendBudget.budget,
    });
    // Chat replies wait their turn in the app's one send budget (same app id) instead of giving up after 5 s.
    const chatFeishu = new FeishuClient({
      appId: config.FEISHU_APP_ID!,
      appSecret: config.FEISHU_APP_SECRET!,
      domain: config.FEISHU_DOMAIN,
      maxSendWaitMs: CHAT_REPLY_MAX_WAIT_MS,
    });
    // The door's own two connections (src/chat/delivery-ledger.ts): acknowledging Feishu never waits behind reply work.
    const doorPool = new pg.Pool({ connectionString: db.url, max: 2 });
    // An idle connection the server drops (a database restart, or its stop racing pg's end()) is replaced at next use;
    // without a listener pg would throw it as an uncaught error.
    doorPool.on('error', (error) => log(`事件入口的数据库连接已断开,下次使用时重连: ${error.message}`));
    closers.unshift(['the door pool', () => doorPool.end()]); // after the server stops taking events, before the database stops
    const door = (sql: string, params: unknown[]) => doorPool.query(sql, params).then((r) => r.rowCount ?? 0);
    const ctx: ChatContext = {
      config,
      prisma: db.prisma,
      feishu: chatFeishu,
      temporal: temporal.client,
      log,
      door,
      lifecycle,
    };

    let stopWorker: (() => Promise<void>) | undefined;
    let workerState: (() => string) | undefined;
    if (opts.worker) {
      const { worker, connection } = await createWorker({
        shutdown: { graceMs: times.workerGraceMs, forceMs: times.workerForceMs },
        sdkLog: sdkLogSink(log),
        connection: temporal.connectionOptions,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        activities: createActivities({
          prisma: db.prisma,
          feishu,
          timeZone: config.TZ_CALENDAR,
          desk: deskSettings(config),
        }),
      });
      const running = worker.run();
      workerState = () => worker.getState();
      // Asked to stop as soon as shutdown begins, beside the receiver's drain (see close below).
      stopWorker = async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch((error: Error) => log(`Temporal worker 停止时出错: ${error.message}`));
      };
      closers.unshift([
        'the Temporal worker',
        async () => {
          await stopWorker?.();
          await connection.close();
        },
      ]);
      log(`Temporal worker: 任务队列 ${config.TEMPORAL_TASK_QUEUE}`);
      await ensureSchedules(
        temporal.client,
        config.TEMPORAL_TASK_QUEUE,
        log,
        config.TZ_CALENDAR,
        deskSettings(config).digestAt,
      );
    }
    // Open steps by process and colour, read from the database when scraped (the desk's own judgement of colour).
    const { thresholds } = deskSettings(config);
    metrics.gauge('lawdesk_open_steps', 'Open case steps by process and desk colour (red = overdue)', () =>
      countOpenSteps(db.prisma, config.TZ_CALENDAR, thresholds),
    );
    let port: number | undefined;
    let stopReceiving: (() => Promise<void>) | undefined;
    if (opts.worker && !opts.receiver) {
      // A worker-only process still answers probes and scrapes on PORT (src/app/ops-server.ts).
      const ops = createOpsServer({
        prisma: db.prisma,
        temporal: temporal.client,
        feishu: config.sandbox ? undefined : feishu,
        lifecycle,
        workerState: () => workerState?.() ?? 'STOPPED',
      });
      port = await listen(ops, config.PORT, config.HOST);
      closers.unshift(['the probe server', () => new Promise<void>((resolve) => ops.close(() => resolve()))]);
      log(`健康检查: http://localhost:${port}/healthz · /readyz · /metrics`);
    }
    if (opts.receiver) {
      await sandbox?.seed(ctx);
      const server = createHttpServer(ctx, { extraRoutes: sandbox?.routes });
      port = await listen(server, config.PORT, sandbox?.host ?? config.HOST);
      sandbox?.deliverTo(port);
      closers.unshift(['the HTTP server', () => new Promise<void>((resolve) => server.close(() => resolve()))]);
      log(
        `飞书事件地址: http://localhost:${port}/webhook/event · 卡片回调: /webhook/card · 健康检查: /healthz · /readyz · /metrics`,
      );
      if (config.FEISHU_MODE === 'ws') {
        const ws = startLongConnection(ctx);
        // Closed when shutdown begins: an event acknowledged on the long connection is not delivered again.
        stopReceiving = async () => ws.close();
      }
    }
    let closing: Promise<void> | undefined;
    const shutDown = async () => {
      const startedAt = Date.now();
      // Ready no more at once; the receiver's in-flight events and the worker's activities finish side by side.
      lifecycle.stop();
      await stopReceiving?.().catch(() => {});
      const [drained] = await Promise.all([lifecycle.drain(times.receiverDrainMs), stopWorker?.()]);
      if (!drained.finished)
        log(`停止: ${drained.left} 个事件未在 ${times.receiverDrainMs / 1000} 秒内处理完,留待飞书重发`);
      await runAll(closers, log);
      log(`已停止 (${((Date.now() - startedAt) / 1000).toFixed(1)} 秒)`);
    };
    return { ctx, lifecycle, port, close: () => (closing ??= shutDown()) };
  } catch (error) {
    await runAll(closers, log);
    throw error;
  }
}

type Closer = [what: string, close: () => Promise<void>];

// Closing after the drain must not hold the process past its stated stop time (README "Stopping"): a pool waits for
// connections still checked out and a server for requests still open, e.g. a reply still waiting for Feishu's
// budget. Each part gets a few seconds; one that has not closed by then is named and left (the exit ends it), and
// the next is closed all the same (the embedded database last, so it is always stopped).
const CLOSE_EACH_WITHIN_MS = 3_000;

async function runAll(closers: Closer[], log: (line: string) => void): Promise<void> {
  for (const [what, close] of closers.splice(0)) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CLOSE_EACH_WITHIN_MS)));
    try {
      if ((await Promise.race([close(), late])) === 'late') log(`关闭超时,未等待: ${what}`);
    } catch (error) {
      log(`关闭时出错 (${what}): ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

function listen(server: http.Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
