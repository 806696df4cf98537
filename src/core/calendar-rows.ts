import type { IsoDate } from './dates';
import {
  columnLabel,
  type ColumnSpec,
  mapHeaders,
  missingColumnErrors,
  normalizeCell,
  parseDate,
  type RowError,
  type SheetRow,
} from './table-rows';

// A calendar file: one row per day that breaks the weekday/weekend rule (日期, 类型 休/班, 名称).

export const CALENDAR_COLUMNS: ColumnSpec<'date' | 'kind' | 'name'> = {
  date: { aliases: ['date', '日期'], required: true },
  kind: { aliases: ['kind', '类型'], required: true },
  name: { aliases: ['name', '名称', '节日'], required: false },
};

const KIND_WORDS: Record<string, 'holiday' | 'workday'> = {
  休: 'holiday',
  假: 'holiday',
  holiday: 'holiday',
  班: 'workday',
  上班: 'workday',
  workday: 'workday',
};

export interface CalendarRow {
  date: IsoDate;
  kind: 'holiday' | 'workday';
  name: string;
}

export function validateCalendarRows(
  headers: string[],
  rows: SheetRow[],
): { ok: true; days: CalendarRow[] } | { ok: false; errors: RowError[] } {
  const { columns, missing } = mapHeaders(headers, CALENDAR_COLUMNS);
  if (missing.length) return { ok: false, errors: missingColumnErrors(missing, CALENDAR_COLUMNS) };
  const errors: RowError[] = [];
  const days: CalendarRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (f: keyof typeof CALENDAR_COLUMNS) => normalizeCell(cells[columns[f] ?? -1] ?? '');
    const fail = (f: keyof typeof CALENDAR_COLUMNS, message: string) =>
      errors.push({ row, column: columnLabel(f, CALENDAR_COLUMNS, headers, columns), value: cell(f), message });
    const date = parseDate(cell('date'));
    const kind = KIND_WORDS[cell('kind').toLowerCase()];
    if (!date) fail('date', '日期无法识别');
    else if (seen.has(date)) fail('date', `与第${seen.get(date)}行日期重复`);
    if (!kind) fail('kind', '类型应为 休 或 班');
    if (date && kind && !seen.has(date))
      days.push({ date, kind, name: cell('name') || (kind === 'holiday' ? '节假日' : '调休上班') });
    if (date) seen.set(date, seen.get(date) ?? row);
  }
  return errors.length ? { ok: false, errors } : { ok: true, days };
}
