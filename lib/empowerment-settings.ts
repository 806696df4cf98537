import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PrismaClient } from './database';
import { readSheet, type Sheet } from './spreadsheet';
import { validateDepartmentMapRows } from '../workflows/domain/empowerment-rows';
import { parseScoringTemplate, type ScoringTemplate } from '../workflows/domain/empowerment-scoring';
import type { RowError } from '../workflows/domain/table-rows';

// The bureau's empowerment settings (issue #7): the scoring template (JSON, checked field by field) and the
// field → original department map (a 领域/原主管部门 sheet). Loaded with the CLI; each load is a new row and an
// audit event, the latest row of a kind is in force. A round reads them once when it starts (through its
// activity, so the values are in its history): a template loaded mid-round does not change that round.

type Kind = 'scoring_template' | 'original_departments';

export interface EmpowermentSettings {
  /** Undefined until the bureau loads one: rounds then use the shipped default. */
  template?: ScoringTemplate;
  originalDepartments: Record<string, string>;
}

export type LoadResult<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

async function store(prisma: PrismaClient, kind: Kind, body: object, file: string, actor: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.empowermentSetting.create({ data: { kind, body, source: basename(file), loadedBy: actor } });
    await tx.auditEvent.create({ data: { actor, action: `empowerment.${kind}_loaded`, subject: 'empowerment', details: { file: basename(file), body } } });
  });
}

/** A template file: JSON in the shape of DEFAULT_SCORING_TEMPLATE; every problem named by its path. */
export async function loadScoringTemplateFile(prisma: PrismaClient, file: string, actor: string): Promise<LoadResult<ScoringTemplate>> {
  const parsed = parseScoringTemplate(await readFile(file, 'utf8'));
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((message) => ({ row: 1, column: message.split(':')[0]!, value: '', message })) };
  await store(prisma, 'scoring_template', parsed.template, file, actor);
  return { ok: true, value: parsed.template };
}

/** A 领域 → 原主管部门 sheet (.csv or .xlsx); replaces the whole map, so what is loaded is what rounds use. */
export async function loadDepartmentMapFile(prisma: PrismaClient, file: string, actor: string): Promise<LoadResult<Record<string, string>>> {
  return loadDepartmentMapSheet(prisma, await readSheet(file), file, actor);
}

/** The same for a sheet already read (a file sent in chat); `fileName` is kept with the map as its source. */
export async function loadDepartmentMapSheet(prisma: PrismaClient, sheet: Sheet, fileName: string, actor: string): Promise<LoadResult<Record<string, string>>> {
  const validated = validateDepartmentMapRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  await store(prisma, 'original_departments', validated.map, fileName, actor);
  return { ok: true, value: validated.map };
}

export async function readEmpowermentSettings(prisma: PrismaClient): Promise<EmpowermentSettings> {
  const latest = async (kind: Kind) => (await prisma.empowermentSetting.findFirst({ where: { kind }, orderBy: { id: 'desc' }, select: { body: true } }))?.body;
  const template = await latest('scoring_template');
  const departments = await latest('original_departments');
  // Written only by the loaders above, after validation.
  return {
    ...(template !== undefined ? { template: template as unknown as ScoringTemplate } : {}),
    originalDepartments: (departments ?? {}) as Record<string, string>,
  };
}
