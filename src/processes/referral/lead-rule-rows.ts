import type { Clock } from '../../core/deadlines';
import { DEFAULT_LEAD_RULES, type LeadRules } from './leads';
import {
  columnLabel,
  type ColumnSpec,
  mapHeaders,
  missingColumnErrors,
  normalizeCell,
  type RowError,
  type SheetRow,
} from '../../core/table-rows';

// The county's hotline lead rules (12345 and supervision leads, DOMAIN.md §4) as a file the bureau loads: one
// row per rule — 签收, 退单, 退单次数, 超期通报 — and one per lead type with its reply time limit (紧急诉求 24 小时,
// 咨询 3 工作日, 投诉 13 工作日, or the county's own types). The whole file replaces the rules, so every rule is
// required: what is loaded is what runs. Pure.

type Column = 'item' | 'limit' | 'unit';

export const LEAD_RULE_COLUMNS: ColumnSpec<Column> = {
  item: { aliases: ['item', '项目', '线索类型/项目'], required: true },
  limit: { aliases: ['limit', '时限', '数值'], required: true },
  unit: { aliases: ['unit', '单位'], required: true },
};

/** The rules that are not a lead type, by the words a county would write. */
const RULE_WORDS: Record<string, 'sign' | 'sendBack' | 'maxSendBacks' | 'notice'> = {
  签收: 'sign',
  签收时限: 'sign',
  退单: 'sendBack',
  退单时限: 'sendBack',
  退单期限: 'sendBack',
  退单次数: 'maxSendBacks',
  退单次数上限: 'maxSendBacks',
  超期通报: 'notice',
  通报: 'notice',
  超期通报时限: 'notice',
};
const RULE_LABEL = { sign: '签收', sendBack: '退单', maxSendBacks: '退单次数', notice: '超期通报' } as const;

/** The shipped types keep their keys, so leads already running and files loaded before still match. */
const TYPE_KEYS: Record<string, string> = Object.fromEntries(
  Object.entries(DEFAULT_LEAD_RULES.replyClocks).map(([key, t]) => [t.label, key]),
);

type Unit = 'workingDays' | 'hours' | 'times';
const UNIT_WORDS: Record<string, Unit> = { 工作日: 'workingDays', 个工作日: 'workingDays', 小时: 'hours', 次: 'times' };
const MAX: Record<Unit, number> = { workingDays: 60, hours: 720, times: 5 };

export function validateLeadRuleRows(
  headers: string[],
  rows: SheetRow[],
): { ok: true; rules: LeadRules } | { ok: false; errors: RowError[] } {
  const { columns, missing } = mapHeaders(headers, LEAD_RULE_COLUMNS);
  if (missing.length) return { ok: false, errors: missingColumnErrors(missing, LEAD_RULE_COLUMNS) };
  const errors: RowError[] = [];
  const found: Partial<Record<keyof typeof RULE_LABEL, { amount: number; unit: Unit }>> = {};
  const replyClocks: LeadRules['replyClocks'] = {};
  const firstRow = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (f: Column) => normalizeCell(cells[columns[f]!] ?? '');
    const fail = (f: Column, message: string) =>
      errors.push({ row, column: columnLabel(f, LEAD_RULE_COLUMNS, headers, columns), value: cell(f), message });
    const item = cell('item');
    if (!item) {
      fail('item', '项目不能为空(签收、退单、退单次数、超期通报,或线索类型名称)');
      continue;
    }
    const rule = RULE_WORDS[item];
    const key = rule ?? `type:${item}`;
    if (firstRow.has(key)) {
      fail('item', `与第 ${firstRow.get(key)} 行重复`);
      continue;
    }
    firstRow.set(key, row);
    const unit = UNIT_WORDS[cell('unit')];
    const amount = Number(cell('limit'));
    const allowed: Unit[] =
      rule === 'maxSendBacks' ? ['times'] : rule === 'notice' ? ['workingDays'] : ['workingDays', 'hours'];
    if (!unit || !allowed.includes(unit)) {
      fail(
        'unit',
        `「${item}」的单位应为 ${allowed.map((u) => ({ workingDays: '工作日', hours: '小时', times: '次' })[u]).join(' 或 ')}`,
      );
      continue;
    }
    const least = rule === 'maxSendBacks' ? 0 : 1;
    if (!Number.isInteger(amount) || amount < least || amount > MAX[unit]) {
      fail('limit', `应为 ${least}–${MAX[unit]} 之间的整数`);
      continue;
    }
    if (rule) found[rule] = { amount, unit };
    else
      replyClocks[TYPE_KEYS[item] ?? item] = {
        label: item,
        clock: { unit: unit === 'hours' ? 'hours' : 'workingDays', amount },
      };
  }
  if (errors.length) return { ok: false, errors };
  for (const [rule, label] of Object.entries(RULE_LABEL)) {
    if (!found[rule as keyof typeof RULE_LABEL])
      errors.push({ row: 1, column: '项目', value: '', message: `缺少「${label}」一行(整表替换,每条规则都要写明)` });
  }
  if (!Object.keys(replyClocks).length)
    errors.push({ row: 1, column: '项目', value: '', message: '至少要有一种线索类型及其答复时限(如 投诉 13 工作日)' });
  if (errors.length) return { ok: false, errors };
  const clock = (r: keyof typeof RULE_LABEL): Clock => ({
    unit: found[r]!.unit === 'hours' ? 'hours' : 'workingDays',
    amount: found[r]!.amount,
  });
  return {
    ok: true,
    rules: {
      signClock: clock('sign'),
      sendBackClock: clock('sendBack'),
      maxSendBacks: found.maxSendBacks!.amount,
      noticeAfterWorkingDays: found.notice!.amount,
      replyClocks,
    },
  };
}
