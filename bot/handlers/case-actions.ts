import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { decideUpdate, withdrawUpdate, type CaseView } from '../../workflows/shared';
import { caseCard } from '../cards/case-card';
import type { BotContext } from '../context';
import type { CardActionEvent } from '../feishu-events';
import type { CardResponse } from '../router';

// Clicks on any case card, for every process: the workflow decides whether the clicker may act (its update
// validator), so a refused click changes nothing and the person is told why within Feishu's 3 seconds.

const Decide = z.object({ workflowId: z.string().min(1), stepKey: z.string().min(1), outcome: z.string().min(1).max(40) });
const Withdraw = z.object({ workflowId: z.string().min(1) });

const DONE_TOAST: Record<string, string> = { approved: '已同意', rejected: '已驳回', confirmed: '已确认' };

/**
 * The form's other fields as the workflow's step expects them: Feishu sends a picked date as
 * "2026-03-05 +0800" and a multi-select as an array; the workflow checks names and values itself.
 */
function fieldValues(form: Record<string, unknown> | undefined): Record<string, string | string[]> | undefined {
  const entries = Object.entries(form ?? {}).filter(([name]) => name !== 'comment');
  if (!entries.length) return undefined;
  const clean = (v: unknown) => {
    const text = String(v ?? '').trim();
    return /^\d{4}-\d{2}-\d{2}( [+-]\d{4})?$/.test(text) ? text.slice(0, 10) : text;
  };
  return Object.fromEntries(entries.map(([name, v]) => [name, Array.isArray(v) ? v.map(clean) : clean(v)]));
}

export async function decideCase(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const value = Decide.safeParse(event.value);
  if (!value.success) return { toast: { type: 'error', content: '这个按钮已失效' } };
  const comment = typeof event.formValue?.comment === 'string' ? event.formValue.comment : undefined;
  const values = fieldValues(event.formValue);
  return runUpdate(ctx, event, value.data.workflowId, DONE_TOAST[value.data.outcome] ?? '已提交', value.data.stepKey, (handle) =>
    handle.executeUpdate(decideUpdate, { args: [{ stepKey: value.data.stepKey, actorOpenId: event.openId, outcome: value.data.outcome, comment, values }] }),
  );
}

export async function withdrawCase(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const value = Withdraw.safeParse(event.value);
  if (!value.success) return { toast: { type: 'error', content: '这个按钮已失效' } };
  return runUpdate(ctx, event, value.data.workflowId, '已撤回', undefined, (handle) =>
    handle.executeUpdate(withdrawUpdate, { args: [{ actorOpenId: event.openId }] }),
  );
}

type Handle = ReturnType<BotContext['temporal']['workflow']['getHandle']>;

/** `stepKey`: the step the clicked card was about; the answer re-renders that card, never another step's form. */
async function runUpdate(ctx: BotContext, event: CardActionEvent, workflowId: string, doneToast: string, stepKey: string | undefined, update: (handle: Handle) => Promise<CaseView>): Promise<CardResponse> {
  let view: CaseView;
  try {
    view = await update(ctx.temporal.workflow.getHandle(workflowId));
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return { toast: { type: 'error', content: (error.cause as Error | undefined)?.message ?? '操作未被接受' } };
    if (error instanceof WorkflowNotFoundError || /already completed/i.test((error as Error).message)) return { toast: { type: 'info', content: '该案件已办结,无需再操作' } };
    throw error;
  }
  const card = caseCard(view, { viewer: event.openId, kind: 'step', stepKey, now: new Date(), timeZone: ctx.config.TZ_CALENDAR });
  return { toast: { type: 'success', content: doneToast }, card: { type: 'raw', data: card } };
}
