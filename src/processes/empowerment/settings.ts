import { readFile } from 'node:fs/promises';
import { latestSetting, storeSetting, type LoadResult } from '../../platform/db/bureau-settings';
import type { PrismaClient } from '../../platform/db/database';
import { readSheet, type Sheet } from '../../platform/sheets/spreadsheet';
import { validateDepartmentMapRows } from './rows';
import { parseScoringTemplate, type ScoringTemplate } from './scoring-template';

// The bureau's empowerment settings (issue #7): the scoring template (JSON, checked field by field) and the
// field → original department map (a 领域/原主管部门 sheet), stored as bureau settings (src/platform/db/bureau-settings.ts).
// A round reads them once when it starts: a template loaded mid-round does not change that round.

export interface EmpowermentSettings {
  /** Undefined until the bureau loads one: rounds then use the shipped default. */
  template?: ScoringTemplate;
  originalDepartments: Record<string, string>;
}

export type { LoadResult };

/** A template file: JSON in the shape of DEFAULT_SCORING_TEMPLATE; every problem named by its path. */
export async function loadScoringTemplateFile(
  prisma: PrismaClient,
  file: string,
  actor: string,
): Promise<LoadResult<ScoringTemplate>> {
  const parsed = parseScoringTemplate(await readFile(file, 'utf8'));
  if (!parsed.ok)
    return {
      ok: false,
      errors: parsed.errors.map((message) => ({ row: 1, column: message.split(':')[0]!, value: '', message })),
    };
  await storeSetting(prisma, 'scoring_template', parsed.template, file, actor, 'empowerment');
  return { ok: true, value: parsed.template };
}

/** A 领域 → 原主管部门 sheet (.csv or .xlsx); replaces the whole map, so what is loaded is what rounds use. */
export async function loadDepartmentMapFile(
  prisma: PrismaClient,
  file: string,
  actor: string,
): Promise<LoadResult<Record<string, string>>> {
  return loadDepartmentMapSheet(prisma, await readSheet(file), file, actor);
}

/** The same for a sheet already read (a file sent in chat); `fileName` is kept with the map as its source. */
export async function loadDepartmentMapSheet(
  prisma: PrismaClient,
  sheet: Sheet,
  fileName: string,
  actor: string,
): Promise<LoadResult<Record<string, string>>> {
  const validated = validateDepartmentMapRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  await storeSetting(prisma, 'original_departments', validated.map, fileName, actor, 'empowerment');
  return { ok: true, value: validated.map };
}

export async function readEmpowermentSettings(prisma: PrismaClient): Promise<EmpowermentSettings> {
  const template = await latestSetting<ScoringTemplate>(prisma, 'scoring_template');
  return {
    ...(template ? { template } : {}),
    originalDepartments: (await latestSetting<Record<string, string>>(prisma, 'original_departments')) ?? {},
  };
}
