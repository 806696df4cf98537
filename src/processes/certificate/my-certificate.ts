import { certificateView } from './rules';
import { dateIn, isoDateOf } from '../../core/dates';
import { certificateCard } from './cards';
import type { BotContext } from '../chat-kit';
import type { Ask } from '../chat-kit';
import { findAsker } from '../roster/asker';
import { openCertificateCase } from './open-cases';

export async function showMyCertificate(ctx: BotContext, ask: Ask): Promise<void> {
  const officer = await findAsker(ctx, ask);
  if (!officer) return;
  const expires = officer.certExpires ? isoDateOf(officer.certExpires) : undefined;
  const today = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const view = certificateView(officer.certStatus, expires, today);
  const openCase = await openCertificateCase(ctx, officer.certNo);
  const caseLine = openCase
    ? `${openCase.caseType}办理中${openCase.currentStep ? `:${openCase.currentStep.title}(${openCase.currentStep.owner.name})` : ''}`
    : undefined;
  await ctx.feishu.sendCard(
    ask.openId,
    certificateCard({
      name: officer.name,
      unit: officer.unit.name,
      certNo: officer.certNo,
      expires,
      view,
      openCase: caseLine,
      mayExportOthers: officer.role !== 'officer',
    }),
    ask.replyKey,
  );
}
