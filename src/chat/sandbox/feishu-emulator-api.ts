// The Open API half of the Feishu emulator: token issuing, auth, and the handful of endpoints LawDesk
// uses, answering with Feishu's { code, msg, data } shapes. Pure request -> reply; no sockets here.
// It also keeps the conversation (bot messages, user messages, card updates) and reports each new record,
// so the sandbox can persist it and push it to the browser.
import { ERR, FAKE_TENANT_KEY, derivedId, feishuError, newMessageId, p2pChatId, randomHex } from './feishu-wire';

export interface EmulatedUser {
  openId: string;
  mobile?: string;
  email?: string;
  name?: string;
}
/** A message the bot sent (create or reply). */
export interface SentMessage {
  messageId: string;
  receiveId?: string;
  receiveIdType?: string;
  replyTo?: string;
  msgType: string;
  content: any; // parsed JSON of the content string
  rawContent: string;
  chatId: string;
  rootId?: string;
  replyInThread?: boolean;
  uuid?: string;
  createdAt: number;
}
/** A message a user sent to the bot (delivered as im.message.receive_v1). */
export interface UserMessage {
  messageId: string;
  openId: string;
  chatId: string;
  msgType: string;
  content: any;
  createdAt: number;
}
/** A card changed in place: a PATCH by the bot, or the card returned by a card callback. */
export interface CardPatch {
  messageId: string;
  content: any;
  at: number;
}
export type ConversationRecord =
  { type: 'sent'; message: SentMessage } | { type: 'user'; message: UserMessage } | { type: 'patch'; patch: CardPatch };
/** Body: JSON (object), plain text (string), or bytes (Buffer: a downloaded file). */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
/** A file uploaded through POST /open-apis/im/v1/files, kept until the emulator is reset. */
export interface UploadedFile {
  fileKey: string;
  fileName: string;
  fileType: string;
  bytes: Buffer;
}

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
// Feishu's own limits and kinds for im files; 'xls' covers .xlsx and 'stream' anything else.
const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'];
const MAX_FILE_BYTES = 30 * 1024 * 1024;
// Message types whose content points at an uploaded file, and the upload kinds each accepts.
const FILE_MESSAGES: Record<string, (fileType: string) => boolean> = {
  file: (t) => t !== 'mp4' && t !== 'opus', // a video or voice upload must go out as media / audio
  media: (t) => t === 'mp4',
  audio: (t) => t === 'opus',
};
const resourceError = (code: number, msg: string) => bad(feishuError(code, msg));

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
      ['POST', /^\/open-apis\/im\/v1\/files$/, () => this.uploadFile(b)],
      ['GET', /^\/open-apis\/im\/v1\/messages\/([^/]+\/resources\/[^/]+)$/, (ids) => this.messageResource(ids, q)],
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
    const fileProblem = this.checkFileContent(b.msg_type, content);
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

  /**
   * A file message must name a file this app uploaded, of a kind that message type carries. The unknown-key
   * answer is Feishu's invalid-parameter error (230001); a kind mismatch is 230055, as Feishu sends it.
   */
  private checkFileContent(msgType: string, content: any): Reply | undefined {
    const accepts = FILE_MESSAGES[msgType];
    if (!accepts) return undefined;
    const file = typeof content?.file_key === 'string' ? this.files.get(content.file_key) : undefined;
    if (!file)
      return bad(
        feishuError(
          230001,
          `Your request contains an invalid request parameter, ext=invalid file_key: ${content?.file_key ?? ''}`,
        ),
      );
    if (!accepts(file.fileType))
      return bad(feishuError(230055, 'The type of file upload does not match the type of message being sent.'));
    return undefined;
  }

  /** POST /open-apis/im/v1/files (multipart: file_type, file_name, file): keeps the bytes, answers a file_key. */
  private uploadFile(b: Record<string, any>): Reply {
    const fileType = typeof b.file_type === 'string' ? b.file_type : '';
    if (!FILE_TYPES.includes(fileType)) return resourceError(234001, 'Invalid request param.');
    if (typeof b.file_name !== 'string' || !b.file_name) return resourceError(234001, 'Invalid request param.');
    const bytes: Buffer | undefined = Buffer.isBuffer(b.file)
      ? b.file
      : typeof b.file === 'string'
        ? Buffer.from(b.file)
        : undefined;
    if (!bytes) return resourceError(234001, 'Invalid request param.');
    if (bytes.length === 0) return resourceError(234010, "File's size can't be 0.");
    if (bytes.length > MAX_FILE_BYTES) return resourceError(234006, 'The file size exceed the max value.');
    const fileKey = `file_v3_00${randomHex(2)}_${randomHex(16)}`;
    this.files.set(fileKey, { fileKey, fileName: b.file_name, fileType, bytes });
    return ok({ file_key: fileKey });
  }

  /**
   * GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file|image: the bytes of a file in a
   * message the bot sent or received. Feishu requires key and message to match (234003 otherwise).
   */
  private messageResource(ids: string, q: URLSearchParams): Reply {
    const [messageId = '', fileKey = ''] = ids.split('/resources/'); // already decoded by route()
    const type = q.get('type');
    if (type !== 'file' && type !== 'image') return resourceError(234001, 'Invalid request param.');
    const content =
      this.byId.get(messageId)?.content ?? this.userMessages.find((m) => m.messageId === messageId)?.content;
    if (content === undefined) return resourceError(234001, 'Invalid request param.');
    const file = this.files.get(fileKey);
    if (!file || (content.file_key !== fileKey && content.image_key !== fileKey))
      return resourceError(234003, 'File not in msg.');
    return {
      status: 200,
      body: file.bytes,
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="${encodeURIComponent(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      },
    };
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
