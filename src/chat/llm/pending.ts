import type { PrismaClient } from '../../platform/db/database';
import { ACTION_LABEL } from '../../processes/certificate/rules';
import { validateIntent, type ParsedIntent } from '../intent-catalogue';

// Multi-turn: a request missing one detail waits in the database (any replica may get the answer) for ten
// minutes; the person's next unmatched message fills it, unless it is 取消 or clearly a new request.

export const PENDING_MINUTES = 10;
const CANCEL_WORDS = new Set(['取消', '算了', '不用了', 'cancel']);
const LONGEST_ANSWER = 20; // longer text is a new request, not a name or 执法证号

export async function savePending(
  prisma: PrismaClient,
  openId: string,
  parsed: ParsedIntent,
  missing: string,
  now = new Date(),
): Promise<void> {
  const row = {
    intent: parsed.intent,
    args: parsed.args as Record<string, string>,
    missing,
    expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000),
  };
  await prisma.pendingIntent.deleteMany({ where: { expiresAt: { lte: now } } }); // others' forgotten requests
  await prisma.pendingIntent.upsert({
    where: { openId },
    create: { openId, ...row },
    update: { ...row, createdAt: now },
  });
}

export type PendingOutcome = { kind: 'none' } | { kind: 'cancelled' } | { kind: 'filled'; parsed: ParsedIntent };

/** The person's waiting request, taken (deleted) when this text answers or cancels it. */
export async function answerPending(
  prisma: PrismaClient,
  openId: string,
  text: string,
  now = new Date(),
): Promise<PendingOutcome> {
  const pending = await prisma.pendingIntent.findUnique({ where: { openId } });
  if (!pending) return { kind: 'none' };
  const answer = text.trim();
  if (pending.expiresAt <= now || answer.length > LONGEST_ANSWER) {
    await prisma.pendingIntent.deleteMany({ where: { openId } });
    return { kind: 'none' };
  }
  await prisma.pendingIntent.deleteMany({ where: { openId } });
  if (CANCEL_WORDS.has(answer.toLowerCase())) return { kind: 'cancelled' };
  const value = pending.missing === 'action' ? actionNamed(answer) : answer;
  const filled = validateIntent(pending.intent, {
    ...(pending.args as Record<string, unknown>),
    [pending.missing]: value,
  });
  return filled.ok ? { kind: 'filled', parsed: filled.parsed } : { kind: 'none' };
}

/** "暂扣" / "先扣了吧" / "suspend" → the action code; unknown words stay as written (and fail validation). */
function actionNamed(answer: string): string {
  const byLabel = Object.entries(ACTION_LABEL).find(([code, label]) => answer === code || answer.includes(label));
  return byLabel?.[0] ?? answer;
}
