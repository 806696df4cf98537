import type { Client as TemporalClient } from '@temporalio/client';
import type { z } from 'zod';
import type { Config } from '../platform/config';
import type { PrismaClient } from '../platform/db/database';
import type { FeishuClient } from '../platform/feishu/client';
import type { CardActionEvent } from '../platform/feishu/events';

// What a process gives the chat, and what the chat gives a process. Each process folder exports one
// `defineChat({ intents, cardActions })`; src/chat merges them (router, catalogue, help, the model's tool list), so
// an intent or a button is named once, in its process, and a misspelt one is a type error.

/** Everything a handler may use. Built once at start; nothing in it is per-replica state. */
export interface BotContext {
  config: Config;
  prisma: PrismaClient;
  feishu: FeishuClient;
  temporal: TemporalClient;
  log: (line: string) => void;
}

/** Who asked, and an id unique to the asking (Feishu `uuid` for the reply, so a retry is not a 2nd message). */
export interface Ask {
  openId: string;
  replyKey: string;
  text?: string;
}

export type Handler = (ctx: BotContext, ask: Ask) => Promise<void>;

/** What a card click answers at once: a toast, and/or the card replaced in place. */
export interface CardResponse {
  toast?: { type: 'success' | 'error' | 'info' | 'warning'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
}

/** Card buttons carry `{ action: <name>, ... }` in their value; the name selects the handler. */
export type CardHandler = (ctx: BotContext, event: CardActionEvent) => Promise<CardResponse>;

/** One chat capability: the words that reach it with no model, what it does, its arguments, its handler. */
export interface IntentEntry {
  /** Whole messages that mean this intent (matched exactly, case-insensitive): they work with no model configured. */
  words: string[];
  /** What it does, in Chinese, for the help card and the model's tool list. */
  description: string;
  /**
   * How people ask for it without the keyword, for the model-free matcher (src/chat/understanding): synonyms and
   * common phrasings, space-separated; 「A…B」 is A then B with a few characters between, 「!A」 counts against
   * (A points to a neighbouring intent). Never drawn from bench/intents/held-out.json.
   */
  phrases?: string;
  /** Who it is for (officer, admin, supervisor, leader, bureau): a tie-breaker and the help card's order. */
  roles?: string[];
  /** Which arguments the matcher may read from the sentence for it. */
  takes?: Array<'officer' | 'action' | 'reason' | 'amountYuan' | 'dates'>;
  /** Appended for the model only (e.g. that the intent opens a form). */
  forModel?: string;
  /** The arguments the model may fill (zod); none when absent. */
  args?: z.ZodObject;
  /** Fixed sentence shapes that carry arguments and need no model (「暂扣张三的证」): the arguments, or undefined. */
  sentences?: (text: string) => Record<string, unknown> | undefined;
  /** A state-changing intent with arguments is confirmed on a card before anything happens. */
  changesState?: boolean;
  /** Bot menu keys (Feishu 机器人菜单) that open it. */
  menuKeys?: string[];
  handler: Handler;
}

export interface ProcessChat<I extends string = string, A extends string = string> {
  intents: { [K in I]: IntentEntry };
  cardActions: { [K in A]: CardHandler };
}

/** A process's chat part; `const` keeps the names literal so the merged types know every intent and button. */
export function defineChat<const I extends string, const A extends string>(chat: ProcessChat<I, A>): ProcessChat<I, A> {
  return chat;
}
