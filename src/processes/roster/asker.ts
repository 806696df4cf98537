import type { BotContext } from '../chat-kit';
import type { Ask } from '../chat-kit';
import { notInRosterCard } from './not-in-roster-card';

const ASKER_SELECT = {
  id: true,
  name: true,
  certNo: true,
  role: true,
  certStatus: true,
  certExpires: true,
  unit: { select: { id: true, name: true } },
} as const;

/** The roster entry of whoever asked; when there is none, they are told politely and who to ask. */
export async function findAsker(ctx: BotContext, ask: Ask) {
  const officer = await ctx.prisma.officer.findUnique({ where: { openId: ask.openId }, select: ASKER_SELECT });
  if (officer) return officer;
  const bureau = await ctx.prisma.officer.findMany({
    where: { role: 'bureau' },
    select: { name: true },
    take: 3,
    orderBy: { id: 'asc' },
  });
  await ctx.feishu.sendCard(ask.openId, notInRosterCard(bureau.map((b) => b.name)), ask.replyKey);
  return undefined;
}
