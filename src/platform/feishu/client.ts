import * as lark from '@larksuiteoapi/node-sdk';
import { fanOut, type FanOutMessage, type FanOutOptions, type FanOutResult } from './fan-out';
import { sendBudgetFor, type AppSendBudget, type SendLimits, type SharedSendBudget } from './message-sender';

// The one place LawDesk talks to Feishu's HTTP API, through the official SDK. Errors come out as one of
// three kinds, kept apart on purpose: Feishu said no (FeishuApiError: code + msg + log_id), the network failed
// (FeishuNetworkError), or anything else (our bug, rethrown as is).

export { FeishuApiError, FeishuNetworkError, type Card } from './errors';
import { FeishuApiError, FeishuNetworkError, type Card } from './errors';
import { feishuSends } from '../metrics';

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  domain: string;
  /** Feishu's per-app send limits (50/s, 1,000/min) unless given; shared by every client of this app id. */
  limits?: SendLimits;
  /** How long one send may wait for a slot or retries before Feishu's refusal is thrown (default 5 s). */
  maxSendWaitMs?: number;
  /** The app's budget shared with its other processes (PostgreSQL); without it this process paces alone. */
  sharedBudget?: SharedSendBudget;
}

/** Feishu's kinds of im file: 'xls' covers .xlsx, 'stream' anything without a kind of its own. */
export type FeishuFileType = 'opus' | 'mp4' | 'pdf' | 'doc' | 'xls' | 'ppt' | 'stream';

export class FeishuClient {
  readonly sdk: lark.Client;
  // Our own token cache: the SDK keeps using a cached token Feishu has invalidated (99991663) until the
  // entry is dropped, so on that answer we clear it and try once more.
  private readonly tokenCache = new lark.DefaultCache();
  private readonly sendBudget: AppSendBudget;
  private readonly maxSendWaitMs: number | undefined;

  constructor(opts: FeishuClientOptions) {
    this.sendBudget = sendBudgetFor(opts.appId, opts.limits, opts.sharedBudget);
    this.maxSendWaitMs = opts.maxSendWaitMs;
    this.sdk = new lark.Client({
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: opts.domain,
      cache: this.tokenCache,
      loggerLevel: lark.LoggerLevel.error,
    });
  }

  /** Whether Feishu gives this app a tenant token (cached by the SDK for ~2 h): the readiness probe's Feishu check. */
  async hasTenantToken(): Promise<boolean> {
    const tokens = this.sdk.tokenManager as { getTenantAccessToken(): Promise<string | undefined> };
    return Boolean(await tokens.getTenantAccessToken());
  }

  /** Sends a card to one user. `uuid` makes a retried send the same message (Feishu dedupes for 1 h). */
  async sendCard(openId: string, card: Card, uuid?: string): Promise<string> {
    return this.send(openId, 'interactive', JSON.stringify(card), uuid);
  }

  async sendText(openId: string, text: string, uuid?: string): Promise<string> {
    return this.send(openId, 'text', JSON.stringify({ text }), uuid);
  }

  /**
   * Sends each message (a card or a text) to its user within the app's limits, carrying on past failures:
   * a digest to thousands. Every message needs its own uuid, so running it again sends nothing twice.
   */
  async sendMany(messages: FanOutMessage[], opts?: FanOutOptions): Promise<FanOutResult> {
    return fanOut(
      messages,
      (m, maxWaitMs, signal) => {
        if (m.card) return this.send(m.openId, 'interactive', JSON.stringify(m.card), m.uuid, maxWaitMs, signal);
        if (m.text !== undefined)
          return this.send(m.openId, 'text', JSON.stringify({ text: m.text }), m.uuid, maxWaitMs, signal);
        return Promise.reject(new Error('neither card nor text to send'));
      },
      opts,
    );
  }

  /**
   * Uploads a file for a file message and returns its file_key. `fileName` (with its extension) is what the
   * user sees and saves; Feishu takes up to 30 MB and no empty file.
   */
  async uploadFile(buffer: Buffer, fileName: string, fileType: FeishuFileType = 'xls'): Promise<string> {
    // The SDK hands back only the answer's `data` for uploads, so a refusal sent with HTTP 200 would arrive
    // as no file_key at all: that is still Feishu saying no, not our bug.
    const res = await this.call(
      async (): Promise<FeishuBody & { file_key?: string }> =>
        (await this.sdk.im.v1.file.create({ data: { file_type: fileType, file_name: fileName, file: buffer } })) ?? {},
    );
    if (!res.file_key) throw new FeishuApiError(-1, 'upload answered without a file_key', 200, undefined);
    return res.file_key;
  }

  /** Sends an uploaded file (see uploadFile) to one user; `uuid` as for sendCard. */
  async sendFile(openId: string, fileKey: string, uuid?: string): Promise<string> {
    return this.send(openId, 'file', JSON.stringify({ file_key: fileKey }), uuid);
  }

