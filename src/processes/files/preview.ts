import type { PrismaClient } from '../../platform/db/database';
import { LATEST, readRegister, sameRegister } from '../empowerment/store';
import type { Sheet } from '../../platform/sheets/spreadsheet';
import { validateCalendarRows } from '../../core/calendar-rows';
import { isoDateOf } from '../../core/dates';
import { grantKey, type Grant } from '../empowerment/rules';
import { appendVersion } from '../empowerment/register';
import { EMPOWERMENT_COLUMNS, validateEmpowermentRows } from '../empowerment/rows';
import { validateRoster } from '../roster/rules';
import { atHeaderRow, columnLabel, mapHeaders, normalizeCell, type RowError } from '../../core/table-rows';
import { validateTrainingRows } from '../training/rows';
import type { FileKind, Importer, Preview } from './kinds';
import {
  previewCampaigns,
  previewDepartmentMap,
  previewEscalation,
  previewLeadRules,
  previewThresholds,
} from './settings-preview';
import { EXISTING, officerChanges } from '../roster/import';

// What importing a file sent in chat would change, read from the database and written nowhere: the card
// the admin sees before clicking 导入, and the check run again at the click. Each kind counts against what
// its import would compare with, so a file sent twice previews as unchanged.

type Counts = Omit<Preview, 'kind'>;

export async function previewFile(
  prisma: PrismaClient,
  kind: FileKind,
  sheet: Sheet,
  importer: Importer,
): Promise<Preview> {
  const counts =
    kind === 'roster'
      ? await previewRoster(prisma, sheet, importer)
      : kind === 'training'
        ? await previewTraining(prisma, sheet, importer)
        : kind === 'empowerment'
          ? await previewEmpowerment(prisma, sheet, importer)
          : kind === 'escalation'
            ? await previewEscalation(prisma, sheet)
            : kind === 'campaign'
              ? await previewCampaigns(prisma, sheet)
              : kind === 'department_map'
                ? await previewDepartmentMap(prisma, sheet)
                : kind === 'lead_rules'
                  ? await previewLeadRules(prisma, sheet)
                  : kind === 'referral_threshold'
                    ? await previewThresholds(prisma, sheet)
                    : await previewCalendar(prisma, sheet);
  return { kind, ...counts, errors: atHeaderRow(counts.errors, sheet.headerRow) };
}

const nothing = (sheet: Sheet) => ({ rows: sheet.rows.length, added: 0, updated: 0, unchanged: 0 });

async function previewRoster(prisma: PrismaClient, sheet: Sheet, importer: Importer): Promise<Counts> {
  const empty = nothing(sheet);
  const validated = validateRoster(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...empty, errors: validated.errors };
  const rows = validated.officers;
  const existing = new Map(
    (
      await prisma.officer.findMany({
        where: { certNo: { in: rows.map((r) => r.certNo) } },
        select: EXISTING,
      })
    ).map((o) => [o.certNo, o]),
  );
  const errors: RowError[] = [];
  let added = 0;
  let updated = 0;
  for (const row of rows) {
    const before = existing.get(row.certNo);
    if (importer.role !== 'bureau' && row.unit !== importer.unitName) {
      errors.push({
        row: row.row,
        column: '单位',
        value: row.unit,
        message: `只能导入本单位(${importer.unitName})的人员`,
      });
      continue;
    }
    if (importer.role !== 'bureau' && before && before.unit.id !== importer.unitId) {
      errors.push({
        row: row.row,
        column: '执法证号',
        value: row.certNo,
        message: `该执法证号已登记在${before.unit.name},请由司法局调整`,
      });
      continue;
    }
    if (!before) added++;
    else if (Object.keys(officerChanges(before, row)).length) updated++;
  }
  return { ...empty, added, updated, unchanged: rows.length - added - updated, errors };
}

async function previewTraining(prisma: PrismaClient, sheet: Sheet, importer: Importer): Promise<Counts> {
  const empty = nothing(sheet);
  const validated = validateTrainingRows(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...empty, errors: validated.errors };
  const rows = validated.records;
  const officers = await prisma.officer.findMany({
    where: {
      OR: [
        { certNo: { in: rows.flatMap((r) => (r.certNo ? [r.certNo] : [])) } },
        { openId: { in: rows.flatMap((r) => (r.openId ? [r.openId] : [])) } },
      ],
    },
    select: { id: true, certNo: true, openId: true, unitId: true },
  });
  const byKey = new Map(
    officers.flatMap((o) => [[o.certNo, o] as const, ...(o.openId ? [[o.openId, o] as const] : [])]),
  );
  const existing = await prisma.trainingRecord.findMany({
    where: { source: 'import', officerId: { in: officers.map((o) => o.id) } },
    select: { officerId: true, course: true, date: true, category: true, halfHours: true },
  });
  const key = (r: { officerId: number; course: string; date: string; category: string; halfHours: number }) =>
    JSON.stringify([r.officerId, r.course, r.date, r.category, r.halfHours]);
  const known = new Set(existing.map((r) => key({ ...r, date: r.date.toISOString().slice(0, 10) })));
  const errors: RowError[] = [];
  let added = 0;
  for (const r of rows) {
    const officer = byKey.get((r.certNo ?? r.openId)!);
    const column = r.certNo ? '执法证号' : 'open_id';
    if (!officer)
      errors.push({
        row: r.row,
        column,
        value: (r.certNo ?? r.openId)!,
        message: '名册中没有这名执法人员,请先导入人员名册',
      });
    else if (importer.role !== 'bureau' && officer.unitId !== importer.unitId)
      errors.push({
        row: r.row,
        column,
        value: (r.certNo ?? r.openId)!,
        message: `不是本单位(${importer.unitName})的人员`,
      });
    else if (
      !known.has(
        key({ officerId: officer.id, course: r.course, date: r.date, category: r.category, halfHours: r.halfHours }),
      )
    )
      added++;
  }
  return { ...empty, rows: rows.length, added, unchanged: rows.length - added - errors.length, errors };
}

