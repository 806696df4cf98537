import { PROCESSES, type ProcessIntent } from '../processes';
import type { Ask, BotContext, IntentEntry } from '../processes/chat-kit';
import { helpCard } from './help';

// Every chat capability is one intent, registered by its process (src/processes/<name>/process.ts); words and menu
// keys lead to it. Keyword matching comes first; the optional model only sees text nothing here matched.

export type Intent = ProcessIntent | 'help';

export interface TextRoute {
  intent: Intent;
  words: string[];
  description: string;
}

/**
 * The help card, with a preface when the words were not understood. It shows what the asker's role can do (their
 * own words first, then everyone's); 更多 shows the rest. Someone not on the roster sees everything.
 */
export async function showHelp(ctx: BotContext, ask: Ask, preface?: string, everything = false): Promise<void> {
  const asker = await ctx.prisma.officer.findUnique({ where: { openId: ask.openId }, select: { role: true } });
  const routes = TEXT_ROUTES.filter((r) => r.intent !== 'help');
  const role = everything ? undefined : asker?.role;
  const forAll = (r: TextRoute) =>
    !(INTENTS[r.intent].roles ?? []).length || INTENTS[r.intent].roles!.includes('officer');
  const mine = role ? routes.filter((r) => INTENTS[r.intent].roles?.includes(role) && role !== 'officer') : [];
  const shown = role ? [...mine, ...routes.filter((r) => forAll(r) && !mine.includes(r))] : routes;
  const card = helpCard(
    [...shown, ...TEXT_ROUTES.filter((r) => r.intent === 'help')],
    preface,
    routes.length - shown.length,
  );
  await ctx.feishu.sendCard(ask.openId, card, ask.replyKey);
}

const HELP: IntentEntry = {
  words: ['帮助', 'help', '菜单', '?', '?'],
  description: '查看执法通能做什么',
  menuKeys: ['help'],
  phrases: `
    你好 您好 你能 怎么用 在吗 谢谢 你是谁 能干啥 能做什么 功能 机器人 hello hi
  `,
  handler: (ctx, ask) => showHelp(ctx, ask),
};

/** Every intent, in the help card's order (the processes' order, then help). */
export const INTENTS = Object.fromEntries([
  ...PROCESSES.flatMap((p) => Object.entries((p.chat?.intents ?? {}) as Record<string, IntentEntry>)),
  ['help', HELP],
]) as Record<Intent, IntentEntry>;

export const INTENT_NAMES = Object.keys(INTENTS) as Intent[];

export const TEXT_ROUTES: TextRoute[] = INTENT_NAMES.map((intent) => ({
  intent,
  words: INTENTS[intent].words,
  description: INTENTS[intent].description,
}));

export const MENU_ROUTES: Record<string, Intent> = Object.fromEntries(
  INTENT_NAMES.flatMap((intent) => (INTENTS[intent].menuKeys ?? []).map((key) => [key, intent])),
);

export function parseText(text: string): Intent | undefined {
  const normalized = text.trim().toLowerCase();
  return TEXT_ROUTES.find((route) => route.words.includes(normalized))?.intent;
}
