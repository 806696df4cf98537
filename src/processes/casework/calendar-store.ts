import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { PrismaClient } from '../../platform/db/database';
import { readSheet, type Sheet } from '../../platform/sheets/spreadsheet';
import { validateCalendarRows, type CalendarRow } from '../../core/calendar-rows';
import { readHolidayNotice } from '../../core/calendar-notice';
import { WorkingCalendar } from '../../core/calendar';
import { dateIn, isoDateOf } from '../../core/dates';
import { calendarLoadedSignal } from './contract';
import type { RowError } from '../../core/table-rows';
import { fromProjectRoot } from '../../platform/project-root';

// The working-day calendar lives in the database (one source for every replica); the years LawDesk ships
// (prisma/seed/calendar/cn-YYYY.csv) are loaded at start when missing; more with `calendar load FILE`.

export const SHIPPED_CALENDAR_DIR = fromProjectRoot('prisma', 'seed', 'calendar');

/**
 * The calendar in the database. A year with no data is planned provisionally (weekends and the statutory
 * holidays) so no case waits for a notice; `strict` makes it an error instead, for a judgement that must not be
 * guessed (a letter filed late or not).
 */
export async function readCalendar(prisma: PrismaClient, options: { strict?: boolean } = {}): Promise<WorkingCalendar> {
  const [years, days] = await Promise.all([
    prisma.calendarYear.findMany({ select: { year: true } }),
    prisma.calendarDay.findMany({ select: { date: true, kind: true, year: true } }),
  ]);
  return new WorkingCalendar(
    years.map(({ year }) => ({
      year,
      holidays: days.filter((d) => d.year === year && d.kind === 'holiday').map((d) => isoDateOf(d.date)),
      workdays: days.filter((d) => d.year === year && d.kind === 'workday').map((d) => isoDateOf(d.date)),
    })),
    { provisional: !options.strict },
  );
}

/** Loads a calendar file; each year in it replaces that year's data whole, in one transaction. */
export async function loadCalendarFile(
  prisma: PrismaClient,
  file: string,
  actor: string,
): Promise<{ ok: true; years: number[] } | { ok: false; errors: RowError[] }> {
  return loadCalendarSheet(prisma, await readSheet(file), path.basename(file), actor);
}

/** The same for a sheet already read (a file sent in chat); `source` is the file name kept with the data. */
export async function loadCalendarSheet(
  prisma: PrismaClient,
  sheet: Sheet,
  source: string,
  actor: string,
): Promise<{ ok: true; years: number[] } | { ok: false; errors: RowError[] }> {
  const validated = validateCalendarRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  const years = await saveYears(prisma, validated.days, source, actor);
  return { ok: true, years };
}

/**
 * Asks each case with an open step planned provisionally (暂定) through a year now loaded to plan it again; the
 * case moves its desk row and card and tells the owner when the deadline moved. Run after every calendar load
 * that has a Temporal client at hand, and each working day by the calendar watch (a load from the CLI without a
 * running server, or a year shipped with a new version). Repeating it is harmless: a replanned step is no longer
 * provisional, and a case ended meanwhile is skipped.
 */
export async function replanProvisionalSteps(
  prisma: PrismaClient,
  temporal: Client,
  timeZone: string,
): Promise<{ cases: number; failed: string[] }> {
  const loaded = new Set((await prisma.calendarYear.findMany({ select: { year: true } })).map((y) => y.year));
  const rows = await prisma.deadlineItem.findMany({
    where: { state: 'open', provisional: true },
    select: { workflowId: true, runId: true, dueAt: true },
  });
  // The year of the last day counted: a deadline at 24:00 belongs to the day before.
  const ready = rows.filter((r) => loaded.has(Number(dateIn(timeZone, new Date(r.dueAt.getTime() - 1)).slice(0, 4))));
  const runs = new Map(ready.map((r) => [`${r.workflowId}/${r.runId}`, r]));
  const years = [...loaded].sort();
  const failed: string[] = [];
  for (const { workflowId, runId } of runs.values()) {
    try {
      await temporal.workflow.getHandle(workflowId, runId).signal(calendarLoadedSignal, { years });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) failed.push(`${workflowId}: ${(error as Error).message}`);
    }
  }
  return { cases: runs.size, failed };
}

/** The State Council's notice as text (a .txt file), as the calendar sheet it stands for; else one sentence why not. */
export function holidayNoticeSheet(text: string): { ok: true; sheet: Sheet } | { ok: false; message: string } {
  const read = readHolidayNotice(text);
  return read.ok ? { ok: true, sheet: { headers: read.headers, headerRow: 1, rows: read.rows } } : read;
}

// Replicas starting together on an empty database would each find a shipped year missing and load it: the second
// insert fails on calendar_year_pkey and that process dies. Every calendar write takes this transaction-level advisory
// lock first (released at commit), so loads run one at a time, and the shipped load re-checks inside it.
const CALENDAR_LOCK_KEY = 7_318_220_452;

/** Loads each shipped year the database lacks; a year another process loaded meanwhile is left alone. */
export async function ensureShippedCalendar(prisma: PrismaClient): Promise<number[]> {
  const present = new Set((await prisma.calendarYear.findMany({ select: { year: true } })).map((y) => y.year));
  const loaded: number[] = [];
  for (const name of (await readdir(SHIPPED_CALENDAR_DIR)).filter((n) => /^cn-\d{4}\.csv$/.test(n)).sort()) {
    if (present.has(Number(name.slice(3, 7)))) continue;
    const validated = await readShippedYear(path.join(SHIPPED_CALENDAR_DIR, name));
    if (!validated.ok) throw new Error(`shipped calendar ${name} is invalid: ${JSON.stringify(validated.errors[0])}`);
    loaded.push(...(await saveYears(prisma, validated.days, name, 'system:shipped-calendar', { onlyMissing: true })));
  }
  return loaded;
}

async function readShippedYear(file: string) {
  const sheet = await readSheet(file);
  return validateCalendarRows(sheet.headers, sheet.rows);
}

/** Replaces each year in `days` whole; `onlyMissing` skips the years already loaded. Says which years it wrote. */
async function saveYears(
  prisma: PrismaClient,
  days: CalendarRow[],
  source: string,
  actor: string,
  options: { onlyMissing?: boolean } = {},
): Promise<number[]> {
  const inFile = [...new Set(days.map((d) => Number(d.date.slice(0, 4))))].sort();
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CALENDAR_LOCK_KEY}::bigint)`;
    const present = options.onlyMissing
      ? new Set(
          (await tx.calendarYear.findMany({ where: { year: { in: inFile } }, select: { year: true } })).map(
            (y) => y.year,
          ),
        )
      : new Set<number>();
    const years = inFile.filter((year) => !present.has(year));
    if (!years.length) return [];
    for (const year of years) {
      await tx.calendarYear.deleteMany({ where: { year } });
      await tx.calendarYear.create({ data: { year, source } });
      await tx.calendarDay.createMany({
        data: days
          .filter((d) => d.date.startsWith(`${year}-`))
          .map((d) => ({ date: new Date(`${d.date}T00:00:00Z`), year, kind: d.kind, name: d.name })),
      });
    }
    const written = days.filter((d) => years.includes(Number(d.date.slice(0, 4)))).length;
    await tx.auditEvent.create({
      data: { actor, action: 'calendar.loaded', subject: 'calendar', details: { source, years, days: written } },
    });
    return years;
  });
}
