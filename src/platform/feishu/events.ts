import { z } from 'zod';

// What LawDesk takes from Feishu's v2 event envelope. Everything is validated here, at the boundary; the rest
// of the bot sees only these shapes.

export type IncomingEvent = MessageEvent | MenuEvent | CardActionEvent;

export interface MessageEvent {
  kind: 'message';
  eventId: string;
  openId: string;
  chatId: string;
  chatType: string;
  messageId: string;
  messageType: string;
  /** Text with @mentions removed; undefined for non-text messages. */
  text?: string;
  /** A file message (message_type 'file'): what to download and the name the user gave it. */
  file?: { fileKey: string; fileName: string };
}

export interface MenuEvent {
  kind: 'menu';
  eventId: string;
  openId: string;
  eventKey: string;
}

export interface CardActionEvent {
  kind: 'card';
  eventId?: string;
  openId: string;
  messageId?: string;
  chatId?: string;
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  /** A select or input used outside a form sends its own value rather than a form_value. */
  option?: string;
  inputValue?: string;
}

const Header = z.object({
  event_id: z.string().min(1),
  event_type: z.string(),
  token: z.string().optional(),
  app_id: z.string().optional(),
});

const MessageBody = z.object({
  sender: z.object({ sender_id: z.object({ open_id: z.string().min(1) }) }),
  message: z.object({
    message_id: z.string(),
    chat_id: z.string(),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
  }),
});

const MenuBody = z.object({
  operator: z.object({ operator_id: z.object({ open_id: z.string().min(1) }) }),
  event_key: z.string(),
});

const CardBody = z.object({
  operator: z.object({ open_id: z.string().min(1) }),
  action: z.object({
    value: z.record(z.string(), z.unknown()).optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    option: z.string().optional(),
    input_value: z.string().optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});

export const Envelope = z.object({ schema: z.literal('2.0'), header: Header, event: z.unknown() });
export type Envelope = z.infer<typeof Envelope>;

export class UnsupportedEvent extends Error {}

export function decodeEnvelope(envelope: Envelope): IncomingEvent {
  const { header, event } = envelope;
  switch (header.event_type) {
    case 'im.message.receive_v1': {
      const body = MessageBody.parse(event);
      return {
        kind: 'message',
        eventId: header.event_id,
        openId: body.sender.sender_id.open_id,
        chatId: body.message.chat_id,
        chatType: body.message.chat_type,
        messageId: body.message.message_id,
        messageType: body.message.message_type,
        text: body.message.message_type === 'text' ? textOf(body.message.content) : undefined,
        file: body.message.message_type === 'file' ? fileOf(body.message.content) : undefined,
      };
    }
    case 'application.bot.menu_v6': {
      const body = MenuBody.parse(event);
      return {
        kind: 'menu',
        eventId: header.event_id,
        openId: body.operator.operator_id.open_id,
        eventKey: body.event_key,
      };
    }
    case 'card.action.trigger': {
      const body = CardBody.parse(event);
      return {
        kind: 'card',
        eventId: header.event_id,
        openId: body.operator.open_id,
        messageId: body.context?.open_message_id,
        chatId: body.context?.open_chat_id,
        value: body.action.value ?? {},
        formValue: body.action.form_value,
        option: body.action.option,
        inputValue: body.action.input_value,
      };
    }
    default:
      throw new UnsupportedEvent(header.event_type);
  }
}

/** The older card callback (POST /webhook/card): { open_id, open_message_id, action: { value } }. */
const LegacyCard = z.object({
  open_id: z.string().min(1),
  open_message_id: z.string().optional(),
  open_chat_id: z.string().optional(),
  action: z.object({
    value: z.record(z.string(), z.unknown()).optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
});

export function decodeLegacyCard(body: unknown): CardActionEvent {
  const card = LegacyCard.parse(body);
  return {
    kind: 'card',
    openId: card.open_id,
    messageId: card.open_message_id,
    chatId: card.open_chat_id,
    value: card.action.value ?? {},
    formValue: card.action.form_value,
  };
}

function textOf(content: string): string {
  try {
    const parsed = JSON.parse(content) as { text?: unknown };
    // In groups the bot is addressed as "@_user_1 证件": the mention is not part of what was asked.
    return typeof parsed.text === 'string' ? parsed.text.replace(/@_user_\d+/g, '').trim() : '';
  } catch {
    return '';
  }
}

function fileOf(content: string): MessageEvent['file'] {
  try {
    const parsed = JSON.parse(content) as { file_key?: unknown; file_name?: unknown };
    if (typeof parsed.file_key !== 'string' || !parsed.file_key) return undefined;
    return { fileKey: parsed.file_key, fileName: typeof parsed.file_name === 'string' ? parsed.file_name : '' };
  } catch {
    return undefined;
  }
}
