import { describeDue } from '../../core/deadlines';
import type { CaseView, Decision, NoticeKind, OpenStep, StepField } from './contract';
import { card, divider, fields, markdown, note, type Element, type Template } from '../../core/cards/card-kit';
import { escapeMarkdown, escapeMarkdownLine as esc } from '../../core/cards/escape';

/** The buttons this process's cards carry (`value.action`); process.ts maps each to its handler, so a misspelt one is a type error. */
export type CaseworkAction = 'case_decide' | 'case_withdraw';

// One card for every case of every process: what it is, its steps so far, the current step with its
// deadline, and — for the person whose turn it is — the buttons to act. Re-rendered when anything changes.

const STATUS: Record<CaseView['status'], { label: string; template: Template }> = {
  open: { label: '办理中', template: 'blue' },
  executed: { label: '已办结', template: 'green' },
  rejected: { label: '已驳回', template: 'red' },
  withdrawn: { label: '已撤回', template: 'grey' },
  refused: { label: '未能执行', template: 'grey' },
};

/** How a decision reads in the progress list; outcomes a process names itself show their own label. */
function outcomeText(d: Decision): string {
  if (d.outcome === 'rejected') return `❌ ${d.outcomeLabel ?? '驳回'}`;
  if (d.outcome === 'confirmed') return '✅ 已确认';
  return `✅ ${d.outcomeLabel ?? '同意'}`;
}

export interface CaseCardOptions {
  /** open_id of who will see the card: decides which buttons it carries. */
  viewer: string;
  kind: NoticeKind;
  /** One sentence above the case, as text: it often quotes a title or a name, so it is never markup. */
  headline?: string;
  /** The step this card is about, when several are open at once; else the viewer's own open step. */
  stepKey?: string;
  now: Date;
  timeZone: string;
}

/** A card shows at most this many decisions and open steps; the rest are counted. */
const SHOWN = 12;
/**
 * Feishu refuses a card over 30 KB (230025). Long comments, or a process with many steps, must not be what
 * stops the next person from getting their card: the progress list shrinks until the card fits, with margin
 * for the SDK's envelope. What is left out stays in the workflow and its export.
 */
