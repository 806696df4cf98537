import type { PrismaClient } from '../database';
import { loadCalendarSheet } from '../calendar-store';
import type { Sheet } from '../spreadsheet';
import { CALENDAR_COLUMNS } from '../../workflows/domain/calendar-rows';
import type { IsoDate } from '../../workflows/domain/dates';
import { EMPOWERMENT_COLUMNS } from '../../workflows/domain/empowerment-rows';
import { ROSTER_COLUMNS } from '../../workflows/domain/roster';
import { mapHeaders, type RowError } from '../../workflows/domain/table-rows';
import { TRAINING_COLUMNS } from '../../workflows/domain/training-rows';
import { describeEmpowermentImport, importEmpowerment } from './empowerment';
import { importOfficers } from './officers';
import { importTraining } from './training';

// A spreadsheet sent in chat: what kind it is (from its header row), what importing it would change
// (computed without writing, in chat-file-preview.ts), and who may import it. The import itself is the CLI's
// own function.

export { previewFile } from './chat-file-preview';

export const FILE_KINDS = ['roster', 'training', 'calendar', 'empowerment'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const KIND_NAMES: Record<FileKind, string> = { roster: '人员名册', training: '培训记录', calendar: '工作日历', empowerment: '赋权事项登记表' };

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
  /** What added / updated / unchanged count when it is not rows (the register counts grants: 份赋权文件). */
  counted?: string;
  errors: RowError[];
}

export type ImportResult = { ok: true; summary: string } | { ok: false; errors: RowError[] };

export function recogniseKind(headers: string[]): FileKind | undefined {
  const has = (spec: Parameters<typeof mapHeaders>[1]) => mapHeaders(headers, spec).missing.length === 0;
  // The register's own columns (乡镇/街道, 文号, 事项编码…) appear in no other kind; checked first so a register
  // exported with extra columns is never taken for something else.
  if (has(EMPOWERMENT_COLUMNS)) return 'empowerment';
  // Training exports often carry 姓名 and 单位 too: course and hours make a training file.
  if (has(TRAINING_COLUMNS)) return 'training';
  if (has(ROSTER_COLUMNS)) return 'roster';
  if (has(CALENDAR_COLUMNS)) return 'calendar';
  return undefined;
}

/** A unit admin may send the register too: the preview then refuses every row of another township. */
export function mayImport(importer: Importer, kind: FileKind): boolean {
  if (importer.role === 'bureau') return true;
  return importer.role === 'admin' && kind !== 'calendar';
}

export interface ImportRun {
  fileName: string;
  actor: string;
  /** The county's date (TZ_CALENDAR): a new register version starts on it. */
  today: IsoDate;
}

/** The import itself, through the same functions as the CLI; run only after a preview without errors. */
export async function importFile(
  prisma: PrismaClient,
  kind: FileKind,
  sheet: Sheet,
  { fileName, actor, today }: ImportRun,
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
  if (kind === 'empowerment') {
    const outcome = await importEmpowerment(prisma, sheet, actor, fileName, today);
    return outcome.ok ? { ok: true, summary: describeEmpowermentImport(outcome) } : outcome;
  }
  const outcome = await loadCalendarSheet(prisma, sheet, fileName, actor);
  return outcome.ok ? { ok: true, summary: `已载入 ${outcome.years.join('、')} 年日历` } : outcome;
}
