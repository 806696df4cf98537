import { completionByUnit, officerHours, readRule } from './store';
import { dateIn } from '../../core/dates';
import { countyHoursFileName, countyHoursWorkbook } from './county-hours-workbook';
import { findClicker, NOT_IN_ROSTER, sendWorkbook } from '../send-workbook';
import { unitHoursFileName, unitHoursWorkbook } from './unit-hours-workbook';
import { yearEndFileName, yearEndWorkbook, type YearEndOfficer } from './year-end-workbook';
import { reach } from '../scope';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { CardResponse } from '../chat-kit';

// 导出Excel on the training cards: 本单位学时 (the clicker's unit), 学时统计 (the county), and the year-end list.
// Each is: check who clicked against the scope table (src/core/scope.ts), build the workbook as of the click, then
// sendWorkbook uploads and sends it; a sent export of other people's records is recorded (audit_event).

const warn = (content: string): CardResponse => ({ toast: { type: 'warning', content } });

/** Sends the workbook, and records who exported whose records when it was sent. */
async function sendAndAudit(
  ctx: BotContext,
  event: CardActionEvent,
  clicker: { name: string },
  file: Parameters<typeof sendWorkbook>[2],
  details: object,
): Promise<CardResponse> {
  const answer = await sendWorkbook(ctx, event, file);
  if (answer.toast?.type === 'success') {
    await ctx.prisma.auditEvent.create({
      data: {
        actor: event.openId,
        action: 'training.exported',
        subject: file.subject,
        details: { kind: file.kind, byName: clicker.name, fileName: file.fileName, ...details },
      },
    });
  }
  return answer;
}

export async function exportUnitHours(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const clicker = await findClicker(ctx, event);
  if (!clicker) return NOT_IN_ROSTER;
  if ((await reach(ctx.prisma, 'unitHours', clicker)) === 'none')
    return warn('本单位学时由法制员和负责人导出。查看自己的学时请发送「学时」。');
  // As of the click, not as of the card: a card sent at a checkpoint may be days old.
  const asOf = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const rule = await readRule(ctx.prisma, Number(asOf.slice(0, 4)));
  const rows = await officerHours(ctx.prisma, rule, asOf, { unitId: clicker.unit.id });
  const bytes = await unitHoursWorkbook({ unitName: clicker.unit.name, rule, rows, asOf });
  return sendAndAudit(
    ctx,
    event,
    clicker,
    {
      bytes,
      fileName: unitHoursFileName(clicker.unit.name, rule.year, asOf),
      kind: 'export-unit-hours',
      subject: clicker.unit.name,
    },
    { officers: rows.length },
  );
}

/** 学时统计: every unit's completion and everyone not yet meeting the requirement; the bureau and its leaders only. */
export async function exportCountyHours(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const clicker = await findClicker(ctx, event);
  if (!clicker) return NOT_IN_ROSTER;
  if ((await reach(ctx.prisma, 'countyHoursExport', clicker)) !== 'county')
    return warn('全县学时统计由司法局和司法局领导导出。本单位的情况请发送「本单位学时」。');
  const asOf = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const rule = await readRule(ctx.prisma, Number(asOf.slice(0, 4)));
  const rows = await officerHours(ctx.prisma, rule, asOf);
  const bytes = await countyHoursWorkbook({ rule, units: completionByUnit(rows), rows, asOf });
  return sendAndAudit(
    ctx,
    event,
    clicker,
    { bytes, fileName: countyHoursFileName(rule.year, asOf), kind: 'export-county-hours', subject: '全县' },
    { officers: rows.length },
  );
}

/**
 * The year-end list as filed (training_shortfall), for the unit on the card. The card goes to the unit head and
 * the bureau; a unit's own admin and head may export their unit, leaders and the bureau any unit.
 */
export async function exportYearEnd(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const year = Number(event.value.year);
  const unitName = typeof event.value.unit === 'string' ? event.value.unit : '';
  if (!Number.isInteger(year) || !unitName) return { toast: { type: 'error', content: '这个按钮已失效' } };
  const clicker = await findClicker(ctx, event);
  if (!clicker) return NOT_IN_ROSTER;
  const scope = await reach(ctx.prisma, 'yearEndList', clicker);
  if (!(scope === 'county' || (scope === 'unit' && clicker.unit.name === unitName)))
    return warn('学时不足名单由本单位法制员、负责人和司法局导出。');

  const filed = await ctx.prisma.trainingShortfall.findMany({
    where: { year, unitName },
    select: { name: true, certNo: true, unitName: true, halfHours: true, required: true },
    orderBy: { certNo: 'asc' },
  });
  const rule = await readRule(ctx.prisma, year);
  const people = await ctx.prisma.officer.findMany({
    where: { certNo: { in: filed.map((f) => f.certNo) } },
    select: { certNo: true, certStatus: true, unitId: true },
  });
  // Hours now, read unit by unit (an officer may have moved since): usually the one unit on the card.
  const units = [...new Set(people.map((p) => p.unitId))];
  const current = (
    await Promise.all(units.map((unitId) => officerHours(ctx.prisma, rule, `${year}-12-31`, { unitId })))
  ).flat();
  const now = new Map(current.map((r) => [r.certNo, r.totals.total]));
  const status = new Map(people.map((p) => [p.certNo, p.certStatus]));
  const officers: YearEndOfficer[] = filed.map((f) => ({
    name: f.name,
    certNo: f.certNo,
    unitName: f.unitName,
    hours: f.halfHours / 2,
    required: f.required,
    hoursNow: now.get(f.certNo),
    certStatus: status.get(f.certNo),
  }));
  const bytes = await yearEndWorkbook({ year, unitName, officers });
  return sendAndAudit(
    ctx,
    event,
    clicker,
    { bytes, fileName: yearEndFileName(year, unitName), kind: 'export-year-end', subject: `${unitName} ${year}` },
    { officers: officers.length },
  );
}
