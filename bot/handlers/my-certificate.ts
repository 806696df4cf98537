import { certificateView } from '../../workflows/domain/certificate';
import { dateIn, isoDateOf } from '../../workflows/domain/dates';
import { certificateCard } from '../cards/certificate-card';
import type { BotContext } from '../context';
import type { Ask } from '../intents';
import { findAsker } from './asker';

export async function showMyCertificate(ctx: BotContext, ask: Ask): Promise<void> {
  const officer = await findAsker(ctx, ask);
  if (!officer) return;
  const expires = officer.certExpires ? isoDateOf(officer.certExpires) : undefined;
  const today = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const view = certificateView(officer.certStatus, expires, today);
  await ctx.feishu.sendCard(
    ask.openId,
    certificateCard({ name: officer.name, unit: officer.unit.name, certNo: officer.certNo, expires, view }),
    ask.replyKey,
  );
}
