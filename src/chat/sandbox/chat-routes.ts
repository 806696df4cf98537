import { readdirSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { DEMO_PERSONAS } from '../../../prisma/seed/demo-county';
import type { HttpAnswer, HttpRequest, Route } from '../http-server';
import type { ChatEntry, ConversationRecord, FeishuEmulator } from './feishu-emulator';
import { p2pChatId } from './feishu-wire';
import { fromProjectRoot } from '../../platform/project-root';

// The web chat's HTTP side, mounted on the bot's own server: the page (static files from ./web), a small
// JSON API for what a person does in the Feishu client (pick who they are, type, click), and a stream of
// server-sent events so whatever the bot sends on its own appears without reloading.

const WEB_DIR = fromProjectRoot('src', 'chat', 'sandbox', 'web');
const VCHART_BUILD = createRequire(import.meta.url).resolve('@visactor/vchart/build/index.min.js');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const KEEPALIVE_MS = 20_000; // under the idle timeouts of proxies between a trainer's laptop and the room

const OpenId = z.string().regex(/^ou_[\w-]{1,80}$/, 'an open_id (ou_…)');
const SendBody = z.object({ openId: OpenId, text: z.string().trim().min(1).max(2000) });
const ActionBody = z.object({
  openId: OpenId,
  messageId: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
  tag: z.string().optional(),
  name: z.string().optional(),
  formValue: z.record(z.string(), z.unknown()).optional(),
  option: z.string().optional(),
  options: z.array(z.string()).optional(),
  inputValue: z.string().optional(),
  checked: z.boolean().optional(),
});

const json = (status: number, body: unknown): HttpAnswer => ({ status, body });

export function chatRoutes(emulator: FeishuEmulator, botEndpoint: () => string): Record<string, Route> {
  const routes: Record<string, Route> = {
    'GET /': async () => staticFile('index.html'),
    'GET /favicon.ico': async () => ({ status: 204, contentType: 'image/x-icon', raw: '' }),
    'GET /sandbox/api/people': async (ctx) => {
      const people = await ctx.prisma.officer.findMany({
        where: { openId: { not: null } },
        select: { name: true, openId: true, role: true, certNo: true, unit: { select: { name: true } } },
        orderBy: [{ unitId: 'asc' }, { id: 'asc' }],
      });
      return json(200, { personas: DEMO_PERSONAS, people: people.map((p) => ({ ...p, unit: p.unit.name })) });
    },
    'GET /sandbox/api/chat': async (_ctx, req) => {
      const openId = OpenId.safeParse(req.query.get('openId'));
      if (!openId.success) return json(400, { error: 'openId is required' });
      return json(200, { messages: emulator.conversation(openId.data) });
    },
    // The bytes of a file the bot sent (e.g. an 导出Excel workbook), so the page can offer a download.
    'GET /sandbox/api/file': async (_ctx, req) => {
      const file = emulator.uploadedFile(req.query.get('key') ?? '');
      if (!file) return json(404, { error: '文件已不在(沙箱重启后旧文件不再保留)' });
      return {
        status: 200,
        contentType: 'application/octet-stream',
        raw: file.bytes,
        headers: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}` },
      };
    },
    'POST /sandbox/api/send': async (ctx, req) => {
      const body = parse(SendBody, req);
      if (!body.success) return json(400, { error: body.error });
      try {
        return json(200, { entry: await emulator.userSendsText(botEndpoint(), body.data.openId, body.data.text) });
      } catch (error) {
        ctx.log(`沙箱: 消息未送达机器人: ${(error as Error).message}`);
        return json(502, { error: '消息未送达机器人' });
      }
    },
    // A file dropped on the page goes to the bot as a file message, as Feishu's client would send it.
    'POST /sandbox/api/send-file': Object.assign(
      async (ctx: Parameters<Route>[0], req: HttpRequest): Promise<HttpAnswer> => {
        const openId = OpenId.safeParse(req.query.get('openId'));
        const name = (req.query.get('name') ?? '').trim();
        if (!openId.success || !name) return json(400, { error: 'openId and name are required' });
        if (!req.bytes.length) return json(400, { error: '文件是空的' });
        try {
          return json(200, { entry: await emulator.userSendsFile(botEndpoint(), openId.data, name, req.bytes) });
        } catch (error) {
          ctx.log(`沙箱: 文件未送达机器人: ${(error as Error).message}`);
          return json(502, { error: '文件未送达机器人' });
        }
      },
      // Past the bot's own 10 MB limit, so the bot (not the page) tells the person the file is too large.
      { maxBodyBytes: 12 * 1024 * 1024 },
    ),
    'POST /sandbox/api/action': async (_ctx, req) => {
      const body = parse(ActionBody, req);
      if (!body.success) return json(400, { error: body.error });
      const { openId, ...action } = body.data;
      if (!emulator.messages.some((m) => m.messageId === action.messageId)) return json(404, { error: '没有这张卡片' });
      const answer = await emulator.userActsOnCard(botEndpoint(), openId, action);
      const toast =
        answer.toast ??
        (answer.status === 200 ? undefined : { type: 'error', content: `机器人没有处理(HTTP ${answer.status})` });
      return json(200, { toast, card: answer.card });
    },
    'GET /sandbox/api/stream': async (_ctx, req) => {
      const openId = OpenId.safeParse(req.query.get('openId'));
      if (!openId.success) return json(400, { error: 'openId is required' });
      return { stream: (res) => streamChat(emulator, openId.data, res) };
    },
  };
  for (const name of readdirSync(WEB_DIR)) routes[`GET /sandbox/${name}`] = async () => staticFile(name);
  // Feishu draws a card's `chart` with VChart; the page does the same with the bundled build (no internet).
  routes['GET /sandbox/vendor/vchart.js'] = async () => ({
    status: 200,
    contentType: 'text/javascript; charset=utf-8',
    raw: readFileSync(VCHART_BUILD),
  });
  return routes;
}

/** Read on every request: no build step, and an edited page shows on reload. */
function staticFile(name: string): HttpAnswer {
  const type = CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream';
  return { status: 200, contentType: type, raw: readFileSync(path.join(WEB_DIR, name)) };
}

function parse<T>(
  schema: z.ZodType<T>,
  req: HttpRequest,
): { success: true; data: T } | { success: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(req.rawBody);
  } catch {
    return { success: false, error: 'body is not JSON' };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

/** Pushes one user's chat changes: `message` (a new line, theirs or the bot's) and `update` (a card changed). */
function streamChat(emulator: FeishuEmulator, openId: string, res: http.ServerResponse): void {
  const chat = p2pChatId(openId);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const unsubscribe = emulator.onChange((record: ConversationRecord) => {
    if (record.type === 'patch') {
      const sent = emulator.messages.find((m) => m.messageId === record.patch.messageId);
      if (sent?.chatId === chat) send('update', { messageId: record.patch.messageId, content: record.patch.content });
      return;
    }
    if (record.message.chatId !== chat) return;
    const m = record.message;
    const entry: ChatEntry = {
      messageId: m.messageId,
      from: record.type === 'user' ? 'user' : 'bot',
      msgType: m.msgType,
      content: m.content,
      createdAt: m.createdAt,
    };
    send('message', entry);
  });
  const ping = setInterval(() => res.write(': ping\n\n'), KEEPALIVE_MS).unref();
  res.on('close', () => {
    clearInterval(ping);
    unsubscribe();
  });
}