/**
 * The register counts grants (township + form + 文号), as the import replaces them: added when the register
 * has no such grant, updated when its content differs, unchanged when it is the same. A unit admin's rows of
 * another township are errors, never skipped: the file would otherwise import less than it says.
 */
async function previewEmpowerment(prisma: PrismaClient, sheet: Sheet, importer: Importer): Promise<Counts> {
  const empty = { ...nothing(sheet), counted: '份赋权文件' };
  const outside = importer.role === 'bureau' ? [] : rowsOfOtherTownships(sheet, importer.unitName);
  const validated = validateEmpowermentRows(sheet.headers, sheet.rows);
  if (!validated.ok || outside.length)
    return { ...empty, errors: [...outside, ...(validated.ok ? [] : validated.errors)].sort((a, b) => a.row - b.row) };
  const grants = validated.grants;
  const errors: RowError[] = [];
  let added = 0;
  let updated = 0;
  for (const township of new Set(grants.map((g) => g.township))) {
    const current = await readRegister(prisma, township, LATEST);
    const onRegister = new Map((current?.grants ?? []).map((g) => [grantKey(g), g]));
    for (const grant of grants.filter((g) => g.township === township)) {
      const before = onRegister.get(grantKey(grant));
      if (!before) added++;
      else if (!sameRegister([before], [grant])) {
        updated++;
        // What the register's own rule would refuse at the import (a 委托's term changed in place), said now
        // on the grant's row instead of after the click. Only grants and dates are checked, so the current
        // version's decision stands in for the import's.
        const check = appendVersion([current!], {
          validFrom: current!.validFrom,
          grants: [grant],
          decision: current!.decision,
        });
        if (!check.ok) errors.push(...check.problems.map((message) => ({ ...grantCell(sheet, grant), message })));
      }
    }
  }
  const matters = grants.reduce((n, g) => n + g.matters.length, 0);
  return { ...empty, rows: matters, added, updated, unchanged: grants.length - added - updated, errors };
}

function rowsOfOtherTownships(sheet: Sheet, unitName: string): RowError[] {
  const { columns } = mapHeaders(sheet.headers, EMPOWERMENT_COLUMNS);
  const index = columns.township;
  if (index === undefined) return []; // a missing column is validation's error
  const column = columnLabel('township', EMPOWERMENT_COLUMNS, sheet.headers, columns);
  return sheet.rows.flatMap(({ row, cells }) => {
    const township = normalizeCell(cells[index] ?? '');
    return township && township !== unitName
      ? [{ row, column, value: township, message: `只能导入本乡镇/街道(${unitName})的赋权事项` }]
      : [];
  });
}

/** The first row of a grant in the file, and its 文号 cell (validation has already normalised both). */
function grantCell(sheet: Sheet, grant: Grant): Omit<RowError, 'message'> {
  const { columns } = mapHeaders(sheet.headers, EMPOWERMENT_COLUMNS);
  const cell = (cells: string[], index?: number) => normalizeCell(index === undefined ? '' : (cells[index] ?? ''));
  const first = sheet.rows.find(
    ({ cells }) =>
      cell(cells, columns.township) === grant.township &&
      cell(cells, columns.documentNo).replace(/\s+/g, '') === grant.documentNo,
  );
  return {
    row: first?.row ?? 1,
    column: columnLabel('documentNo', EMPOWERMENT_COLUMNS, sheet.headers, columns),
    value: grant.documentNo,
  };
}

/** Days against what is loaded: a loaded day with another 类型 or 名称 is updated. */
async function previewCalendar(prisma: PrismaClient, sheet: Sheet): Promise<Counts> {
  const validated = validateCalendarRows(sheet.headers, sheet.rows);
  if (!validated.ok) return { ...nothing(sheet), errors: validated.errors };
  const days = validated.days;
  // By year, not by date: a file has at most a few hundred days per year, and a list of 50,000 dates would
  // pass the database's limit on query parameters.
  const years = [...new Set(days.map((d) => Number(d.date.slice(0, 4))))];
  const loaded = new Map(
    (
      await prisma.calendarDay.findMany({
        where: { year: { in: years } },
        select: { date: true, kind: true, name: true },
      })
    ).map((d) => [isoDateOf(d.date), d]),
  );
  let added = 0;
  let updated = 0;
  for (const day of days) {
    const before = loaded.get(day.date);
    if (!before) added++;
    else if (before.kind !== day.kind || before.name !== day.name) updated++;
  }
  return { rows: days.length, added, updated, unchanged: days.length - added - updated, errors: [] };
}
