import type { FieldValues, StepField, StepOutcome } from './contract';

// What a step's owner sends back from its card, checked before the workflow accepts it: an outcome the step
// offers, a reason where that outcome needs one, every required field, dates as dates, choices from the
// list. Pure, so the workflow's update validator and the tests share it. The answer names the field.

export interface StepAnswer {
  outcome: string;
  comment?: string;
  values?: FieldValues;
}

/** undefined when the answer is acceptable; else what is wrong, in the words the card uses. */
export function checkStepAnswer(
  step: { outcomes: StepOutcome[]; fields?: StepField[] },
  answer: StepAnswer,
): string | undefined {
  const outcome = step.outcomes.find((o) => o.key === answer.outcome);
  if (!outcome) return '这一步不能这样处理';
  if (outcome.needsReason && !answer.comment?.trim()) return `「${outcome.label}」时请填写理由`;
  for (const field of step.fields ?? []) {
    const value = answer.values?.[field.name];
    const empty = value === undefined || (Array.isArray(value) ? !value.length : !value.trim());
    if (empty) {
      if (field.required) return `请填写「${field.label}」`;
      continue;
    }
    const problem = checkValue(field, value);
    if (problem) return `「${field.label}」${problem}`;
  }
  return undefined;
}

function checkValue(field: StepField, value: string | string[]): string | undefined {
  const values = Array.isArray(value) ? value : [value];
  if (field.type !== 'multiselect' && values.length > 1) return '只能填一个';
  const allowed = new Set(field.options?.map((o) => o.value));
  for (const v of values) {
    if (field.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return `应为日期(如 2026-03-05),收到「${v}」`;
    if (field.type === 'number' && !/^\d+(\.\d+)?$/.test(v)) return `应为数字,收到「${v}」`;
    if ((field.type === 'select' || field.type === 'multiselect') && !allowed.has(v)) return `不是可选的一项:「${v}」`;
    if (v.length > 2000) return '太长了(最多 2000 字)';
  }
  return undefined;
}

/** How a filled-in value reads on a card: a choice by its label, several joined. */
export function describeValue(field: StepField, value: string | string[] | undefined): string {
  if (value === undefined) return '—';
  const label = (v: string) => field.options?.find((o) => o.value === v)?.label ?? v;
  return (Array.isArray(value) ? value : [value]).map(label).join('、') || '—';
}
