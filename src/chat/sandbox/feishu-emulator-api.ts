// The Open API half of the Feishu emulator: token issuing, auth, and the handful of endpoints LawDesk
// uses, answering with Feishu's { code, msg, data } shapes. Pure request -> reply; no sockets here.
// It also keeps the conversation (bot messages, user messages, card updates) and reports each new record,
// so the sandbox can persist it and push it to the browser. The im files endpoints live in
// ./feishu-emulator-files; the records and the reply shape in ./feishu-emulator-types.
import { checkFileContent, messageResource, uploadFile } from './feishu-emulator-files';
import {
  bad,
  ok,
  type CardPatch,
  type ConversationRecord,
  type EmulatedUser,
  type Reply,
  type SentMessage,
  type UploadedFile,
  type UserMessage,
} from './feishu-emulator-types';
import { ERR, FAKE_TENANT_KEY, derivedId, feishuError, newMessageId, p2pChatId, randomHex } from './feishu-wire';

const TENANT_TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const APP_TOKEN_PATH = '/open-apis/auth/v3/app_access_token/internal';
const ID_TYPES = ['open_id', 'user_id', 'union_id', 'email', 'chat_id'];
const MAX_BATCH = 50;
const ACTIVE = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };

// token -> app_id. Process-wide on purpose: the SDK caches tenant tokens in a module-global cache keyed
// by app id, so a token fetched from one fake must stay valid for the next one started in the same
// process (as a real token would for 2 hours).
const issuedTokens = new Map<string, string>();

const badContent = () =>
  bad(feishuError(230001, 'Your request contains an invalid request parameter, ext=invalid content'));

// Feishu refuses a message body past its size (230025): 150 KB for text, 30 KB for cards and rich text. A card
// that grows with its data (a township's 250 matters) must fail here in tests, not first in a county's chat.
const CONTENT_LIMIT: Record<string, number> = { text: 150 * 1024, interactive: 30 * 1024, post: 30 * 1024 };
function tooLong(msgType: string, raw: string): Reply | undefined {
  const limit = CONTENT_LIMIT[msgType];
  if (!limit || Buffer.byteLength(raw) <= limit) return undefined;
  return bad(
    feishuError(
      230025,
      `The length of the message content reaches its limit. ext=${msgType} ${Buffer.byteLength(raw)} bytes > ${limit}`,
    ),
  );
}
const normMobile = (m: string) => m.replace(/[^\d]/g, '').replace(/^86(?=1\d{10}$)/, '');

export class FeishuApi {
  readonly messages: SentMessage[] = [];
  readonly userMessages: UserMessage[] = [];
  readonly patches: CardPatch[] = [];
  readonly users = new Map<string, EmulatedUser>();
  readonly byId = new Map<string, SentMessage>();
  readonly byUuid = new Map<string, SentMessage>();
  readonly incomingChats = new Map<string, string>(); // message ids delivered to the bot -> chat id
  readonly files = new Map<string, UploadedFile>();
  readonly botOpenId = `ou_bot${randomHex(13)}`;
  /** Told of every new message and card update (after it is recorded). */
  onRecord: (record: ConversationRecord) => void = () => {};
  /** A sandbox has no real directory: with this, any mobile number is a user whose open_id derives from it. */
  everyMobileIsAUser = false;

  constructor(
    private readonly appId: string,
    private readonly appSecret: string,
  ) {}

  /** Puts back what an earlier run recorded, without reporting it again. */
  restore(record: ConversationRecord): void {
    if (record.type === 'sent') {
      this.messages.push(record.message);
      this.byId.set(record.message.messageId, record.message);
      if (record.message.uuid) this.byUuid.set(record.message.uuid, record.message);
    } else if (record.type === 'user') {
      this.userMessages.push(record.message);
      this.incomingChats.set(record.message.messageId, record.message.chatId);
    } else this.patches.push(record.patch);
  }

  recordUserMessage(message: UserMessage): void {
    this.userMessages.push(message);
    this.incomingChats.set(message.messageId, message.chatId);
    this.onRecord({ type: 'user', message });
  }

  recordPatch(messageId: string, content: unknown): void {
    const patch: CardPatch = { messageId, content, at: Date.now() };
    this.patches.push(patch);
    this.onRecord({ type: 'patch', patch });
  }

  invalidateTokens(): void {
    for (const [token, appId] of issuedTokens) if (appId === this.appId) issuedTokens.delete(token);
  }

