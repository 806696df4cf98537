import { dateIn } from '../core/dates';
import { readCalendar } from '../processes/casework/calendar-store';
import type { Ask, BotContext } from '../processes/chat-kit';
import { needsConfirmation, parseKeywords, validateIntent, type ParsedIntent } from './intent-catalogue';
import { INTENTS, type Intent } from './intents';
import { answerWaiting, askModel } from './llm/chat';
import { llmSettings } from './llm/understand';
import { withThinkingCard } from './thinking-card';
import { intentsForMatcher } from './understanding/intent-phrases';
import { matchIntent, type Candidate } from './understanding/local-matcher';

// What a message means, cheapest reading first: the exact words (or a process's sentence shape), the answer to a
// question the bot asked, the model-free matcher when it is sure, the model (when one is configured), and only then
// the matcher's two or three likeliest readings offered as buttons. Nothing that changes state runs from a guess: a
// state-changing intent the matcher found is offered as a button (the click is the confirmation) or, with
// arguments, goes to its confirm card.

export type Reading =
  | { kind: 'intent'; parsed: ParsedIntent }
  | { kind: 'offer'; candidates: Candidate[] }
  | { kind: 'refused'; why: string }
  | { kind: 'answered' }
  | { kind: 'none' };

const MATCHER_INTENTS = intentsForMatcher(INTENTS);

export async function readMessage(ctx: BotContext, ask: Ask & { text: string }): Promise<Reading> {
  const keywords = parseKeywords(ask.text);
  if (keywords) return { kind: 'intent', parsed: keywords };
  const waiting = await answerWaiting(ctx, ask);
  if (waiting === 'answered') return { kind: 'answered' };
  if (waiting) return { kind: 'intent', parsed: waiting };

  const asker = await ctx.prisma.officer.findUnique({ where: { openId: ask.openId }, select: { role: true } });
  const calendar = await readCalendar(ctx.prisma);
  const local = matchIntent(ask.text, {
    role: asker?.role,
    intents: MATCHER_INTENTS,
    dates: { asOf: dateIn(ctx.config.TZ_CALENDAR, new Date()), isWorkingDay: (d) => calendar.isWorkingDay(d) },
  });
  if (local.refused) return { kind: 'refused', why: local.refused };
  if (local.verdict === 'sure') return fromCandidate(local.candidates[0]!);
  const model = llmSettings(ctx.config)
    ? await withThinkingCard(
        ctx,
        ask,
        () => askModel(ctx, ask),
        (parsed) => (parsed ? INTENTS[parsed.intent].description : undefined),
      )
    : undefined;
  if (model) return { kind: 'intent', parsed: model };
  return local.verdict === 'unsure' ? { kind: 'offer', candidates: local.candidates } : { kind: 'none' };
}

function fromCandidate(candidate: Candidate): Reading {
  const { officer, action, reason } = candidate.args;
  const checked = validateIntent(candidate.intent, { officer, action, reason });
  const parsed = checked.ok ? checked.parsed : { intent: candidate.intent as Intent, args: {} };
  // With arguments, a state-changing intent has its own confirm card; without, it is offered, not run.
  if (candidate.needsConfirmation && !needsConfirmation(parsed)) return { kind: 'offer', candidates: [candidate] };
  return { kind: 'intent', parsed };
}
