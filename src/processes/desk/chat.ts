import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { deskSettings } from '../../platform/config';
import { readCalendar } from '../casework/calendar-store';
import { leaderByOpenId, openItems, scopeName, unitRanking } from './store';
import { dateIn } from '../../core/dates';
import { describeDue } from '../../core/deadlines';
import { colourOf, digestFor } from './rules';
import { caseViewQuery, type CaseView } from '../casework/contract';
import { caseCard } from '../casework/case-card';
import { digestCard, rankingCard, todoCard } from './cards';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { Ask } from '../chat-kit';
import type { CardResponse } from '../chat-kit';
import { findAsker } from '../roster/asker';

// Everyone's desk in chat: 待办 lists the asker's own open steps across every process, most urgent first,
// with the button that acts on each; 催办 (from a leader's digest) nudges an item's owner at most once a day;
// 打开 brings a case card back (to reject with a reason, or to read the whole case).

export async function showMyTodo(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  const now = new Date();
  const calendar = await readCalendar(ctx.prisma);
  const { thresholds } = deskSettings(ctx.config);
  const rows = await ctx.prisma.deadlineItem.findMany({
    where: { ownerOpenId: ask.openId, state: 'open' },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
  });
  const items = rows.map((r) => ({
    ...r,
    dueAt: r.dueAt.toISOString(),
    colour: colourOf(r.dueAt, now, calendar, ctx.config.TZ_CALENDAR, thresholds),
  }));
  await ctx.feishu.sendCard(ask.openId, todoCard(asker.name, items, ctx.config.TZ_CALENDAR, now), ask.replyKey);
}

/** 今日提醒: a leader's digest on demand (the same card the morning Schedule sends), even with nothing due. */
export async function showLeaderDigest(ctx: BotContext, ask: Ask): Promise<void> {
  const leader = await leaderByOpenId(ctx.prisma, ask.openId);
  if (!leader) {
    await ctx.feishu.sendText(
      ask.openId,
      '「今日提醒」是给分管领导的汇总。您自己要办的事项请发送「待办」。',
      ask.replyKey,
    );
    return;
  }
  const now = new Date();
  const digest = digestFor(
    await openItems(ctx.prisma, leader.units),
    now,
    await readCalendar(ctx.prisma),
    ctx.config.TZ_CALENDAR,
    deskSettings(ctx.config).thresholds,
  );
  await ctx.feishu.sendCard(
    ask.openId,
    digestCard(
      leader.name,
      scopeName(leader),
      dateIn(ctx.config.TZ_CALENDAR, now),
      digest,
      ctx.config.TZ_CALENDAR,
      now,
    ),
    ask.replyKey,
  );
}

/** 单位排名: the weekly ranking chart on demand, for the bureau's leaders and reviewers. */
export async function showUnitRanking(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  const leader = await leaderByOpenId(ctx.prisma, ask.openId);
  if (asker.role !== 'bureau' && leader?.units !== null) {
    await ctx.feishu.sendText(ask.openId, '「单位排名」由司法局领导和审核人员查看。', ask.replyKey);
    return;
  }
  const today = dateIn(ctx.config.TZ_CALENDAR, new Date());
  await ctx.feishu.sendCard(ask.openId, rankingCard(today, await unitRanking(ctx.prisma, today)), ask.replyKey);
}

const Nudge = z.object({ itemId: z.coerce.number().int().positive() });

export async function nudgeOwner(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const value = Nudge.safeParse(event.value);
  if (!value.success) return { toast: { type: 'error', content: '这个按钮已失效' } };
  const item = await ctx.prisma.deadlineItem.findUnique({ where: { id: value.data.itemId } });
  if (!item) return { toast: { type: 'error', content: '没有找到这个事项' } };
  const leader = await leaderByOpenId(ctx.prisma, event.openId);
  if (!leader || (leader.units && !leader.units.includes(item.unitName)))
    return { toast: { type: 'error', content: '只有分管该单位的领导可以催办' } };
  if (item.state !== 'open') return { toast: { type: 'info', content: `${item.ownerName} 已办理完毕,无需催办` } };
  if (!item.ownerOpenId) return { toast: { type: 'warning', content: `${item.ownerName} 还没有绑定飞书,请电话联系` } };
  // The (item, day) key is the once-a-day guard: a second click, or a second leader, finds it taken.
  const today = dateIn(ctx.config.TZ_CALENDAR, new Date());
  const { count } = await ctx.prisma.deadlineNudge.createMany({
    data: [{ itemId: item.id, day: new Date(`${today}T00:00:00Z`), byOpenId: event.openId }],
    skipDuplicates: true,
  });
  if (!count) return { toast: { type: 'info', content: `今天已催办过 ${item.ownerName},明天可再催` } };
  const text = `⏰ ${leader.name} 催办:「${item.caseLabel} · ${item.subject}」的「${item.stepTitle}」${describeDue(item.dueAt.toISOString(), new Date(), ctx.config.TZ_CALENDAR)},请尽快处理。发送「待办」查看并办理。`;
  await ctx.feishu.sendText(item.ownerOpenId, text, `nudge-${item.id}-${today}`);
  await ctx.prisma.auditEvent.create({
    data: {
      actor: event.openId,
      action: 'desk.nudged',
      subject: item.workflowId,
      details: { itemId: item.id, step: item.stepKey, owner: item.ownerName, day: today },
    },
  });
  return { toast: { type: 'success', content: `已催办 ${item.ownerName}` } };
}

const Open = z.object({ workflowId: z.string().min(1).max(200), runId: z.string().min(1).max(64) });

export async function openDeskCase(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const value = Open.safeParse(event.value);
  // A 待办 card from before buttons named their run: out of date (a newer case may have the same id).
  if (!value.success) return { toast: { type: 'info', content: '此卡片已过期,请重新发送「待办」' } };
  const { workflowId, runId } = value.data;
  // Only someone the case waits on (or a leader over its unit) sees it here; a forged click gets nothing.
  const items = await ctx.prisma.deadlineItem.findMany({
    where: { workflowId, runId },
    select: { ownerOpenId: true, unitName: true },
  });
  const leader = items.length ? await leaderByOpenId(ctx.prisma, event.openId) : undefined;
  if (
    !items.some(
      (i) => i.ownerOpenId === event.openId || (leader && (!leader.units || leader.units.includes(i.unitName))),
    )
  ) {
    return { toast: { type: 'error', content: '您不是这个案件的办理人' } };
  }
  let view: CaseView;
  try {
    view = await ctx.temporal.workflow.getHandle(workflowId, runId).query(caseViewQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      return { toast: { type: 'info', content: '此卡片已过期:这次办理已经结束' } };
    throw error;
  }
  const card = caseCard(view, {
    viewer: event.openId,
    kind: 'step',
    now: new Date(),
    timeZone: ctx.config.TZ_CALENDAR,
  });
  await ctx.feishu.sendCard(event.openId, card, `open-${event.eventId ?? `${workflowId}-${Date.now()}`}`);
  if (view.status !== 'open')
    return { toast: { type: 'info', content: '此卡片已过期:这次办理已经结束,已发送它的最终状态' } };
  return { toast: { type: 'success', content: '已发送案件卡片' } };
}
