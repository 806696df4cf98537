// The emulator's door, the bot → Feishu direction: reading a request as Feishu's gateway does, the failures a
// test injects ahead of the real endpoints, and writing the reply. Apart from ./feishu-emulator because it is
// plain HTTP plumbing, the same whichever endpoint answers.
import type http from 'node:http';
import type { Reply } from './feishu-emulator-types';
import { randomHex } from './feishu-wire';
import { parseMultipart, readBody } from './http-body';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}
export interface RequestMatch {
  method?: string;
  path: string | RegExp;
}
export interface InjectedReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A request as the endpoints see it: body parsed as multipart, JSON, or else kept as text. */
export interface IncomingRequest {
  method: string;
  path: string;
  searchParams: URLSearchParams;
  body: unknown;
}

const normPath = (p: string) => p.split('?')[0]!.replace(/\/+$/, '') || '/';

export async function readRequest(req: http.IncomingMessage, baseUrl: string): Promise<IncomingRequest> {
  const raw = await readBody(req);
  const u = new URL(req.url ?? '/', baseUrl);
  const method = (req.method ?? 'GET').toUpperCase();
  const path = normPath(u.pathname); // Feishu also answers with a trailing slash
  let body: unknown;
  const contentType = req.headers['content-type'] ?? '';
  if (/^multipart\/form-data/i.test(contentType)) body = parseMultipart(raw, contentType) ?? raw.toString('utf8');
  else if (raw.length)
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = raw.toString('utf8');
    }
  return { method, path, searchParams: u.searchParams, body };
}

export function writeReply(res: http.ServerResponse, reply: Reply): void {
  const text = typeof reply.body === 'string';
  const bytes = Buffer.isBuffer(reply.body);
  res.writeHead(reply.status, {
    'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'x-tt-logid': randomHex(12),
    ...reply.headers,
  });
  res.end(text || bytes ? (reply.body as string | Buffer) : JSON.stringify(reply.body));
}

/** Replies a test asked for in place of the real answer (FeishuEmulator.failNext), each for a number of times. */
export class InjectedFailures {
  private injections: { match: RequestMatch; reply: InjectedReply; remaining: number }[] = [];

  add(match: RequestMatch, reply: InjectedReply, times: number): void {
    this.injections.push({ match, reply, remaining: times });
  }

  /** The injected reply for this request, if one matches; using it counts one of its times. */
  take(method: string, path: string): InjectedReply | undefined {
    const inj = this.injections.find((i) => i.remaining > 0 && matches(i.match, method, path));
    if (!inj) return undefined;
    inj.remaining -= 1;
    this.injections = this.injections.filter((i) => i.remaining > 0);
    return inj.reply;
  }

  clear(): void {
    this.injections = [];
  }
}

function matches(m: RequestMatch, method: string, path: string): boolean {
  if (m.method && m.method.toUpperCase() !== method) return false;
  return typeof m.path === 'string' ? normPath(m.path) === path : m.path.test(path);
}
