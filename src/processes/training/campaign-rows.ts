import type { RotationCampaign } from './rules';
import {
  columnLabel,
  type ColumnSpec,
  mapHeaders,
  missingColumnErrors,
  normalizeCell,
  parseDate,
  type RowError,
  type SheetRow,
} from '../../core/table-rows';

// A rotation-campaign file (全员轮训): 名称, 课程, 截止日期, 单位 (several units separated by 、 , ; or spaces).

export const CAMPAIGN_COLUMNS: ColumnSpec<'name' | 'course' | 'deadline' | 'units'> = {
  name: { aliases: ['name', '名称', '轮训名称'], required: true },
  course: { aliases: ['course', '课程', '课程名称'], required: true },
  deadline: { aliases: ['deadline', '截止日期', '完成期限'], required: true },
  units: { aliases: ['units', '单位', '参训单位'], required: true },
};

export function validateCampaignRows(
  headers: string[],
  rows: SheetRow[],
): { ok: true; campaigns: RotationCampaign[] } | { ok: false; errors: RowError[] } {
  const { columns, missing } = mapHeaders(headers, CAMPAIGN_COLUMNS);
  if (missing.length) return { ok: false, errors: missingColumnErrors(missing, CAMPAIGN_COLUMNS) };
  const errors: RowError[] = [];
  const campaigns: RotationCampaign[] = [];
  for (const { row, cells } of rows) {
    const cell = (f: keyof typeof CAMPAIGN_COLUMNS) => normalizeCell(cells[columns[f]!] ?? '');
    const fail = (f: keyof typeof CAMPAIGN_COLUMNS, message: string) =>
      errors.push({ row, column: columnLabel(f, CAMPAIGN_COLUMNS, headers, columns), value: cell(f), message });
    const before = errors.length;
    if (!cell('name')) fail('name', '名称不能为空');
    if (!cell('course')) fail('course', '课程不能为空');
    const deadline = parseDate(cell('deadline'));
    if (!deadline) fail('deadline', '日期无法识别');
    const units = cell('units')
      .split(/[、,,;;\s]+/)
      .filter(Boolean);
    if (!units.length) fail('units', '至少写一个单位');
    if (errors.length === before)
      campaigns.push({ name: cell('name'), course: cell('course'), deadline: deadline!, units });
  }
  return errors.length ? { ok: false, errors } : { ok: true, campaigns };
}
