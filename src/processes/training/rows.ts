import { checkHours, type TrainingCategory } from './rules';
import { overLimit, TEXT_LIMITS } from '../../core/text-limits';
import {
  columnLabel,
  mapHeaders,
  normalizeCell,
  parseDate,
  type ColumnSpec,
  type RowError,
  type SheetRow,
} from '../../core/table-rows';

// The training records file (DESIGN.md): 执法证号 (or open_id), 课程, 类别, 学时, 日期.

export const TRAINING_COLUMNS: ColumnSpec<'certNo' | 'openId' | 'course' | 'category' | 'hours' | 'date'> = {
  certNo: { aliases: ['cert_no', '执法证号', '证号'], required: false },
  openId: { aliases: ['open_id', 'openid'], required: false },
  course: { aliases: ['course', '课程', '课程名称', '培训内容'], required: true },
  category: { aliases: ['category', '类别', '培训类别'], required: true },
  hours: { aliases: ['hours', '学时', '学时数'], required: true },
  date: { aliases: ['date', '日期', '培训日期'], required: true },
};

const CATEGORY_WORDS: Record<string, TrainingCategory> = {
  公共法律知识: 'public_law',
  公共法律: 'public_law',
  public_law: 'public_law',
  业务知识: 'business',
  专业知识: 'business',
  business: 'business',
  行政执法技能: 'skills',
  执法技能: 'skills',
  skills: 'skills',
};

export interface TrainingRow {
  row: number;
  certNo?: string;
  openId?: string;
  course: string;
  category: TrainingCategory;
  halfHours: number;
  date: string;
}

export function validateTrainingRows(
  headers: string[],
  rows: SheetRow[],
): { ok: true; records: TrainingRow[] } | { ok: false; errors: RowError[] } {
  const { columns, missing } = mapHeaders(headers, TRAINING_COLUMNS);
  const errors: RowError[] = missing.map((f) => ({
    row: 1,
    column: TRAINING_COLUMNS[f].aliases[1]!,
    value: '',
    message: `缺少必填列(可写作 ${TRAINING_COLUMNS[f].aliases.join(' / ')})`,
  }));
  if (columns.certNo === undefined && columns.openId === undefined)
    errors.push({ row: 1, column: '执法证号', value: '', message: '需要「执法证号」或「open_id」列' });
  if (errors.length) return { ok: false, errors };
  const records: TrainingRow[] = [];
  for (const { row, cells } of rows) {
    const cell = (f: keyof typeof TRAINING_COLUMNS) =>
      columns[f] === undefined ? '' : normalizeCell(cells[columns[f]!] ?? '');
    const fail = (f: keyof typeof TRAINING_COLUMNS, message: string) =>
      errors.push({ row, column: columnLabel(f, TRAINING_COLUMNS, headers, columns), value: cell(f), message });
    const before = errors.length;
    const certNo = cell('certNo').replace(/\s+/g, '').toUpperCase() || undefined;
    const openId = cell('openId') || undefined;
    if (!certNo && !openId) fail(columns.certNo !== undefined ? 'certNo' : 'openId', '执法证号不能为空');
    const course = cell('course');
    const courseTooLong = overLimit('课程', course, TEXT_LIMITS.course);
    if (!course) fail('course', '课程不能为空');
    else if (courseTooLong) fail('course', courseTooLong);
    const category = CATEGORY_WORDS[cell('category')];
    if (!category) fail('category', '类别应为 公共法律知识、业务知识 或 行政执法技能');
    const hours = Number(cell('hours'));
    const hoursProblem = cell('hours') === '' ? '学时不能为空' : checkHours(hours);
    if (hoursProblem) fail('hours', hoursProblem);
    const date = parseDate(cell('date'));
    if (!date) fail('date', '日期无法识别,请写作 2026-03-05 或 2026年3月5日');
    if (errors.length === before)
      records.push({ row, certNo, openId, course, category: category!, halfHours: Math.round(hours * 2), date: date! });
  }
  return errors.length ? { ok: false, errors } : { ok: true, records };
}
