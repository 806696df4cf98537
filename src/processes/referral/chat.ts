import { allReferrals, openDeadlines, openReferrals, referralUnits } from './store';
import { dateIn } from '../../core/dates';
import { ledgerRows } from './ledger';
import { readLeadRules } from './lead-rules';
import { referralLedgerFileName, referralLedgerWorkbook } from './workbook';
import { findClicker, NOT_IN_ROSTER, sendWorkbook } from '../send-workbook';
import {
  criminalReferralFormCard,
  interAgencyFormCard,
  leadFormCard,
  ledgerCard,
  openReferralsCard,
  reverseReferralFormCard,
} from './cards';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { Ask } from '../chat-kit';
import type { CardResponse } from '../chat-kit';
import { reach } from '../scope';
import { findAsker } from '../roster/asker';

// Referrals in chat: the forms that start them (every check before anything starts), a unit's open referrals
// and the bureau's ledger. The steps are case cards, clicked through case-actions.ts like any other case.

export async function showCriminalReferralForm(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (asker) await ctx.feishu.sendCard(ask.openId, criminalReferralFormCard(asker.unit.name), ask.replyKey);
}

export async function showInterAgencyForm(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if (asker.role !== 'admin' && asker.role !== 'supervisor')
    return void (await ctx.feishu.sendText(ask.openId, '部门间案件移送由本单位法制员或负责人发起。', ask.replyKey));
  await ctx.feishu.sendCard(
    ask.openId,
    interAgencyFormCard(asker.unit.name, await referralUnits(ctx.prisma)),
    ask.replyKey,
  );
}

export async function showLeadForm(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if (asker.role !== 'bureau')
    return void (await ctx.feishu.sendText(ask.openId, '问题线索由司法局派单。', ask.replyKey));
  await ctx.feishu.sendCard(
    ask.openId,
    leadFormCard(await referralUnits(ctx.prisma), await readLeadRules(ctx.prisma)),
    ask.replyKey,
  );
}

export async function showReverseReferralForm(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if (asker.role !== 'admin')
    return void (await ctx.feishu.sendText(ask.openId, '公安机关移送的案件由本单位法制员登记接收。', ask.replyKey));
  await ctx.feishu.sendCard(ask.openId, reverseReferralFormCard(asker.unit.name), ask.replyKey);
}

/** 移送: the unit's open referrals and leads (the bureau and its leaders see every unit's). */
export async function showOpenReferrals(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  const scope = await reach(ctx.prisma, 'openReferrals', asker);
  if (scope === 'none')
    return void (await ctx.feishu.sendText(ask.openId, '移送和线索由法制员、负责人查看。', ask.replyKey));
  const countyWide = scope === 'county';
  const rows = await openReferrals(ctx.prisma, countyWide ? undefined : asker.unit.name);
  await ctx.feishu.sendCard(
    ask.openId,
    openReferralsCard(countyWide ? '全县' : asker.unit.name, rows, new Date(), ctx.config.TZ_CALENDAR),
    ask.replyKey,
  );
}

/** 移送台账: per unit, for the bureau and its leaders. */
export async function showReferralLedger(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if ((await reach(ctx.prisma, 'referralLedger', asker)) !== 'county')
    return void (await ctx.feishu.sendText(
      ask.openId,
      '移送台账由司法局和司法局领导查看。本单位的移送请发送「移送」。',
      ask.replyKey,
    ));
  const referrals = await allReferrals(ctx.prisma);
  const due = await openDeadlines(
    ctx.prisma,
    referrals.filter((r) => r.status === 'open').map((r) => r.workflowId),
  );
  const rows = ledgerRows(referrals, new Map([...due].map(([id, d]) => [id, d.dueAt])), new Date());
  await ctx.feishu.sendCard(ask.openId, ledgerCard(rows, dateIn(ctx.config.TZ_CALENDAR, new Date())), ask.replyKey);
}

/** 导出Excel on the ledger card: the ledger and every referral, as of the click. */
export async function exportReferralLedger(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const clicker = await findClicker(ctx, event);
  if (!clicker) return NOT_IN_ROSTER;
  if ((await reach(ctx.prisma, 'referralLedger', clicker)) !== 'county')
    return { toast: { type: 'warning', content: '移送台账由司法局和司法局领导导出' } };
  const asOf = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const referrals = await allReferrals(ctx.prisma);
  const due = await openDeadlines(
    ctx.prisma,
    referrals.filter((r) => r.status === 'open').map((r) => r.workflowId),
  );
  const rows = ledgerRows(referrals, new Map([...due].map(([id, d]) => [id, d.dueAt])), new Date());
  const details = referrals.map((r) => ({
    ...r,
    stepTitle: due.get(r.workflowId)?.stepTitle ?? r.stepTitle,
    dueAt: due.get(r.workflowId)?.dueAt ?? null,
  }));
  const bytes = await referralLedgerWorkbook({ rows, details, asOf });
  return sendWorkbook(ctx, event, {
    bytes,
    fileName: referralLedgerFileName(asOf),
    kind: 'export-referral-ledger',
    subject: '全县',
  });
}
