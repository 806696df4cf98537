import type { ThresholdRow } from './rules';
import {
  columnLabel,
  type ColumnSpec,
  mapHeaders,
  missingColumnErrors,
  normalizeCell,
  type RowError,
  type SheetRow,
} from '../../core/table-rows';

// The county's prosecution thresholds (立案追诉标准) as a file the bureau loads: one row per case type with the
// amount that reaches prosecution and where that amount comes from. They differ by province and change with
// each new interpretation, so the shipped rows are examples; a file replaces the whole table, so every row must
// be right before any is loaded. Pure.

type Column = 'caseType' | 'title' | 'amountYuan' | 'basis';

// No bare 类型 or 金额: a calendar has 类型, other files have amounts; these names belong to this file alone.
export const THRESHOLD_COLUMNS: ColumnSpec<Column> = {
  caseType: { aliases: ['case_type', '案件类型', '案件类型代码', '类型代码'], required: true },
  title: { aliases: ['title', '名称', '案件类型名称', '罪名'], required: true },
  amountYuan: {
    aliases: ['amount_yuan', '追诉标准(元)', '追诉标准', '立案追诉标准(元)', '追诉金额(元)'],
    required: true,
  },
  basis: { aliases: ['basis', '依据', '追诉依据', '规定依据'], required: true },
};

/** The table's amount is a 32-bit integer; no threshold comes near this, so more is a typing mistake. */
const MAX_YUAN = 1_000_000_000;
const MAX_TEXT = 200;

/**
 * Whole yuan as people write them: 50000, 50,000, ５００００ (made half-width by normalizeCell), 50000元,
 * 5万 / 5万元 / 1.5万. Undefined when it is not a whole, positive number of yuan.
 */
export function parseYuan(text: string): number | undefined {
  const t = normalizeCell(text).replace(/[\s,]/g, '').replace(/元$/, '');
  const m = /^(\d+(?:\.\d+)?)(万)?$/.exec(t);
  if (!m) return undefined;
  // In 万 a decimal is common (1.5万): the digits are shifted as text, so no floating-point rounding creeps in.
  const [whole, fraction = ''] = m[1]!.split('.');
  const digits = m[2] ? 4 : 0;
  if (fraction.replace(/0+$/, '').length > digits) return undefined;
  const yuan = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0').slice(0, digits) || '0');
  return Number.isSafeInteger(yuan) && yuan > 0 ? yuan : undefined;
}

export type ThresholdRows = { ok: true; thresholds: ThresholdRow[] } | { ok: false; errors: RowError[] };

export function validateThresholdRows(headers: string[], rows: SheetRow[]): ThresholdRows {
  const { columns, missing } = mapHeaders(headers, THRESHOLD_COLUMNS);
  if (missing.length) return { ok: false, errors: missingColumnErrors(missing, THRESHOLD_COLUMNS) };
  if (!rows.length)
    return {
      ok: false,
      errors: [
        {
          row: 1,
          column: THRESHOLD_COLUMNS.caseType.aliases[1]!,
          value: '',
          message: '文件中没有追诉标准(整表替换,至少要有一行)',
        },
      ],
    };
  const errors: RowError[] = [];
  const thresholds: ThresholdRow[] = [];
  // Codes differing only in case would read as one type to a person choosing from the form, so they clash.
  const firstRow = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (f: Column) => normalizeCell(cells[columns[f]!] ?? '');
    const before = errors.length;
    const fail = (f: Column, message: string) =>
      errors.push({ row, column: columnLabel(f, THRESHOLD_COLUMNS, headers, columns), value: cell(f), message });
    const caseType = cell('caseType');
    if (!caseType) fail('caseType', '案件类型不能为空(字母、数字或下划线组成的代码,如 fakeProducts)');
    else if (!/^[A-Za-z0-9_]{1,40}$/.test(caseType))
      fail('caseType', '案件类型应为 40 个字符以内的代码,只用字母、数字或下划线(如 fakeProducts)');
    else if (firstRow.has(caseType.toLowerCase()))
      fail('caseType', `与第 ${firstRow.get(caseType.toLowerCase())} 行重复`);
    else firstRow.set(caseType.toLowerCase(), row);
    const title = cell('title');
    if (!title) fail('title', '名称不能为空(登记案值时按名称选择案件类型)');
    else if (title.length > MAX_TEXT) fail('title', `名称不超过 ${MAX_TEXT} 个字`);
    const amountYuan = parseYuan(cell('amountYuan'));
    if (!cell('amountYuan')) fail('amountYuan', '追诉标准不能为空(单位:元)');
    else if (amountYuan === undefined) fail('amountYuan', '追诉标准应为大于 0 的整数元,如 50000、50,000 或 5万');
    else if (amountYuan > MAX_YUAN) fail('amountYuan', '追诉标准过大(单位是元,不超过 10 亿元)');
    const basis = cell('basis');
    if (!basis) fail('basis', '依据不能为空(如 刑法第140条; 立案追诉标准(一)第16条)');
    else if (basis.length > MAX_TEXT) fail('basis', `依据不超过 ${MAX_TEXT} 个字`);
    if (errors.length === before) thresholds.push({ caseType, title, amountYuan: amountYuan!, basis });
  }
  return errors.length ? { ok: false, errors } : { ok: true, thresholds };
}