  route(method: string, path: string, q: URLSearchParams, b: Record<string, any>, auth: string | undefined): Reply {
    if (method === 'POST' && (path === TENANT_TOKEN_PATH || path === APP_TOKEN_PATH))
      return this.issueToken(b, path === APP_TOKEN_PATH);
    const routes: [string, RegExp, (id: string) => Reply][] = [
      ['POST', /^\/open-apis\/im\/v1\/messages$/, () => this.createMessage(q, b)],
      ['POST', /^\/open-apis\/im\/v1\/files$/, () => uploadFile(this.files, b)],
      [
        'GET',
        /^\/open-apis\/im\/v1\/messages\/([^/]+\/resources\/[^/]+)$/,
        (ids) => messageResource(this.files, ids, q, (id) => this.messageContent(id)),
      ],
      ['POST', /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/, (id) => this.replyMessage(id, b)],
      ['PATCH', /^\/open-apis\/im\/v1\/messages\/([^/]+)$/, (id) => this.patchMessage(id, b)],
      ['POST', /^\/open-apis\/contact\/v3\/users\/batch_get_id$/, () => this.batchGetId(q, b)],
      ['GET', /^\/open-apis\/bot\/v3\/info$/, () => this.botInfo()],
    ];
    for (const [m, re, fn] of routes) {
      const hit = re.exec(path);
      if (!hit || m !== method) continue;
      return this.checkAuth(auth) ?? fn(decodeURIComponent(hit[1] ?? ''));
    }
    // What Feishu's gateway answers for an unknown path or a wrong method: plain text, not JSON.
    return { status: 404, body: '404 page not found' };
  }

  private issueToken(b: Record<string, any>, alsoAppToken: boolean): Reply {
    // Feishu answers token failures with HTTP 200 and a non-zero code.
    if (b.app_id !== this.appId) return { status: 200, body: { code: 10003, msg: 'invalid param', data: {} } };
    if (b.app_secret !== this.appSecret) return { status: 200, body: { code: 10014, msg: 'app secret invalid' } };
    const token = `t-g${randomHex(20)}`;
    issuedTokens.set(token, this.appId);
    const body: Record<string, unknown> = { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 };
    if (alsoAppToken) body.app_access_token = token; // self-built apps get the same value for both
    return { status: 200, body };
  }

  private checkAuth(auth: string | undefined): Reply | undefined {
    const m = /^Bearer (\S+)$/.exec(auth ?? '');
    if (!m) return bad(ERR.missingToken()); // no header, or no "Bearer " prefix
    if (issuedTokens.get(m[1]!) !== this.appId) return bad(ERR.invalidToken());
    return undefined;
  }

  private resolveChat(idType: string, id: string): string {
    if (idType === 'chat_id') return id;
    const user = [...this.users.values()].find((u) =>
      idType === 'open_id'
        ? u.openId === id
        : idType === 'email'
          ? u.email === id
          : derivedId(u.openId, idType as 'union_id' | 'user_id') === id,
    );
    return p2pChatId(user?.openId ?? id);
  }

  private createMessage(q: URLSearchParams, b: Record<string, any>): Reply {
    const idType = q.get('receive_id_type');
    if (!idType || !ID_TYPES.includes(idType))
      return bad(ERR.fieldValidation('receive_id_type', `receive_id_type must be one of ${ID_TYPES.join('|')}`));
    if (typeof b.receive_id !== 'string' || !b.receive_id)
      return bad(ERR.fieldValidation('receive_id', 'receive_id is required'));
    return this.recordMessage(b, {
      receiveId: b.receive_id,
      receiveIdType: idType,
      chatId: this.resolveChat(idType, b.receive_id),
    });
  }

  private replyMessage(parentId: string, b: Record<string, any>): Reply {
    const parent = this.byId.get(parentId);
    const chatId = parent?.chatId ?? this.incomingChats.get(parentId);
    if (!chatId) return bad(ERR.invalidMessageId(parentId)); // neither sent by the bot nor delivered to it
    const where: Partial<SentMessage> & { chatId: string } = {
      replyTo: parentId,
      chatId,
      rootId: parent?.rootId ?? parentId,
    };
    if (b.reply_in_thread === true) where.replyInThread = true;
    return this.recordMessage(b, where);
  }