  /**
   * Downloads a file a user sent (message resource API). Stops reading past `maxBytes` and answers
   * 'too-large' then, so a huge file is never held in memory whole.
   */
  async downloadMessageFile(messageId: string, fileKey: string, maxBytes = Infinity): Promise<Buffer | 'too-large'> {
    let res: Awaited<ReturnType<lark.Client['im']['v1']['messageResource']['get']>>;
    try {
      res = await this.sdk.im.v1.messageResource.get({
        path: { message_id: messageId, file_key: fileKey },
        params: { type: 'file' },
      });
    } catch (error) {
      throw classify(error);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stream = res.getReadableStream();
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        stream.destroy();
        return 'too-large';
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async replyCard(messageId: string, card: Card, uuid?: string): Promise<string> {
    const res = await this.call(
      () =>
        this.sdk.im.v1.message.reply({
          path: { message_id: messageId },
          data: { msg_type: 'interactive', content: JSON.stringify(card), uuid: feishuUuid(uuid) },
        }),
      { maxWaitMs: this.maxSendWaitMs },
    );
    return res.data?.message_id ?? '';
  }

  async patchCard(messageId: string, card: Card): Promise<void> {
    await this.call(() =>
      this.sdk.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }),
    );
  }

  /** Resolves mobiles to open_ids (at most 50 per call, Feishu's limit). Unknown mobiles are left out. */
  async openIdsByMobile(mobiles: string[]): Promise<Map<string, string>> {
    if (mobiles.length > 50) throw new Error('openIdsByMobile: at most 50 mobiles per call');
    const res = await this.call(() =>
      this.sdk.contact.v3.user.batchGetId({
        params: { user_id_type: 'open_id' },
        data: { mobiles, include_resigned: false },
      }),
    );
    const found = new Map<string, string>();
    for (const user of res.data?.user_list ?? []) {
      if (user.mobile && user.user_id) found.set(user.mobile, user.user_id);
    }
    return found;
  }

  async botInfo(): Promise<{ appName?: string; openId?: string }> {
    const res = await this.call(() => this.sdk.request({ method: 'GET', url: '/open-apis/bot/v3/info' }));
    const bot = (res as { bot?: { app_name?: string; open_id?: string } }).bot;
    return { appName: bot?.app_name, openId: bot?.open_id };
  }

  /** One API call; a message (`asMessage`) goes through the app's send budget, one slot per request. */
  private async call<T extends FeishuBody | undefined | null>(
    request: () => Promise<T>,
    asMessage?: { maxWaitMs: number | undefined; signal?: AbortSignal },
  ): Promise<NonNullable<T>> {
    const once = () =>
      asMessage
        ? this.sendBudget.deliver(() => counted(call(request)), asMessage.maxWaitMs, asMessage.signal)
        : call(request);
    try {
      return await once();
    } catch (error) {
      if (!(error instanceof FeishuApiError) || !TOKEN_INVALID.has(error.code)) throw error;
      this.tokenCache.values.clear();
      return once();
    }
  }

  private async send(
    openId: string,
    msgType: string,
    content: string,
    uuid?: string,
    maxWaitMs = this.maxSendWaitMs,
    signal?: AbortSignal,
  ): Promise<string> {
    const res = await this.call(
      () =>
        this.sdk.im.v1.message.create({
          params: { receive_id_type: 'open_id' },
          data: { receive_id: openId, msg_type: msgType, content, uuid: feishuUuid(uuid) },
        }),
      { maxWaitMs, signal },
    );
    return res.data?.message_id ?? '';
  }
}

// Feishu caps `uuid` at 50 characters; our ids (workflow id + activity id) can be longer, so hash those.
function feishuUuid(uuid: string | undefined): string | undefined {
  if (!uuid || uuid.length <= 50) return uuid;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < uuid.length; i++) {
    h1 = Math.imul(h1 ^ uuid.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ uuid.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  return `${uuid.slice(0, 32)}-${h1.toString(16)}${h2.toString(16)}`.slice(0, 50);
}

/** Each request for a message, by what Feishu made of it (GET /metrics: lawdesk_feishu_sends_total). */
async function counted<T>(send: Promise<T>): Promise<T> {
  try {
    const value = await send;
    feishuSends.inc({ result: 'ok' });
    return value;
  } catch (error) {
    const rateLimited =
      error instanceof FeishuApiError && (error.httpStatus === 429 || error.code === 99991400) ? 'rate_limited' : '';
    const kind =
      error instanceof FeishuNetworkError ? 'network' : error instanceof FeishuApiError ? 'refused' : 'error';
    feishuSends.inc({ result: rateLimited || kind });
    throw error;
  }
}

const TOKEN_INVALID = new Set([99991663, 99991661, 99991668]);

interface FeishuBody {
  code?: number;
  msg?: string;
  error?: { log_id?: string };
}

async function call<T extends FeishuBody | undefined | null>(request: () => Promise<T>): Promise<NonNullable<T>> {
  let body: T;
  try {
    body = await request();
  } catch (error) {
    throw classify(error);
  }
  if (body && typeof body.code === 'number' && body.code !== 0) {
    throw new FeishuApiError(body.code, body.msg ?? '', 200, body.error?.log_id);
  }
  return body as NonNullable<T>;
}

function classify(error: unknown): Error {
  const e = error as {
    response?: { status?: number; data?: FeishuBody; headers?: Record<string, string> };
    code?: string;
    isAxiosError?: boolean;
  };
  if (e?.response) {
    const data = e.response.data ?? {};
    const headers = e.response.headers ?? {};
    const reset = Number(headers['x-ogw-ratelimit-reset']);
    return new FeishuApiError(
      data.code ?? e.response.status ?? -1,
      data.msg ?? `HTTP ${e.response.status}`,
      e.response.status,
      data.error?.log_id ?? headers['x-tt-logid'],
      Number.isFinite(reset) ? reset : undefined,
    );
  }
  if (e?.isAxiosError || (typeof e?.code === 'string' && /^E[A-Z]+/.test(e.code))) return new FeishuNetworkError(error);
  return error as Error;
}
