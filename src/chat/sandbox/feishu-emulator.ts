// A Feishu (飞书) Open Platform emulator at the wire, on plain node:http: the sandbox's Feishu and the tests'
// fake (test/fakes/fake-feishu re-exports it). The real @larksuiteoapi/node-sdk Client is pointed at it
// (`new lark.Client({ appId, appSecret, domain: emulator.url })`); sendEvent delivers signed, optionally
// encrypted events to a bot's endpoint as Feishu does, and the user* methods do what a person in the Feishu
// client would. The endpoints live in ./feishu-emulator-api, envelopes and crypto in ./feishu-wire.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendConversation, readConversation } from './conversation-log';
import {
  FeishuApi,
  type ConversationRecord,
  type EmulatedUser,
  type Reply,
  type SentMessage,
  type UploadedFile,
} from './feishu-emulator-api';
import { MessageRateLimits, type RateLimits } from './feishu-rate-limits';
import {
  ERR,
  cardActionEvent,
  encryptBody,
  messageReceiveEvent,
  newMessageId,
  p2pChatId,
  randomHex,
  signBody,
  type FeishuEvent,
} from './feishu-wire';
import { parseMultipart, readBody } from './http-body';

export type {
  ConversationRecord,
  EmulatedUser,
  SentMessage,
  UserMessage,
  CardPatch,
  UploadedFile,
} from './feishu-emulator-api';

export interface EmulatorOptions {
  appId?: string;
  appSecret?: string;
  encryptKey?: string;
  verificationToken?: string;
  users?: EmulatedUser[];
  port?: number;
  /** JSON-lines file of the conversation: read back at start, appended to on every change (sandbox). */
  conversationFile?: string;
  /** Keep every request in `requests` (tests inspect them); a long-running sandbox turns this off. */
  recordRequests?: boolean;
  /** Any mobile number is a known user (open_id `ou_m<mobile>`): the sandbox has no real directory. */
  everyMobileIsAUser?: boolean;
  /** Feishu's per-app send limits (e.g. 50/s, 1,000/min) on message create and reply; none by default. */
  rateLimits?: RateLimits;
}
/** One line of a chat as its user sees it: the card or text as it is now. */
export interface ChatEntry {
  messageId: string;
  from: 'user' | 'bot';
  msgType: string;
  content: any;
  createdAt: number;
}
/** What a user did on a card: a button (with its form's values when it submits one), a select, an input. */
export interface CardAction {
  messageId: string;
  value: Record<string, unknown>;
  tag?: string;
  name?: string;
  formValue?: Record<string, unknown>;
  option?: string;
  options?: string[];
  inputValue?: string;
  checked?: boolean;
}
export interface CardActionAnswer {
  status: number;
  toast?: { type: string; content: string };
  card?: unknown;
}
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

export const DEFAULT_APP_ID = 'cli_a1b2c3d4e5f60718';
export const DEFAULT_APP_SECRET = 'fake-app-secret';
export const DEFAULT_VERIFICATION_TOKEN = 'fake-verification-token';

const normPath = (p: string) => p.split('?')[0]!.replace(/\/+$/, '') || '/';

export { parseMultipart };

