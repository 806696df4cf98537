// The Open API half of the fake Feishu: token issuing, auth, and the handful of endpoints LawDesk
// uses, answering with Feishu's { code, msg, data } shapes. Pure request -> reply; no sockets here.
import { ERR, FAKE_TENANT_KEY, derivedId, feishuError, newMessageId, p2pChatId, randomHex } from './feishu-wire';

export interface FakeUser { openId: string; mobile?: string; email?: string; name?: string }
export interface SentMessage {
  messageId: string; receiveId?: string; receiveIdType?: string; replyTo?: string; msgType: string;
  content: any; // parsed JSON of the content string
  rawContent: string; chatId: string; rootId?: string; replyInThread?: boolean; uuid?: string; createdAt: number;
}
export interface Reply { status: number; body: unknown; headers?: Record<string, string> }

const TENANT_TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const APP_TOKEN_PATH = '/open-apis/auth/v3/app_access_token/internal';
const ID_TYPES = ['open_id', 'user_id', 'union_id', 'email', 'chat_id'];
const MAX_BATCH = 50;
const ACTIVE = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };

// token -> app_id. Process-wide on purpose: the SDK caches tenant tokens in a module-global cache keyed
// by app id, so a token fetched from one fake must stay valid for the next one started in the same
// process (as a real token would for 2 hours).
const issuedTokens = new Map<string, string>();

const ok = (data: unknown): Reply => ({ status: 200, body: { code: 0, msg: 'success', data } });
const bad = (body: unknown): Reply => ({ status: 400, body });
const badContent = () => bad(feishuError(230001, 'Your request contains an invalid request parameter, ext=invalid content'));
const normMobile = (m: string) => m.replace(/[^\d]/g, '').replace(/^86(?=1\d{10}$)/, '');

