import { countyLedger, townshipView } from './ledger';
import { startEmpowermentRounds } from './round-starter';
import { defaultRoundConfig } from './round-rules';
import { townshipsOnRegister } from './store';
import { readEmpowermentSettings } from './settings';
import { readRegister, type StoredGrant } from './store';
import { dateIn } from '../../core/dates';
import { DEFAULT_SCORING_TEMPLATE } from './scoring';
import { ledgerCard, townshipEmpowermentCard } from './cards';
import { empowermentFileName, ledgerWorkbook, townshipEmpowermentWorkbook } from './workbook';
import { findClicker, NOT_IN_ROSTER, sendWorkbook } from '../send-workbook';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { Ask } from '../chat-kit';
import type { CardResponse } from '../chat-kit';
import { findAsker } from '../roster/asker';

// 赋权 (a township's admin or head: their own matters), 赋权台账 (the bureau and leaders: the county), 发起赋权评估
// (the bureau: a round for each township on the register), and the two exports. Scope by role and unit.

const TOWNSHIP_ROLES = new Set(['admin', 'supervisor']);
const COUNTY_ROLES = new Set(['bureau', 'leader']);
const warn = (content: string): CardResponse => ({ toast: { type: 'warning', content } });

export async function showMyEmpowerment(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if (asker.role === 'bureau')
    return void (await ctx.feishu.sendText(ask.openId, '全县情况请发送「赋权台账」。', ask.replyKey));
  if (!TOWNSHIP_ROLES.has(asker.role))
    return void (await ctx.feishu.sendText(ask.openId, '赋权事项由乡镇/街道的法制员和负责人查看。', ask.replyKey));
  const now = new Date();
  const asOf = dateIn(ctx.config.TZ_CALENDAR, now);
  const view = await townshipView(ctx.prisma, asker.unit.name, asOf);
  await ctx.feishu.sendCard(ask.openId, townshipEmpowermentCard(view, asOf, now, ctx.config.TZ_CALENDAR), ask.replyKey);
}

export async function showEmpowermentLedger(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if (!COUNTY_ROLES.has(asker.role))
    return void (await ctx.feishu.sendText(
      ask.openId,
      '赋权台账由司法局和领导查看。本乡镇/街道的事项请发送「赋权」。',
      ask.replyKey,
    ));
  const now = new Date();
  const ledger = await countyLedger(ctx.prisma, dateIn(ctx.config.TZ_CALENDAR, now));
  const settings = await readEmpowermentSettings(ctx.prisma);
  const used = {
    template: (settings.template ?? DEFAULT_SCORING_TEMPLATE).name,
    mappedFields: Object.keys(settings.originalDepartments).length,
  };
  await ctx.feishu.sendCard(ask.openId, ledgerCard(ledger, now, ctx.config.TZ_CALENDAR, used), ask.replyKey);
}

export async function startEmpowermentEvaluation(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if (asker.role !== 'bureau')
    return void (await ctx.feishu.sendText(ask.openId, '赋权评估由司法局发起。', ask.replyKey));
  const townships = await townshipsOnRegister(ctx.prisma);
  if (!townships.length)
    return void (await ctx.feishu.sendText(ask.openId, '赋权登记簿为空,请先导入赋权事项登记表。', ask.replyKey));
  const config = defaultRoundConfig(dateIn(ctx.config.TZ_CALENDAR, new Date()));
  const { started, running } = await startEmpowermentRounds(
    ctx.temporal,
    ctx.config.TEMPORAL_TASK_QUEUE,
    townships,
    config,
    { name: asker.name, openId: ask.openId },
  );
  const lines = [
    started.length
      ? `已发起${config.periodLabel}赋权评估:${started.join('、')}(各乡镇/街道法制员将收到自评卡片)。`
      : '',
    running.length ? `${running.join('、')} 的${config.periodLabel}评估已发起过,未重复发起。` : '',
  ].filter(Boolean);
  await ctx.feishu.sendText(ask.openId, `${lines.join('\n')}\n发送「赋权台账」查看进度。`, ask.replyKey);
}

export async function exportTownshipEmpowerment(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const clicker = await findClicker(ctx, event);
  if (!clicker) return NOT_IN_ROSTER;
  if (!TOWNSHIP_ROLES.has(clicker.role)) return warn('赋权事项由乡镇/街道的法制员和负责人导出;全县请用「赋权台账」。');
  const asOf = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const register = await readRegister(ctx.prisma, clicker.unit.name, asOf);
  const bytes = await townshipEmpowermentWorkbook(register?.grants ?? []);
  return sendWorkbook(ctx, event, {
    bytes,
    fileName: empowermentFileName(clicker.unit.name, asOf),
    kind: 'export-empowerment',
    subject: clicker.unit.name,
  });
}

export async function exportEmpowermentLedger(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const clicker = await findClicker(ctx, event);
  if (!clicker) return NOT_IN_ROSTER;
  if (!COUNTY_ROLES.has(clicker.role)) return warn('赋权台账由司法局和领导导出。');
  const asOf = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const ledger = await countyLedger(ctx.prisma, asOf);
  const grants: StoredGrant[] = [];
  for (const t of [...new Set(ledger.rows.map((r) => r.township))])
    grants.push(...((await readRegister(ctx.prisma, t, asOf))?.grants ?? []));
  const bytes = await ledgerWorkbook(ledger, grants);
  return sendWorkbook(ctx, event, {
    bytes,
    fileName: empowermentFileName('全县', asOf),
    kind: 'export-empowerment-ledger',
    subject: '全县',
  });
}