export class FeishuEmulator {
  /** Every request received, in order (token fetches, injected failures and 404s included). */
  readonly requests: RecordedRequest[] = [];
  /** Every message created or replied; a repeated uuid is not a second message. */
  readonly messages: SentMessage[];
  /** Every successful PATCH of a card. */
  readonly patches: { messageId: string; content: any; at: number }[];
  readonly appId: string;
  readonly appSecret: string;
  readonly encryptKey: string | undefined;
  readonly verificationToken: string;
  readonly botOpenId: string;
  private readonly api: FeishuApi;
  private injections: { match: RequestMatch; reply: InjectedReply; remaining: number }[] = [];
  private readonly listeners = new Set<(record: ConversationRecord) => void>();
  private readonly recordRequests: boolean;
  private readonly sendLimits: MessageRateLimits;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    opts: EmulatorOptions,
  ) {
    this.appId = opts.appId ?? DEFAULT_APP_ID;
    this.appSecret = opts.appSecret ?? DEFAULT_APP_SECRET;
    this.encryptKey = opts.encryptKey;
    this.verificationToken = opts.verificationToken ?? DEFAULT_VERIFICATION_TOKEN;
    this.recordRequests = opts.recordRequests ?? true;
    this.sendLimits = new MessageRateLimits(opts.rateLimits);
    this.api = new FeishuApi(this.appId, this.appSecret);
    this.api.everyMobileIsAUser = opts.everyMobileIsAUser ?? false;
    this.messages = this.api.messages;
    this.patches = this.api.patches;
    this.botOpenId = this.api.botOpenId;
    for (const u of opts.users ?? []) this.addUser(u);
    const file = opts.conversationFile;
    if (file) for (const record of readConversation(file)) this.api.restore(record);
    this.api.onRecord = (record) => {
      if (file) appendConversation(file, record);
      for (const listener of this.listeners) listener(record);
    };
  }

  static async start(opts: EmulatorOptions = {}): Promise<FeishuEmulator> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const fake = new FeishuEmulator(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, opts);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    return fake;
  }

  addUser(u: EmulatedUser): void {
    this.api.users.set(u.openId, u);
  }

  /** Calls `listener` with every new message (bot's or user's) and card update; returns the unsubscribe. */
  onChange(listener: (record: ConversationRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next `times` requests matching (method, exact path or RegExp on the path) get `reply` instead. */
  failNext(match: RequestMatch, reply: InjectedReply, times = 1): void {
    this.injections.push({ match, reply, remaining: times });
  }

  /** Feishu's rate-limit answer: HTTP 429, x-ogw-ratelimit-* headers, code 99991400. */
  rateLimitNext(match: RequestMatch, resetSeconds: number, times = 1): void {
    const headers = { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(resetSeconds) };
    this.failNext(match, { status: 429, body: ERR.rateLimited(), headers }, times);
  }

  /** Sends refused by `rateLimits` (429 answers not injected by rateLimitNext). */
  get rateLimitedCount(): number {
    return this.sendLimits.refusedCount;
  }
  setRateLimits(limits: RateLimits | undefined): void {
    this.sendLimits.limits = limits;
  }

  /** A file the bot uploaded (POST /open-apis/im/v1/files): its bytes as sent, or its name and kind too. */
  fileBytes(fileKey: string): Buffer | undefined {
    return this.api.files.get(fileKey)?.bytes;
  }
  uploadedFile(fileKey: string): UploadedFile | undefined {
    return this.api.files.get(fileKey);
  }

  /** Every token issued so far for this app id is now invalid (HTTP 400, code 99991663); fresh fetches work. */
  invalidateTokens(): void {
    this.api.invalidateTokens();
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`FeishuEmulator.waitFor: condition not met within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Messages to a user: sent to their open_id, or into (or as replies within) their p2p chat. */
  messagesTo(openId: string): SentMessage[] {
    const chat = p2pChatId(openId);
    return this.messages.filter((m) => (m.receiveIdType === 'open_id' && m.receiveId === openId) || m.chatId === chat);
  }

  /** The card as users see it now: the last PATCHed content, else the content as sent. */
  latestContent(messageId: string): any {
    const patch = this.patches.filter((p) => p.messageId === messageId).at(-1);
    return patch ? patch.content : this.api.byId.get(messageId)?.content;
  }

  /** A user's p2p chat with the bot, oldest first: what they typed and what the bot sent, cards as updated. */
  conversation(openId: string): ChatEntry[] {
    const chat = p2pChatId(openId);
    const fromUser = this.api.userMessages
      .filter((m) => m.chatId === chat)
      .map((m): ChatEntry => ({
        messageId: m.messageId,
        from: 'user',
        msgType: m.msgType,
        content: m.content,
        createdAt: m.createdAt,
      }));
    const fromBot = this.messagesTo(openId).map((m): ChatEntry => ({
      messageId: m.messageId,
      from: 'bot',
      msgType: m.msgType,
      content: this.latestContent(m.messageId),
      createdAt: m.createdAt,
    }));
    return [...fromUser, ...fromBot].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** A user types text to the bot: recorded in their chat, then delivered as a signed (encrypted when keyed) event. */
  async userSendsText(botEndpoint: string, openId: string, text: string): Promise<ChatEntry> {
    const message = {
      messageId: newMessageId(),
      openId,
      chatId: p2pChatId(openId),
      msgType: 'text',
      content: { text },
      createdAt: Date.now(),
    };
    this.api.recordUserMessage(message);
    const event = messageReceiveEvent({ openId, text, messageId: message.messageId, chatId: message.chatId });
    const res = await this.sendEvent(botEndpoint, event, { encrypt: Boolean(this.encryptKey) });
    if (res.status !== 200) throw new Error(`bot answered ${res.status}: ${res.body.slice(0, 200)}`);
    return {
      messageId: message.messageId,
      from: 'user',
      msgType: 'text',
      content: message.content,
      createdAt: message.createdAt,
    };
  }

  /** A user sends a file (e.g. a workbook) to the bot: the bytes are kept under a new file_key, then the event goes out. */
  async userSendsFile(botEndpoint: string, openId: string, fileName: string, bytes: Buffer): Promise<ChatEntry> {
    const fileKey = `file_v3_00${randomHex(2)}_${randomHex(16)}`;
    this.api.files.set(fileKey, { fileKey, fileName, fileType: /\.xlsx?$/i.test(fileName) ? 'xls' : 'stream', bytes });
    const content = { file_key: fileKey, file_name: fileName };
    const message = {
      messageId: newMessageId(),
      openId,
      chatId: p2pChatId(openId),
      msgType: 'file',
      content,
      createdAt: Date.now(),
    };
    this.api.recordUserMessage(message);
    const event = messageReceiveEvent({
      openId,
      text: '',
      messageId: message.messageId,
      chatId: message.chatId,
      messageType: 'file',
      content,
    });
    const res = await this.sendEvent(botEndpoint, event, { encrypt: Boolean(this.encryptKey) });
    if (res.status !== 200) throw new Error(`bot answered ${res.status}: ${res.body.slice(0, 200)}`);
    return { messageId: message.messageId, from: 'user', msgType: 'file', content, createdAt: message.createdAt };
  }

  /**
   * A user acts on a card: card.action.trigger goes to the bot, and its answer is applied as Feishu does —
   * `card: { type: 'raw', data }` replaces the card in place; the toast goes back to the caller to show.
   */
  async userActsOnCard(botEndpoint: string, openId: string, action: CardAction): Promise<CardActionAnswer> {
    const sent = this.api.byId.get(action.messageId);
    if (!sent) throw new Error(`no card ${action.messageId}`);
    const event = cardActionEvent({ openId, chatId: sent.chatId, ...action });
    const res = await this.sendEvent(botEndpoint, event, { encrypt: Boolean(this.encryptKey) });
    let answer: { toast?: CardActionAnswer['toast']; card?: { type?: string; data?: unknown } } = {};
    try {
      answer = res.body ? JSON.parse(res.body) : {};
    } catch {
      /* a non-JSON answer carries no toast or card */
    }
    const card = answer.card?.type === 'raw' && answer.card.data ? answer.card.data : undefined;
    if (res.status === 200 && card) this.api.recordPatch(action.messageId, card);
    return { status: res.status, toast: answer.toast, card };
  }

  /**
   * POST an event (or url_verification) to a bot as Feishu does. An empty header.token / header.app_id
   * is filled with this fake's verification token / app id. With `encrypt`, the body becomes
   * {"encrypt": ...}. X-Lark-Signature = sha256(timestamp + nonce + encryptKey + raw body).
   */
  async sendEvent(
    botEndpoint: string,
    event: FeishuEvent | object,
    opts: { encrypt?: boolean; badSignature?: boolean; timestamp?: number } = {},
  ): Promise<{ status: number; body: string }> {
    const env = structuredClone(event) as Record<string, any>;
    if (env.header) {
      env.header.token ||= this.verificationToken;
      env.header.app_id ||= this.appId;
    }
    const m = env.event?.message;
    if (m?.message_id && m?.chat_id) this.api.incomingChats.set(m.message_id, m.chat_id); // so the bot may reply
    let body = JSON.stringify(env);
    if (opts.encrypt) {
      if (!this.encryptKey) throw new Error('sendEvent({ encrypt: true }) needs FeishuEmulator.start({ encryptKey })');
      body = JSON.stringify({ encrypt: encryptBody(this.encryptKey, body) });
    }
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = randomHex(8);
    let signature = signBody(this.encryptKey ?? '', timestamp, nonce, body);
    if (opts.badSignature) signature = (signature[0] === '0' ? '1' : '0') + signature.slice(1);
    const res = await fetch(botEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-lark-request-timestamp': timestamp,
        'x-lark-request-nonce': nonce,
        'x-lark-signature': signature,
      },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  /** Clears recorded requests/messages/patches, pending injections, the uuid dedupe and rate-limit windows. */
  reset(): void {
    this.requests.length = 0;
    this.messages.length = 0;
    this.patches.length = 0;
    this.api.userMessages.length = 0;
    this.injections = [];
    this.api.byUuid.clear();
    this.api.files.clear();
    this.sendLimits.clear();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const u = new URL(req.url ?? '/', this.url);
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
    if (this.recordRequests)
      this.requests.push({
        method,
        path,
        query: Object.fromEntries(u.searchParams),
        headers: { ...req.headers },
        body,
      });

    const inj = this.injections.find((i) => i.remaining > 0 && this.matches(i.match, method, path));
    let reply: Reply;
    if (inj) {
      inj.remaining -= 1;
      this.injections = this.injections.filter((i) => i.remaining > 0);
      reply = inj.reply;
    } else {
      const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, any>) : {};
      reply =
        this.sendLimits.refuse(method, path) ??
        this.api.route(method, path, u.searchParams, b, req.headers.authorization);
    }
    const text = typeof reply.body === 'string';
    const bytes = Buffer.isBuffer(reply.body);
    res.writeHead(reply.status, {
      'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      'x-tt-logid': randomHex(12),
      ...reply.headers,
    });
    res.end(text || bytes ? (reply.body as string | Buffer) : JSON.stringify(reply.body));
  }

  private matches(m: RequestMatch, method: string, path: string): boolean {
    if (m.method && m.method.toUpperCase() !== method) return false;
    return typeof m.path === 'string' ? normPath(m.path) === path : m.path.test(path);
  }
}
