import { officerHours, readRule } from '../../lib/training-store';
import { dateIn } from '../../workflows/domain/dates';
import { unitHoursFileName, unitHoursWorkbook } from '../exports/unit-hours-workbook';
import type { BotContext } from '../context';
import { FeishuApiError, FeishuNetworkError } from '../feishu-client';
import type { CardActionEvent } from '../feishu-events';
import type { CardResponse } from '../router';

// 导出Excel on the 本单位学时 card: the clicker's own unit, as of today, sent to the clicker as a file message.
// The same three steps (build a workbook, upload it, send it as a file) are the export path every other list
// (学时统计, the year-end list, the empowerment register) reuses.

const MAY_EXPORT = new Set(['admin', 'supervisor', 'leader', 'bureau']);

export async function exportUnitHours(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const clicker = await ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { id: true, role: true, unit: { select: { id: true, name: true } } },
  });
  if (!clicker) return { toast: { type: 'error', content: '您还不在执法通的人员名册中' } };
  if (!MAY_EXPORT.has(clicker.role)) {
    return { toast: { type: 'warning', content: '本单位学时由法制员和负责人导出。查看自己的学时请发送「学时」。' } };
  }
  // As of the click, not as of the card: a card sent at a checkpoint may be days old.
  const asOf = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const rule = await readRule(ctx.prisma, Number(asOf.slice(0, 4)));
  const rows = await officerHours(ctx.prisma, rule, asOf, { unitId: clicker.unit.id });
  const workbook = await unitHoursWorkbook({ unitName: clicker.unit.name, rule, rows, asOf });
  try {
    const fileKey = await ctx.feishu.uploadFile(workbook, unitHoursFileName(clicker.unit.name, rule.year, asOf), 'xls');
    // One file per click: a redelivered click (same event id) does not send a second copy.
    await ctx.feishu.sendFile(event.openId, fileKey, `export-unit-hours-${event.eventId ?? `${clicker.id}-${Date.now()}`}`);
  } catch (error) {
    // Feishu said no or could not be reached: tell the clicker to try again; our own bugs still throw.
    if (!(error instanceof FeishuApiError) && !(error instanceof FeishuNetworkError)) throw error;
    ctx.log(`导出本单位学时失败(${clicker.unit.name}): ${error.message}`);
    return { toast: { type: 'error', content: '文件没有发出去,请稍后再试' } };
  }
  return { toast: { type: 'success', content: '已发送Excel' } };
}