export const CARD_BUDGET_BYTES = 28 * 1024;
const COMMENT_CHARS = 200;
const ANSWER_CHARS = 80;
const clip = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars)}…` : text);

/** The step the card is about: the one named, else the first open step the viewer owns, else the first. */
function focusStep(view: CaseView, opts: Pick<CaseCardOptions, 'viewer' | 'stepKey'>): OpenStep | undefined {
  const open = view.openSteps ?? [];
  if (opts.stepKey) return open.find((s) => s.key === opts.stepKey);
  return open.find((s) => s.owner.openId === opts.viewer) ?? open[0];
}

export function caseCard(view: CaseView, opts: CaseCardOptions) {
  const status = STATUS[view.status];
  const template: Template =
    view.status !== 'open'
      ? status.template
      : opts.kind === 'escalation'
        ? 'red'
        : opts.kind === 'reminder'
          ? 'orange'
          : 'blue';
  const elements: Element[] = [];
  const step = focusStep(view, opts);
  const headline = opts.headline !== undefined ? escapeMarkdown(opts.headline) : defaultHeadline(view, step, opts.kind);
  if (headline) elements.push(markdown(headline));
  const facts = view.facts.map(([label, value]): [string, string] => [label, clip(value, COMMENT_CHARS)]);
  const build = (shown: number) =>
    card(
      `${view.caseType} · ${view.title}`,
      template,
      [
        ...elements,
        fields(facts),
        divider(),
        markdown(progress(view, opts, shown)),
        ...(view.closingNote ? [note(escapeMarkdown(clip(view.closingNote, COMMENT_CHARS)))] : []),
        ...actions(view, step, opts.viewer),
      ],
      status.label,
    );
  for (const shown of [SHOWN, 6, 3]) {
    const built = build(shown);
    if (Buffer.byteLength(JSON.stringify(built)) <= CARD_BUDGET_BYTES) return built;
  }
  return build(0);
}

function defaultHeadline(view: CaseView, step: OpenStep | undefined, kind: NoticeKind): string | undefined {
  if (view.status !== 'open' || !step) return undefined;
  if (kind === 'reminder') return `⏰ **催办**:「${esc(step.title)}」已过半时限,请 ${esc(step.owner.name)} 尽快处理。`;
  if (kind === 'escalation')
    return `🔴 **已超期**:「${esc(step.title)}」超过办理期限,仍待 ${esc(step.owner.name)} 处理(第 ${step.reminders} 次提醒)。不会自动通过。`;
  if (kind === 'step') return `请 **${esc(step.owner.name)}** 办理「${esc(step.title)}」。`;
  return undefined;
}

function progress(view: CaseView, opts: CaseCardOptions, shown: number): string {
  const time = (iso: string) =>
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: opts.timeZone,
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
  const lines = [`**办理进度**(申请人:${esc(view.applicant.name)})`];
  if (view.decisions.length > shown) lines.push(`(此前 ${view.decisions.length - shown} 步略)`);
  for (const d of shown ? view.decisions.slice(-shown) : []) {
    lines.push(
      `${outcomeText(d)} ${esc(d.stepTitle)} · ${esc(d.by.name)} · ${time(d.at)}${d.late ? '(超期办理)' : ''}${d.comment ? `\n  意见:${escapeMarkdown(clip(d.comment, COMMENT_CHARS))}` : ''}`,
    );
    const answers = d.answers ?? [];
    // A batch of many answers (a township's 10 matters) is counted here; the workflow keeps them all.
    if (answers.length > 6) lines.push(`  已填写 ${answers.length} 项`);
    else for (const [label, text] of answers) lines.push(`  ${esc(label)}:${esc(clip(text, ANSWER_CHARS))}`);
  }
  const open = view.status === 'open' ? (view.openSteps ?? []) : [];
  for (const step of open.slice(0, SHOWN)) {
    const due = step.deadline
      ? ` · 截止 ${describeDue(step.deadline.dueAt, opts.now, opts.timeZone, step.deadline.provisional)}`
      : '';
    lines.push(`⏳ 当前:${esc(step.title)} · ${esc(step.owner.name)}${due}`);
  }
  if (open.length > SHOWN) lines.push(`⏳ 另有 ${open.length - SHOWN} 步进行中`);
  return lines.join('\n');
}

function actions(view: CaseView, step: OpenStep | undefined, viewer: string): Element[] {
  if (view.status !== 'open') return [];
  const out: Element[] = [];
  if (step && step.owner.openId === viewer) {
    // The run, not only the workflow id: a certificate's next case reuses the id, and this card must never act on it.
    const value = (outcome: string) => ({
      action: 'case_decide' satisfies CaseworkAction,
      workflowId: view.workflowId,
      runId: view.runId,
      stepKey: step.key,
      outcome,
    });
    const buttons = step.outcomes.map((o) => button(o.label, o.style ?? 'default', value(o.key)));
    const reasons = step.outcomes.filter((o) => o.needsReason).map((o) => o.label);
    const hint = step.kind === 'approve' ? '审批意见' : '备注';
    out.push({
      tag: 'form',
      name: 'decision',
      elements: [
        ...(step.fields ?? []).map(formField),
        {
          tag: 'input',
          name: 'comment',
          placeholder: {
            tag: 'plain_text',
            content: reasons.length ? `${hint}(${reasons.join('、')}时必填)` : `${hint}(选填)`,
          },
        },
        {
          tag: 'column_set',
          flex_mode: 'none',
          columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
        },
      ],
    });
  }
  if (view.applicant.openId === viewer) {
    out.push(
      button(
        '撤回申请',
        'default',
        { action: 'case_withdraw' satisfies CaseworkAction, workflowId: view.workflowId, runId: view.runId },
        false,
      ),
    );
  }
  return out;
}

/** A step's field as the Feishu form component a person fills in; the workflow checks the answer again. */
function formField(field: StepField): Element {
  const label = { tag: 'plain_text', content: `${field.label}${field.required ? ' *' : ''}` };
  const placeholder = { tag: 'plain_text', content: field.label };
  const options = (field.options ?? []).map((o) => ({ text: { tag: 'plain_text', content: o.label }, value: o.value }));
  switch (field.type) {
    case 'date':
      return { tag: 'date_picker', name: field.name, required: field.required ?? false, placeholder };
    case 'select':
      return { tag: 'select_static', name: field.name, required: field.required ?? false, placeholder, options };
    case 'multiselect':
      return { tag: 'multi_select_static', name: field.name, required: field.required ?? false, placeholder, options };
    default:
      return {
        tag: 'input',
        name: field.name,
        required: field.required ?? false,
        label,
        placeholder,
        ...(field.type === 'textarea' ? { input_type: 'multiline_text', rows: 3 } : {}),
      };
  }
}

function button(
  text: string,
  type: 'primary' | 'danger' | 'default',
  value: Record<string, unknown>,
  inForm = true,
): Element {
  return {
    tag: 'button',
    name: `btn_${String(value.outcome ?? value.action)}`,
    text: { tag: 'plain_text', content: text },
    type,
    ...(inForm ? { form_action_type: 'submit' } : {}),
    behaviors: [{ type: 'callback', value }],
  };
}
