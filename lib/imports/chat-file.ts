import type { PrismaClient } from '../database';
import { loadCalendarSheet } from '../calendar-store';
import type { Sheet } from '../spreadsheet';
import { CALENDAR_COLUMNS, validateCalendarRows } from '../../workflows/domain/calendar-rows';
import { ROSTER_COLUMNS, validateRoster } from '../../workflows/domain/roster';
import { mapHeaders, type RowError } from '../../workflows/domain/table-rows';
import { TRAINING_COLUMNS, validateTrainingRows } from '../../workflows/domain/training-rows';
import { EXISTING, importOfficers, officerChanges } from './officers';
import { importTraining } from './training';

// A spreadsheet sent in chat: what kind it is (from its header row), what importing it would change
// (computed without writing), and who may import it. The import itself is the CLI's own function.

export type FileKind = 'roster' | 'training' | 'calendar';
export const KIND_NAMES: Record<FileKind, string> = { roster: '人员名册', training: '培训记录', calendar: '工作日历' };

/** Who is importing: the bureau any unit; a unit admin only their own unit's rows. */
export interface Importer {
  openId: string;
  role: string;
  unitId: number;
  unitName: string;
}

export interface Preview {
  kind: FileKind;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
}

export type ImportResult = { ok: true; summary: string } | { ok: false; errors: RowError[] };

export function recogniseKind(headers: string[]): FileKind | undefined {
  const has = (spec: Parameters<typeof mapHeaders>[1]) => mapHeaders(headers, spec).missing.length === 0;
  // Training exports often carry 姓名 and 单位 too: course and hours make a training file.
  if (has(TRAINING_COLUMNS)) return 'training';
  if (has(ROSTER_COLUMNS)) return 'roster';
  if (has(CALENDAR_COLUMNS)) return 'calendar';
  return undefined;
}

export function mayImport(importer: Importer, kind: FileKind): boolean {
  if (importer.role === 'bureau') return true;
  return importer.role === 'admin' && kind !== 'calendar';
}

export async function previewFile(prisma: PrismaClient, kind: FileKind, sheet: Sheet, importer: Importer): Promise<Preview> {
  const empty = { kind, rows: sheet.rows.length, added: 0, updated: 0, unchanged: 0 };
  if (kind === 'roster') {
    const validated = validateRoster(sheet.headers, sheet.rows);
    if (!validated.ok) return { ...empty, errors: validated.errors };
    const rows = validated.officers;
    const existing = new Map(
      (await prisma.officer.findMany({
        where: { certNo: { in: rows.map((r) => r.certNo) } },
        select: EXISTING,
      })).map((o) => [o.certNo, o]),
    );
    const errors: RowError[] = [];
    let added = 0;
    let updated = 0;
    for (const row of rows) {
      const before = existing.get(row.certNo);
      if (importer.role !== 'bureau' && row.unit !== importer.unitName) {
        errors.push({ row: row.row, column: '单位', value: row.unit, message: `只能导入本单位(${importer.unitName})的人员` });
        continue;
      }
      if (importer.role !== 'bureau' && before && before.unit.id !== importer.unitId) {
        errors.push({ row: row.row, column: '执法证号', value: row.certNo, message: `该执法证号已登记在${before.unit.name},请由司法局调整` });
        continue;
      }
      if (!before) added++;
      else if (Object.keys(officerChanges(before, row)).length) updated++;
    }
    return { ...empty, added, updated, unchanged: rows.length - added - updated, errors };
  }
  if (kind === 'training') {
    const validated = validateTrainingRows(sheet.headers, sheet.rows);
    if (!validated.ok) return { ...empty, errors: validated.errors };
    const rows = validated.records;
    const officers = await prisma.officer.findMany({
      where: { OR: [{ certNo: { in: rows.flatMap((r) => (r.certNo ? [r.certNo] : [])) } }, { openId: { in: rows.flatMap((r) => (r.openId ? [r.openId] : [])) } }] },
      select: { id: true, certNo: true, openId: true, unitId: true },
    });
    const byKey = new Map(officers.flatMap((o) => [[o.certNo, o] as const, ...(o.openId ? [[o.openId, o] as const] : [])]));
    const existing = await prisma.trainingRecord.findMany({
      where: { source: 'import', officerId: { in: officers.map((o) => o.id) } },
      select: { officerId: true, course: true, date: true, category: true, halfHours: true },
    });
    const key = (r: { officerId: number; course: string; date: string; category: string; halfHours: number }) => JSON.stringify([r.officerId, r.course, r.date, r.category, r.halfHours]);
    const known = new Set(existing.map((r) => key({ ...r, date: r.date.toISOString().slice(0, 10) })));
    const errors: RowError[] = [];
    let added = 0;
    for (const r of rows) {
      const officer = byKey.get((r.certNo ?? r.openId)!);
      const column = r.certNo ? '执法证号' : 'open_id';
      if (!officer) errors.push({ row: r.row, column, value: (r.certNo ?? r.openId)!, message: '名册中没有这名执法人员,请先导入人员名册' });
      else if (importer.role !== 'bureau' && officer.unitId !== importer.unitId) errors.push({ row: r.row, column, value: (r.certNo ?? r.openId)!, message: `不是本单位(${importer.unitName})的人员` });
      else if (!known.has(key({ officerId: officer.id, course: r.course, date: r.date, category: r.category, halfHours: r.halfHours }))) added++;
    }
    return { ...empty, rows: rows.length, added, unchanged: rows.length - added - errors.length, errors };
  }
  const validated = validateCalendarRows(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...empty, errors: validated.errors };
  return { ...empty, rows: validated.days.length, added: validated.days.length, errors: [] };
}

/** The import itself, through the same functions as the CLI; run only after a preview without errors. */
export async function importFile(
  prisma: PrismaClient,
  kind: FileKind,
  sheet: Sheet,
  fileName: string,
  actor: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ImportResult> {
  if (kind === 'roster') {
    const outcome = await importOfficers(prisma, sheet, actor);
    return outcome.ok ? { ok: true, summary: `新增 ${outcome.added} 人,更新 ${outcome.updated} 人,未变 ${outcome.unchanged} 人` } : outcome;
  }
  if (kind === 'training') {
    const outcome = await importTraining(prisma, sheet, actor, onProgress);
    return outcome.ok ? { ok: true, summary: `新增 ${outcome.added} 条,已有 ${outcome.unchanged} 条` } : outcome;
  }
  const outcome = await loadCalendarSheet(prisma, sheet, fileName, actor);
  return outcome.ok ? { ok: true, summary: `已载入 ${outcome.years.join('、')} 年日历` } : outcome;
}
