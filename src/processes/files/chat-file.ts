import type { PrismaClient } from '../../platform/db/database';
import type { Sheet } from '../../platform/sheets/spreadsheet';
import { CALENDAR_COLUMNS } from '../../core/calendar-rows';
import { CAMPAIGN_COLUMNS } from '../training/campaign-rows';
import type { IsoDate } from '../../core/dates';
import { DEPARTMENT_MAP_COLUMNS, EMPOWERMENT_COLUMNS } from '../empowerment/rows';
import { ESCALATION_COLUMNS } from '../../core/escalation-rows';
import { LEAD_RULE_COLUMNS } from '../referral/lead-rule-rows';
import { THRESHOLD_COLUMNS } from '../referral/threshold-rows';
import { ROSTER_COLUMNS } from '../roster/rules';
import { atHeaderRow, mapHeaders } from '../../core/table-rows';
import { TRAINING_COLUMNS } from '../training/rows';
import { describeEmpowermentImport, importEmpowerment } from '../empowerment/import';
import { importOfficers } from '../roster/import';
import { isSettingKind, SETTING_LOADS, type ImportResult } from './setting-loads';
import { importTraining } from '../training/import';

export type { ImportResult };

// A spreadsheet sent in chat: what kind it is (from its header row), what importing it would change
// (computed without writing, in chat-file-preview.ts), and who may import it. The import itself is the CLI's
// own function.

export { previewFile } from './preview';
export { FILE_KINDS, KIND_NAMES, type FileKind, type Importer, type Preview } from './kinds';
import type { FileKind, Importer } from './kinds';

/** County-wide settings: a unit admin's file would change them for every unit. */
const BUREAU_ONLY: ReadonlySet<FileKind> = new Set([
  'calendar',
  'escalation',
  'campaign',
  'department_map',
  'lead_rules',
  'referral_threshold',
]);

export function recogniseKind(headers: string[]): FileKind | undefined {
  const has = (spec: Parameters<typeof mapHeaders>[1]) => mapHeaders(headers, spec).missing.length === 0;
  // The register's own columns (乡镇/街道, 文号, 事项编码…) appear in no other kind; checked first so a register
  // exported with extra columns is never taken for something else.
  if (has(EMPOWERMENT_COLUMNS)) return 'empowerment';
  // Training exports often carry 姓名 and 单位 too: course and hours make a training file.
  if (has(TRAINING_COLUMNS)) return 'training';
  if (has(ROSTER_COLUMNS)) return 'roster';
  if (has(CALENDAR_COLUMNS)) return 'calendar';
  // The bureau's settings after the kinds above, so a file of theirs reads as before. None of them has all
  // the required columns of an earlier kind, nor they of it (test/unit/referral-threshold-rows.test.ts checks). The map's two columns also sit inside a
  // register's English header (field, department), so the map comes last of all.
  if (has(ESCALATION_COLUMNS)) return 'escalation';
  if (has(CAMPAIGN_COLUMNS)) return 'campaign';
  if (has(DEPARTMENT_MAP_COLUMNS)) return 'department_map';
  // 项目 + 时限 + 单位 appear together in no other kind (a roster's 单位 comes with 姓名 and 执法证号).
  if (has(LEAD_RULE_COLUMNS)) return 'lead_rules';
  // 案件类型 and 追诉标准(元) appear in no other kind, and none of this file's columns complete another kind's set.
  if (has(THRESHOLD_COLUMNS)) return 'referral_threshold';
  return undefined;
}

/** A unit admin may send the register too: the preview then refuses every row of another township. */
export function mayImport(importer: Importer, kind: FileKind): boolean {
  if (importer.role === 'bureau') return true;
  return importer.role === 'admin' && !BUREAU_ONLY.has(kind);
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
  run: ImportRun,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ImportResult> {
  const result = await importKind(prisma, kind, sheet, run, onProgress);
  return result.ok ? result : { ok: false, errors: atHeaderRow(result.errors, sheet.headerRow) };
}

async function importKind(
  prisma: PrismaClient,
  kind: FileKind,
  sheet: Sheet,
  { fileName, actor, today }: ImportRun,
  onProgress: (done: number, total: number) => void,
): Promise<ImportResult> {
  if (kind === 'roster') {
    const outcome = await importOfficers(prisma, sheet, actor);
    return outcome.ok
      ? { ok: true, summary: `新增 ${outcome.added} 人,更新 ${outcome.updated} 人,未变 ${outcome.unchanged} 人` }
      : outcome;
  }
  if (kind === 'training') {
    const outcome = await importTraining(prisma, sheet, actor, onProgress);
    return outcome.ok ? { ok: true, summary: `新增 ${outcome.added} 条,已有 ${outcome.unchanged} 条` } : outcome;
  }
  if (kind === 'empowerment') {
    const outcome = await importEmpowerment(prisma, sheet, actor, fileName, today, onProgress);
    return outcome.ok ? { ok: true, summary: describeEmpowermentImport(outcome) } : outcome;
  }
  // The bureau's settings: the CLI's own loaders and sentences.
  if (isSettingKind(kind)) return SETTING_LOADS[kind](prisma, sheet, fileName, actor);
  throw new Error(`no import for ${kind satisfies never}`);
}
