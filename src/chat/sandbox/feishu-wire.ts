// Wire-level pieces of Feishu (飞书) shared by the emulator (sandbox and tests) and by tests: event envelopes,
// the encrypt/sign scheme of event delivery, ids and the error bodies Feishu's gateway returns.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export interface FeishuEventHeader {
  event_id: string;
  token: string; // the app's Verification Token; '' = let FeishuEmulator.sendEvent fill in its own
  create_time: string; // milliseconds, as a string
  event_type: string;
  tenant_key: string;
  app_id: string; // '' = let FeishuEmulator.sendEvent fill in its own
}

/** A v2 event envelope, the shape Feishu POSTs to an event / card-callback endpoint. */
export interface FeishuEvent {
  schema: '2.0';
  header: FeishuEventHeader;
  event: Record<string, any>;
}

export const FAKE_TENANT_KEY = '736588c9260f175d';

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');
export const newMessageId = (): string => `om_${randomHex(16)}`;
/** The chat id of the p2p chat between the bot and a user; stable so replies can be tied to a user. */
export const p2pChatId = (openId: string): string => `oc_p2p_${openId.replace(/^ou_/, '')}`;
/** Deterministic union_id / user_id derived from an open_id (the fake has no real directory). */
export const derivedId = (openId: string, kind: 'union_id' | 'user_id'): string =>
  kind === 'union_id' ? `on_${openId.replace(/^ou_/, '')}` : `u_${openId.replace(/^ou_/, '')}`;

/** base64(iv(16) + AES-256-CBC/PKCS7(plaintext)), key = sha256(encryptKey): Feishu's "Encrypt Key" scheme. */
export function encryptBody(encryptKey: string, plaintext: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** X-Lark-Signature: sha256 hex of timestamp + nonce + encryptKey + raw body. */
export function signBody(encryptKey: string, timestamp: string, nonce: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

function header(eventType: string, p: { eventId?: string; appId?: string; token?: string }): FeishuEventHeader {
  return {
    event_id: p.eventId ?? randomHex(16),
    token: p.token ?? '',
    create_time: String(Date.now()),
    event_type: eventType,
    tenant_key: FAKE_TENANT_KEY,
    app_id: p.appId ?? '',
  };
}

const userIds = (openId: string) => ({
  open_id: openId,
  union_id: derivedId(openId, 'union_id'),
  user_id: derivedId(openId, 'user_id'),
});

/** im.message.receive_v1 carrying a text message from a user. */
export function messageReceiveEvent(p: {
  openId: string;
  text: string;
  chatType?: 'p2p' | 'group';
  chatId?: string;
  eventId?: string;
  messageId?: string;
  appId?: string;
  token?: string;
  /** Another kind of message (e.g. 'file') with its own content; `text` is then ignored. */
  messageType?: string;
  content?: object;
}): FeishuEvent {
  const chatType = p.chatType ?? 'p2p';
  const now = String(Date.now());
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', p),
    event: {
      sender: { sender_id: userIds(p.openId), sender_type: 'user', tenant_key: FAKE_TENANT_KEY },
      message: {
        message_id: p.messageId ?? newMessageId(),
        create_time: now,
        update_time: now,
        chat_id: p.chatId ?? (chatType === 'p2p' ? p2pChatId(p.openId) : `oc_${randomHex(16)}`),
        chat_type: chatType,
        message_type: p.messageType ?? 'text',
        content: JSON.stringify(p.content ?? { text: p.text }), // a JSON *string*, as on the wire
      },
    },
  };
}

/**
 * card.action.trigger (new-style card callback, schema 2.0) for a button, a form submit, or a component
 * that calls back on its own: a select (`option`), an input (`inputValue`), a checker (`checked`).
 */
export function cardActionEvent(p: {
  openId: string;
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  messageId?: string;
  chatId?: string;
  eventId?: string;
  appId?: string;
  token?: string;
  tag?: string;
  name?: string;
  option?: string;
  options?: string[];
  inputValue?: string;
  checked?: boolean;
}): FeishuEvent {
  const action: Record<string, unknown> = { value: p.value, tag: p.tag ?? 'button' };
  if (p.name) action.name = p.name;
  if (p.formValue) action.form_value = p.formValue;
  if (p.option !== undefined) action.option = p.option;
  if (p.options !== undefined) action.options = p.options;
  if (p.inputValue !== undefined) action.input_value = p.inputValue;
  if (p.checked !== undefined) action.checked = p.checked;
  return {
    schema: '2.0',
    header: header('card.action.trigger', p),
    event: {
      operator: { tenant_key: FAKE_TENANT_KEY, ...userIds(p.openId) },
      token: `c-${randomHex(20)}`, // the card-update token, not the verification token
      action,
      host: 'im_message',
      context: { open_message_id: p.messageId ?? newMessageId(), open_chat_id: p.chatId ?? p2pChatId(p.openId) },
    },
  };
}

/** application.bot.menu_v6: a user clicked a bot menu item. */
export function menuEvent(p: {
  openId: string;
  eventKey: string;
  eventId?: string;
  appId?: string;
  token?: string;
}): FeishuEvent {
  return {
    schema: '2.0',
    header: header('application.bot.menu_v6', p),
    event: {
      operator: { operator_name: p.openId, operator_id: userIds(p.openId) },
      event_key: p.eventKey,
      timestamp: Math.floor(Date.now() / 1000),
    },
  };
}

/** The challenge Feishu sends when a request URL is configured. */
export function urlVerification(token: string, challenge: string = randomHex(16)): object {
  return { challenge, token, type: 'url_verification' };
}

/** A gateway-style error body: { code, msg, error: { log_id, troubleshooter } }. */
export function feishuError(code: number, msg: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const logId = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}${randomHex(8).toUpperCase()}`;
  return {
    code,
    msg,
    error: {
      ...extra,
      log_id: logId,
      troubleshooter: `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?code=${code}&log_id=${logId}`,
    },
  };
}

export const ERR = {
  missingToken: () =>
    feishuError(99991661, 'Missing access token for authorization. Please make a request with token attached.'),
  invalidToken: () =>
    feishuError(99991663, 'Invalid access token for authorization. Please make a request with token attached.'),
  rateLimited: () => ({ code: 99991400, msg: 'request trigger frequency limit' }),
  fieldValidation: (field: string, description: string) =>
    feishuError(99992402, 'field validation failed', { field_violations: [{ field, description }] }),
  invalidMessageId: (id: string) =>
    feishuError(230001, `Your request contains an invalid request parameter, ext=invalid message_id: ${id}`),
};
