import http from 'node:http';
import type { ChatContext } from './context';
import { liveness, readiness } from './health';
import { metrics, PROMETHEUS_CONTENT_TYPE } from '../platform/metrics';
import { countUnfinishedDeliveries, pruneDeliveries } from './delivery-ledger';
import { receiveLegacyCard } from './legacy-card';
import { receiveEvent, type RawRequest, type WebhookAnswer } from './webhook';

// The contract's HTTP paths. Kept to node:http: a handful of routes do not need a framework.

const MAX_BODY_BYTES = 1024 * 1024; // Feishu events are small; anything bigger is refused unread.
// Old delivery ids are forgotten on a timer of their own, never on an event's path (any replica may do it).
const PRUNE_FIRST_AFTER_MS = 30_000;
const PRUNE_EVERY_MS = 3_600_000;

export interface HttpRequest extends RawRequest {
  query: URLSearchParams;
  /** The body as received (a file the sandbox page uploads is not text). */
  bytes: Buffer;
}
/** A body that is not JSON (the sandbox's page, scripts and styles). */
export interface RawAnswer {
  status: number;
  contentType: string;
  raw: string | Buffer;
  headers?: Record<string, string>;
}
/** A response kept open (server-sent events); ended by the route, by the client, or when the server closes. */
export interface StreamAnswer {
  stream: (res: http.ServerResponse) => void;
}
export type HttpAnswer = WebhookAnswer | RawAnswer | StreamAnswer;
/** A route takes at most 1 MiB of body unless it names its own limit (the sandbox's file upload). */
export type Route = ((ctx: ChatContext, req: HttpRequest) => Promise<HttpAnswer>) & { maxBodyBytes?: number };

const ROUTES: Record<string, Route> = {
  'POST /webhook/event': receiveEvent,
  'POST /webhook/card': receiveLegacyCard,
  // Alive, whatever the dependencies; ready (src/chat/health.ts): not stopping, database, Temporal, Feishu's token.
  'GET /healthz': async () => liveness(),
  'GET /readyz': async (ctx) =>
    readiness({
      prisma: ctx.prisma,
      temporal: ctx.temporal,
      feishu: ctx.config.sandbox ? undefined : ctx.feishu,
      lifecycle: ctx.lifecycle,
    }),
  // Prometheus (src/platform/metrics.ts), the Temporal SDK's worker metrics appended when a worker runs here.
  'GET /metrics': async () => ({ status: 200, contentType: PROMETHEUS_CONTENT_TYPE, raw: await metrics.render() }),
};

export interface HttpServerOptions {
  /** Extra routes (the sandbox adds its page and emulator here). */
  extraRoutes?: Record<string, Route>;
}

// Open streams would keep close() waiting forever: this server ends them when asked to close. Work on events Feishu
// already has its 200 for (the replies) is owed: close() calls back only when that is done too, so a bot stopped by
// SIGTERM finishes the answers it promised instead of exiting with them (Feishu does not deliver an answered event again).
class LawDeskServer extends http.Server {
  readonly streams = new Set<http.ServerResponse>();
  readonly owed = new Set<Promise<void>>();
  override close(callback?: (error?: Error) => void): this {
    for (const res of this.streams) res.end();
    return super.close((error) => void this.settleOwed().then(() => callback?.(error)));
  }
  private async settleOwed(): Promise<void> {
    while (this.owed.size) await Promise.allSettled([...this.owed]);
  }
}

export function createHttpServer(ctx: ChatContext, opts: HttpServerOptions = {}): http.Server {
  const routes: Record<string, Route> = { ...ROUTES, ...opts.extraRoutes };
  const server: LawDeskServer = new LawDeskServer(async (req, res) => {
    const url = new URL(`http://localhost${req.url?.startsWith('/') ? req.url : '/'}`); // '//x' stays a path
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return send(res, 404, { error: 'not found' });
    let bytes: Buffer;
    try {
      bytes = await readBody(req, route.maxBodyBytes ?? MAX_BODY_BYTES);
    } catch (error) {
      return send(res, 413, { error: (error as Error).message });
    }
    let answer: HttpAnswer;
    try {
      answer = await route(ctx, {
        headers: req.headers,
        rawBody: bytes.toString('utf8'),
        bytes,
        query: url.searchParams,
      });
    } catch (error) {
      ctx.log(`处理请求失败 ${req.method} ${req.url}: ${(error as Error).stack ?? error}`);
      return send(res, 500, { error: 'internal error' });
    }
    if ('stream' in answer) {
      server.streams.add(res);
      res.on('close', () => server.streams.delete(res));
      return answer.stream(res);
    }
    if ('raw' in answer) {
      res.writeHead(answer.status, {
        'content-type': answer.contentType,
        'content-length': Buffer.byteLength(answer.raw),
        'cache-control': 'no-cache',
        ...answer.headers,
      });
      return res.end(answer.raw);
    }
    send(res, answer.status, answer.body);
    const owed = answer.after?.().catch((error) => ctx.log(`处理事件失败: ${(error as Error).stack ?? error}`));
    if (owed) {
      server.owed.add(owed);
      void owed.finally(() => server.owed.delete(owed));
    }
  });
  prunePeriodically(ctx, server);
  return server;
}

function prunePeriodically(ctx: ChatContext, server: http.Server): void {
  const prune = async () => {
    try {
      const pruned = await pruneDeliveries(ctx.prisma);
      if (pruned) ctx.log(`已清理 ${pruned} 条过期的事件记录`);
      // Work lost with a process that died after Feishu had its 200 is finished only if Feishu delivers it again:
      // say so rather than let it pass unseen.
      const unfinished = await countUnfinishedDeliveries(ctx.prisma, new Date(Date.now() - PRUNE_EVERY_MS));
      if (unfinished)
        ctx.log(`注意: 过去一小时有 ${unfinished} 个已确认的飞书事件没有处理完(进程中途退出?),飞书重发时会再处理`);
    } catch (error) {
      ctx.log(`清理事件记录失败: ${(error as Error).message}`);
    }
  };
  let timers: NodeJS.Timeout[] = [];
  server.on('listening', () => {
    timers = [setTimeout(prune, PRUNE_FIRST_AFTER_MS).unref(), setInterval(prune, PRUNE_EVERY_MS).unref()];
  });
  server.on('close', () => timers.forEach(clearTimeout));
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new Error(`body larger than ${maxBytes === MAX_BODY_BYTES ? '1 MiB' : `${Math.round(maxBytes / 1048576)} MiB`}`);
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.destroy();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
