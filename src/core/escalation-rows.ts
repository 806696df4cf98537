import { checkRule, EscalationRuleError, type EscalationRuleRow } from './escalation';
import {
  columnLabel,
  type ColumnSpec,
  mapHeaders,
  missingColumnErrors,
  normalizeCell,
  type RowError,
  type SheetRow,
} from './table-rows';

// An escalation-ladder file: 流程, 步骤, 时点, 通知对象 — one row per rung. '*' in 流程 or 步骤 means any.
// 时点: half/过半, due/到期, due+N/超期N个工作日; 通知对象: owner/办理人, superior/上级, bureau/司法局,
// several separated by 、 , ; or spaces. A file replaces the whole ladder, so what is loaded is what runs.

export const ESCALATION_COLUMNS: ColumnSpec<'process' | 'stepKey' | 'milestone' | 'notify'> = {
  process: { aliases: ['process', '流程'], required: true },
  stepKey: { aliases: ['step', 'step_key', '步骤'], required: true },
  milestone: { aliases: ['milestone', '时点'], required: true },
  notify: { aliases: ['notify', '通知对象', '通知'], required: true },
};

const ROLE_WORDS: Record<string, string> = {
  办理人: 'owner',
  承办人: 'owner',
  上级: 'superior',
  负责人: 'superior',
  司法局: 'bureau',
  司法局领导: 'bureau',
};

function milestoneOf(text: string): string {
  const t = text.replace(/\s/g, '').toLowerCase();
  if (t === '过半' || t === '半程') return 'half';
  if (t === '到期') return 'due';
  const late = /^超期(\d{1,2})个?工作日$/.exec(t);
  return late ? `due+${late[1]}` : t;
}

export function validateEscalationRows(
  headers: string[],
  rows: SheetRow[],
): { ok: true; rules: EscalationRuleRow[] } | { ok: false; errors: RowError[] } {
  const { columns, missing } = mapHeaders(headers, ESCALATION_COLUMNS);
  if (missing.length) return { ok: false, errors: missingColumnErrors(missing, ESCALATION_COLUMNS) };
  const errors: RowError[] = [];
  const rules: EscalationRuleRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (f: keyof typeof ESCALATION_COLUMNS) => normalizeCell(cells[columns[f]!] ?? '');
    const fail = (f: keyof typeof ESCALATION_COLUMNS, message: string) =>
      errors.push({ row, column: columnLabel(f, ESCALATION_COLUMNS, headers, columns), value: cell(f), message });
    const rule: EscalationRuleRow = {
      process: cell('process'),
      stepKey: cell('stepKey'),
      milestone: milestoneOf(cell('milestone')),
      notify: cell('notify')
        .split(/[、,,;;\s]+/)
        .filter(Boolean)
        .map((w) => ROLE_WORDS[w] ?? w.toLowerCase()),
    };
    if (!rule.process) fail('process', '流程不能为空(任意流程写 *)');
    if (!rule.stepKey) fail('stepKey', '步骤不能为空(任意步骤写 *)');
    if (!rule.process || !rule.stepKey) continue;
    try {
      checkRule(rule);
    } catch (error) {
      if (!(error instanceof EscalationRuleError)) throw error;
      const message = error.message.replace(/^[^:]+: /, '');
      fail(message.includes('时点') ? 'milestone' : 'notify', message);
      continue;
    }
    const key = `${rule.process}/${rule.stepKey}/${rule.milestone}`;
    if (seen.has(key)) fail('milestone', `与第 ${seen.get(key)} 行重复`);
    else seen.set(key, row);
    rules.push(rule);
  }
  if (!errors.length && !rules.some((r) => r.process === '*' && r.stepKey === '*')) {
    errors.push({
      row: 1,
      column: '流程',
      value: '',
      message: '缺少适用于全部流程的规则(流程和步骤都写 * 的行),否则未单独配置的步骤将无人提醒',
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rules };
}
