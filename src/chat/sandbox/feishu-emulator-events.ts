// The emulator's other direction, Feishu → bot: signed (optionally encrypted) event POSTs, and what a person
// does in the Feishu client — type text, send a file, act on a card — turned into those events. Apart from
// ./feishu-emulator, which serves the bot's API calls; this half only calls out.
import type { FeishuApi } from './feishu-emulator-api';
import {
  cardActionEvent,
  encryptBody,
  messageReceiveEvent,
  newMessageId,
  p2pChatId,
  randomHex,
  signBody,
  type FeishuEvent,
} from './feishu-wire';

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
/** Who the events come from: the emulated app's id, Verification Token and Encrypt Key (if any). */
export interface EventSigner {
  readonly appId: string;
  readonly verificationToken: string;
  readonly encryptKey: string | undefined;
}

export class BotEventSender {
  constructor(
    private readonly api: FeishuApi,
    private readonly app: EventSigner,
  ) {}

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
    const res = await this.sendEvent(botEndpoint, event, { encrypt: Boolean(this.app.encryptKey) });
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
    const res = await this.sendEvent(botEndpoint, event, { encrypt: Boolean(this.app.encryptKey) });
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
    const res = await this.sendEvent(botEndpoint, event, { encrypt: Boolean(this.app.encryptKey) });
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
      env.header.token ||= this.app.verificationToken;
      env.header.app_id ||= this.app.appId;
    }
    const m = env.event?.message;
    if (m?.message_id && m?.chat_id) this.api.incomingChats.set(m.message_id, m.chat_id); // so the bot may reply
    let body = JSON.stringify(env);
    if (opts.encrypt) {
      if (!this.app.encryptKey)
        throw new Error('sendEvent({ encrypt: true }) needs FeishuEmulator.start({ encryptKey })');
      body = JSON.stringify({ encrypt: encryptBody(this.app.encryptKey, body) });
    }
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = randomHex(8);
    let signature = signBody(this.app.encryptKey ?? '', timestamp, nonce, body);
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
}
