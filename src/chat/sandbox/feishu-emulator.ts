// A Feishu (飞书) Open Platform emulator at the wire, on plain node:http: the sandbox's Feishu and the tests'
// fake (test/fakes/fake-feishu re-exports it). The real @larksuiteoapi/node-sdk Client is pointed at it
// (`new lark.Client({ appId, appSecret, domain: emulator.url })`); sendEvent delivers signed, optionally
// encrypted events to a bot's endpoint as Feishu does, and the user* methods do what a person in the Feishu
// client would. The endpoints live in ./feishu-emulator-api (files in ./feishu-emulator-files), the door with
// its injected failures in ./feishu-emulator-requests, the events to the bot in ./feishu-emulator-events,
// envelopes and crypto in ./feishu-wire. This class holds them together and is what callers import.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendConversation, readConversation } from './conversation-log';
import { FeishuApi } from './feishu-emulator-api';
import { BotEventSender, type CardAction, type CardActionAnswer, type ChatEntry } from './feishu-emulator-events';
import {
  InjectedFailures,
  readRequest,
  writeReply,
  type InjectedReply,
  type RecordedRequest,
  type RequestMatch,
} from './feishu-emulator-requests';
import type { ConversationRecord, EmulatedUser, Reply, SentMessage, UploadedFile } from './feishu-emulator-types';
import { MessageRateLimits, type RateLimits } from './feishu-rate-limits';
import { ERR, p2pChatId, type FeishuEvent } from './feishu-wire';
import { parseMultipart } from './http-body';

export type {
  ConversationRecord,
  EmulatedUser,
  SentMessage,
  UserMessage,
  CardPatch,
  UploadedFile,
} from './feishu-emulator-types';
export type { CardAction, CardActionAnswer, ChatEntry } from './feishu-emulator-events';
export type { InjectedReply, RecordedRequest, RequestMatch } from './feishu-emulator-requests';

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

export const DEFAULT_APP_ID = 'cli_a1b2c3d4e5f60718';
export const DEFAULT_APP_SECRET = 'fake-app-secret';
export const DEFAULT_VERIFICATION_TOKEN = 'fake-verification-token';

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
  private readonly injected = new InjectedFailures();
  private readonly listeners = new Set<(record: ConversationRecord) => void>();
  private readonly recordRequests: boolean;
  private readonly sendLimits: MessageRateLimits;
  private readonly events: BotEventSender;

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
    this.events = new BotEventSender(this.api, this);
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
    this.injected.add(match, reply, times);
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
  userSendsText(botEndpoint: string, openId: string, text: string): Promise<ChatEntry> {
    return this.events.userSendsText(botEndpoint, openId, text);
  }

  /** A user sends a file (e.g. a workbook) to the bot: the bytes are kept under a new file_key, then the event goes out. */
  userSendsFile(botEndpoint: string, openId: string, fileName: string, bytes: Buffer): Promise<ChatEntry> {
    return this.events.userSendsFile(botEndpoint, openId, fileName, bytes);
  }

  /** A user acts on a card: card.action.trigger goes to the bot, and its answer is applied as Feishu does. */
  userActsOnCard(botEndpoint: string, openId: string, action: CardAction): Promise<CardActionAnswer> {
    return this.events.userActsOnCard(botEndpoint, openId, action);
  }

  /** POST an event (or url_verification) to a bot as Feishu does: signed, and encrypted with `encrypt`. */
  sendEvent(
    botEndpoint: string,
    event: FeishuEvent | object,
    opts: { encrypt?: boolean; badSignature?: boolean; timestamp?: number } = {},
  ): Promise<{ status: number; body: string }> {
    return this.events.sendEvent(botEndpoint, event, opts);
  }

  /** Clears recorded requests/messages/patches, pending injections, the uuid dedupe and rate-limit windows. */
  reset(): void {
    this.requests.length = 0;
    this.messages.length = 0;
    this.patches.length = 0;
    this.api.userMessages.length = 0;
    this.injected.clear();
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
    const { method, path, searchParams, body } = await readRequest(req, this.url);
    if (this.recordRequests)
      this.requests.push({
        method,
        path,
        query: Object.fromEntries(searchParams),
        headers: { ...req.headers },
        body,
      });

    const inj = this.injected.take(method, path);
    let reply: Reply;
    if (inj) {
      reply = inj;
    } else {
      const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, any>) : {};
      reply =
        this.sendLimits.refuse(method, path) ??
        this.api.route(method, path, searchParams, b, req.headers.authorization);
    }
    writeReply(res, reply);
  }
}