  private recordMessage(b: Record<string, any>, where: Partial<SentMessage> & { chatId: string }): Reply {
    if (typeof b.msg_type !== 'string' || !b.msg_type)
      return bad(ERR.fieldValidation('msg_type', 'msg_type is required'));
    if (typeof b.content !== 'string') return bad(ERR.fieldValidation('content', 'content must be a JSON string'));
    const uuid = typeof b.uuid === 'string' && b.uuid ? b.uuid : undefined;
    const seen = uuid ? this.byUuid.get(uuid) : undefined;
    if (seen) return ok(this.messageData(seen)); // Feishu dedupes by uuid for an hour: the same message back
    const oversize = tooLong(b.msg_type, b.content);
    if (oversize) return oversize;
    let content: any;
    try {
      content = JSON.parse(b.content);
    } catch {
      return badContent();
    }
    const fileProblem = checkFileContent(this.files, b.msg_type, content);
    if (fileProblem) return fileProblem;
    const msg: SentMessage = {
      ...where,
      messageId: newMessageId(),
      msgType: b.msg_type,
      content,
      rawContent: b.content,
      createdAt: Date.now(),
    };
    if (uuid) msg.uuid = uuid;
    this.messages.push(msg);
    this.byId.set(msg.messageId, msg);
    if (uuid) this.byUuid.set(uuid, msg);
    this.onRecord({ type: 'sent', message: msg });
    return ok(this.messageData(msg));
  }

  private messageData(m: SentMessage): Record<string, unknown> {
    const t = String(m.createdAt);
    return {
      message_id: m.messageId,
      ...(m.replyTo ? { root_id: m.rootId, parent_id: m.replyTo } : {}),
      ...(m.replyInThread ? { thread_id: `omt_${m.messageId.slice(3, 19)}` } : {}),
      msg_type: m.msgType,
      create_time: t,
      update_time: t,
      deleted: false,
      updated: false,
      chat_id: m.chatId,
      sender: { id: this.appId, id_type: 'app_id', sender_type: 'app', tenant_key: FAKE_TENANT_KEY },
      body: { content: m.rawContent },
    };
  }

  /** The content of a message the bot sent or one delivered to it, for a file download. */
  private messageContent(messageId: string): any {
    return this.byId.get(messageId)?.content ?? this.userMessages.find((m) => m.messageId === messageId)?.content;
  }

  private patchMessage(id: string, b: Record<string, any>): Reply {
    const msg = this.byId.get(id);
    if (!msg) return bad(ERR.invalidMessageId(id));
    if (msg.msgType !== 'interactive') {
      return bad(
        feishuError(
          230001,
          'Your request contains an invalid request parameter, ext=only interactive (card) messages can be patched',
        ),
      );
    }
    if (typeof b.content !== 'string') return bad(ERR.fieldValidation('content', 'content must be a JSON string'));
    const oversize = tooLong('interactive', b.content);
    if (oversize) return oversize;
    let content: any;
    try {
      content = JSON.parse(b.content);
    } catch {
      return badContent();
    }
    this.recordPatch(id, content);
    return ok({});
  }

  private batchGetId(q: URLSearchParams, b: Record<string, any>): Reply {
    const idType = (q.get('user_id_type') ?? 'open_id') as 'open_id' | 'union_id' | 'user_id';
    const mobiles: unknown = b.mobiles ?? [];
    const emails: unknown = b.emails ?? [];
    if (!Array.isArray(mobiles) || mobiles.length > MAX_BATCH)
      return bad(ERR.fieldValidation('mobiles', `the max len is ${MAX_BATCH}`));
    if (!Array.isArray(emails) || emails.length > MAX_BATCH)
      return bad(ERR.fieldValidation('emails', `the max len is ${MAX_BATCH}`));
    const users = [...this.users.values()];
    const byMobile = (m: string) =>
      users.find((u) => u.mobile && normMobile(u.mobile) === normMobile(m)) ??
      (this.everyMobileIsAUser && /^1\d{10}$/.test(normMobile(m))
        ? { openId: `ou_m${normMobile(m)}`, mobile: m }
        : undefined);
    const entry = (key: 'mobile' | 'email', value: string, u: EmulatedUser | undefined) =>
      u
        ? { user_id: idType === 'open_id' ? u.openId : derivedId(u.openId, idType), [key]: value, status: ACTIVE }
        : { [key]: value }; // unknown: the input echoed back, no user_id
    const user_list = [
      ...mobiles.map((m) => entry('mobile', String(m), byMobile(String(m)))),
      ...emails.map((e) =>
        entry(
          'email',
          String(e),
          users.find((u) => u.email === e),
        ),
      ),
    ];
    return ok({ user_list });
  }

  private botInfo(): Reply {
    const bot = {
      activate_status: 2,
      app_name: '执法通(本地模拟)',
      avatar_url: '',
      ip_white_list: [],
      open_id: this.botOpenId,
    };
    return { status: 200, body: { code: 0, msg: 'ok', bot } };
  }
}