export class FeishuApi {
  readonly messages: SentMessage[] = [];
  readonly patches: { messageId: string; content: any; at: number }[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly byId = new Map<string, SentMessage>();
  readonly byUuid = new Map<string, SentMessage>();
  readonly incomingChats = new Map<string, string>(); // message ids delivered to the bot -> chat id
  readonly botOpenId = `ou_bot${randomHex(13)}`;

  constructor(private readonly appId: string, private readonly appSecret: string) {}

  invalidateTokens(): void {
    for (const [token, appId] of issuedTokens) if (appId === this.appId) issuedTokens.delete(token);
  }

  route(method: string, path: string, q: URLSearchParams, b: Record<string, any>, auth: string | undefined): Reply {
    if (method === 'POST' && (path === TENANT_TOKEN_PATH || path === APP_TOKEN_PATH)) return this.issueToken(b, path === APP_TOKEN_PATH);
    const routes: [string, RegExp, (id: string) => Reply][] = [
      ['POST', /^\/open-apis\/im\/v1\/messages$/, () => this.createMessage(q, b)],
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
      idType === 'open_id' ? u.openId === id
        : idType === 'email' ? u.email === id
          : derivedId(u.openId, idType as 'union_id' | 'user_id') === id);
    return p2pChatId(user?.openId ?? id);
  }

  private createMessage(q: URLSearchParams, b: Record<string, any>): Reply {
    const idType = q.get('receive_id_type');
    if (!idType || !ID_TYPES.includes(idType)) return bad(ERR.fieldValidation('receive_id_type', `receive_id_type must be one of ${ID_TYPES.join('|')}`));
    if (typeof b.receive_id !== 'string' || !b.receive_id) return bad(ERR.fieldValidation('receive_id', 'receive_id is required'));
    return this.recordMessage(b, { receiveId: b.receive_id, receiveIdType: idType, chatId: this.resolveChat(idType, b.receive_id) });
  }

  private replyMessage(parentId: string, b: Record<string, any>): Reply {
    const parent = this.byId.get(parentId);
    const chatId = parent?.chatId ?? this.incomingChats.get(parentId);
    if (!chatId) return bad(ERR.invalidMessageId(parentId)); // neither sent by the bot nor delivered to it
    const where: Partial<SentMessage> & { chatId: string } = { replyTo: parentId, chatId, rootId: parent?.rootId ?? parentId };
    if (b.reply_in_thread === true) where.replyInThread = true;
    return this.recordMessage(b, where);
  }

  private recordMessage(b: Record<string, any>, where: Partial<SentMessage> & { chatId: string }): Reply {
    if (typeof b.msg_type !== 'string' || !b.msg_type) return bad(ERR.fieldValidation('msg_type', 'msg_type is required'));
    if (typeof b.content !== 'string') return bad(ERR.fieldValidation('content', 'content must be a JSON string'));
    const uuid = typeof b.uuid === 'string' && b.uuid ? b.uuid : undefined;
    const seen = uuid ? this.byUuid.get(uuid) : undefined;
    if (seen) return ok(this.messageData(seen)); // Feishu dedupes by uuid for an hour: the same message back
    let content: any;
    try { content = JSON.parse(b.content); } catch { return badContent(); }
    const msg: SentMessage = { ...where, messageId: newMessageId(), msgType: b.msg_type, content, rawContent: b.content, createdAt: Date.now() };
    if (uuid) msg.uuid = uuid;
    this.messages.push(msg);
    this.byId.set(msg.messageId, msg);
    if (uuid) this.byUuid.set(uuid, msg);
    return ok(this.messageData(msg));
  }

  private messageData(m: SentMessage): Record<string, unknown> {
    const t = String(m.createdAt);
    return {
      message_id: m.messageId,
      ...(m.replyTo ? { root_id: m.rootId, parent_id: m.replyTo } : {}),
      ...(m.replyInThread ? { thread_id: `omt_${m.messageId.slice(3, 19)}` } : {}),
      msg_type: m.msgType, create_time: t, update_time: t, deleted: false, updated: false, chat_id: m.chatId,
      sender: { id: this.appId, id_type: 'app_id', sender_type: 'app', tenant_key: FAKE_TENANT_KEY },
      body: { content: m.rawContent },
    };
  }

  private patchMessage(id: string, b: Record<string, any>): Reply {
    const msg = this.byId.get(id);
    if (!msg) return bad(ERR.invalidMessageId(id));
    if (msg.msgType !== 'interactive') {
      return bad(feishuError(230001, 'Your request contains an invalid request parameter, ext=only interactive (card) messages can be patched'));
    }
    if (typeof b.content !== 'string') return bad(ERR.fieldValidation('content', 'content must be a JSON string'));
    let content: any;
    try { content = JSON.parse(b.content); } catch { return badContent(); }
    this.patches.push({ messageId: id, content, at: Date.now() });
    return ok({});
  }

  private batchGetId(q: URLSearchParams, b: Record<string, any>): Reply {
    const idType = (q.get('user_id_type') ?? 'open_id') as 'open_id' | 'union_id' | 'user_id';
    const mobiles: unknown = b.mobiles ?? [];
    const emails: unknown = b.emails ?? [];
    if (!Array.isArray(mobiles) || mobiles.length > MAX_BATCH) return bad(ERR.fieldValidation('mobiles', `the max len is ${MAX_BATCH}`));
    if (!Array.isArray(emails) || emails.length > MAX_BATCH) return bad(ERR.fieldValidation('emails', `the max len is ${MAX_BATCH}`));
    const users = [...this.users.values()];
    const entry = (key: 'mobile' | 'email', value: string, u: FakeUser | undefined) => (u
      ? { user_id: idType === 'open_id' ? u.openId : derivedId(u.openId, idType), [key]: value, status: ACTIVE }
      : { [key]: value }); // unknown: the input echoed back, no user_id
    const user_list = [
      ...mobiles.map((m) => entry('mobile', String(m), users.find((u) => u.mobile && normMobile(u.mobile) === normMobile(String(m))))),
      ...emails.map((e) => entry('email', String(e), users.find((u) => u.email === e))),
    ];
    return ok({ user_list });
  }

  private botInfo(): Reply {
    const bot = { activate_status: 2, app_name: 'LawDesk (fake)', avatar_url: '', ip_white_list: [], open_id: this.botOpenId };
    return { status: 200, body: { code: 0, msg: 'ok', bot } };
  }
}
