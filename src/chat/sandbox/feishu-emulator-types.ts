// What the Feishu emulator keeps and answers with: the records of a conversation (bot messages, user messages,
// card updates, uploaded files) and the reply an endpoint returns. Their own file because the API, the files
// endpoints, the rate limits and the conversation log all speak them, and none of those should import another.

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

/** Feishu's success envelope, and its HTTP 400 answers (a body from feishuError or ERR). */
export const ok = (data: unknown): Reply => ({ status: 200, body: { code: 0, msg: 'success', data } });
export const bad = (body: unknown): Reply => ({ status: 400, body });
