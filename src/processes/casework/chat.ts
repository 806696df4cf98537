import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { caseViewQuery, decideUpdate, withdrawUpdate, type CaseView } from './contract';
import { caseCard } from './case-card';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { CardResponse } from '../chat-kit';

// Clicks on any case card, for every process: the workflow decides whether the clicker may act (its update
// validator), so a refused click changes nothing and the person is told why within Feishu's 3 seconds.
// Every button names the run it acts on (a workflow id is reused: a certificate's next case), and the update
// goes to that run only: a click on an ended run's card is told the card is out of date and shown how that
// run ended — it can never act on a newer case that happens to have the same id.

/** The run a button acts on; a card sent before buttons named their run has none and is out of date. */
const RunRef = { workflowId: z.string().min(1).max(200), runId: z.string().min(1).max(64) };
const Decide = z.object({ ...RunRef, stepKey: z.string().min(1).max(80), outcome: z.string().min(1).max(40) });
const Withdraw = z.object(RunRef);

export const OUT_OF_DATE = '此卡片已过期:这次办理已经结束,下面是它的最终状态。';
const STALE_BUTTON: CardResponse = {
  toast: { type: 'info', content: '此卡片已过期,请发送「待办」查看需要您办理的事项' },
};

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
  if (!value.success) return STALE_BUTTON;
  const comment = typeof event.formValue?.comment === 'string' ? event.formValue.comment : undefined;
  const values = fieldValues(event.formValue);
  return runUpdate(ctx, event, value.data, DONE_TOAST[value.data.outcome] ?? '已提交', value.data.stepKey, (handle) =>
    handle.executeUpdate(decideUpdate, {
      args: [{ stepKey: value.data.stepKey, actorOpenId: event.openId, outcome: value.data.outcome, comment, values }],
    }),
  );
}

export async function withdrawCase(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const value = Withdraw.safeParse(event.value);
  if (!value.success) return STALE_BUTTON;
  return runUpdate(ctx, event, value.data, '已撤回', undefined, (handle) =>
    handle.executeUpdate(withdrawUpdate, { args: [{ actorOpenId: event.openId }] }),
  );
}

type Handle = ReturnType<BotContext['temporal']['workflow']['getHandle']>;

/** `stepKey`: the step the clicked card was about; the answer re-renders that card, never another step's form. */
async function runUpdate(
  ctx: BotContext,
  event: CardActionEvent,
  run: { workflowId: string; runId: string },
  doneToast: string,
  stepKey: string | undefined,
  update: (handle: Handle) => Promise<CaseView>,
): Promise<CardResponse> {
  const handle = ctx.temporal.workflow.getHandle(run.workflowId, run.runId);
  let view: CaseView;
  try {
    view = await update(handle);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError)
      return { toast: { type: 'error', content: (error.cause as Error | undefined)?.message ?? '操作未被接受' } };
    if (error instanceof WorkflowNotFoundError || /already completed/i.test((error as Error).message))
      return outOfDate(ctx, event, handle, stepKey);
    throw error;
  }
  const card = caseCard(view, {
    viewer: event.openId,
    kind: 'step',
    stepKey,
    now: new Date(),
    timeZone: ctx.config.TZ_CALENDAR,
  });
  return { toast: { type: 'success', content: doneToast }, card: { type: 'raw', data: card } };
}

/** The clicked run has ended: nothing is signalled; the card is redrawn from that run's own final state. */
async function outOfDate(
  ctx: BotContext,
  event: CardActionEvent,
  handle: Handle,
  stepKey: string | undefined,
): Promise<CardResponse> {
  const toast = { type: 'info' as const, content: OUT_OF_DATE };
  try {
    const final = await handle.query(caseViewQuery);
    return {
      toast,
      card: {
        type: 'raw',
        data: caseCard(final, {
          viewer: event.openId,
          kind: 'step',
          stepKey,
          now: new Date(),
          timeZone: ctx.config.TZ_CALENDAR,
        }),
      },
    };
  } catch {
    return { toast: { type: 'info', content: '此卡片已过期:这次办理已经结束。' } }; // past the history's retention
  }
}
