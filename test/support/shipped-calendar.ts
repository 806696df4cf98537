import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../src/platform/sheets/spreadsheet';
import { validateCalendarRows } from '../../src/core/calendar-rows';
import { WorkingCalendar, calendarYearsFromRows, type CalendarYearData } from '../../src/core/calendar';

/** The 2025 and 2026 calendars LawDesk ships (prisma/seed/calendar), for pure tests with no database. */
export function shippedCalendar(): WorkingCalendar {
  return new WorkingCalendar(shippedCalendarData());
}

/** The same as data, one entry a shipped year. */
export function shippedCalendarData(): CalendarYearData[] {
  const rows = [2025, 2026].flatMap((year) => {
    const [headers, ...cells] = parseCsv(
      readFileSync(path.resolve(import.meta.dirname, `../../prisma/seed/calendar/cn-${year}.csv`), 'utf8'),
    ).filter((r) => r.length > 1);
    const result = validateCalendarRows(
      headers!,
      cells.map((c, i) => ({ row: i + 2, cells: c })),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.days;
  });
  return calendarYearsFromRows(rows);
}
