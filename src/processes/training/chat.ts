import { z } from 'zod';
import { campaignsFor } from './campaign-store';
import { completionByUnit, officerHours, readRule, recentRecords } from './store';
import { dateIn } from '../../core/dates';
import { parseDate } from '../../core/table-rows';
import { checkHours, daysLeftInYear } from './rules';
import { TEXT_LIMITS } from '../../core/text-limits';
import { trainingReportWorkflow } from './report-workflow';
import { countyHoursCard, myHoursCard, unitHoursCard } from './cards';
import { trainingReportFormCard } from './report-form-card';
import type { BotContext } from '../chat-kit';
import type { CardActionEvent } from '../../platform/feishu/events';
import type { Ask } from '../chat-kit';
import type { CardResponse } from '../chat-kit';
import { reach } from '../scope';
import { findAsker } from '../roster/asker';

// Training hours in chat: my year (学时), my unit (本单位学时), the county (学时统计), and reporting (报学时).

const today = (ctx: BotContext) => dateIn(ctx.config.TZ_CALENDAR, new Date());

export async function showMyHours(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  const asOf = today(ctx);
  const rule = await readRule(ctx.prisma, Number(asOf.slice(0, 4)));
  const [mine] = await officerHours(ctx.prisma, rule, asOf, { officerId: asker.id });
  const [recent, campaigns] = await Promise.all([
    recentRecords(ctx.prisma, asker.id),
    campaignsFor(ctx.prisma, { id: asker.id, unitName: asker.unit.name }),
  ]);
  await ctx.feishu.sendCard(
    ask.openId,
    myHoursCard(mine!, rule, daysLeftInYear(rule.year, asOf), recent, campaigns),
    ask.replyKey,
  );
}

export async function showUnitHours(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if ((await reach(ctx.prisma, 'unitHours', asker)) === 'none')
    return void (await ctx.feishu.sendText(
      ask.openId,
      '本单位学时由法制员和负责人查看。查看自己的学时请发送「学时」。',
      ask.replyKey,
    ));
  const asOf = today(ctx);
  const rule = await readRule(ctx.prisma, Number(asOf.slice(0, 4)));
  const rows = await officerHours(ctx.prisma, rule, asOf, { unitId: asker.unit.id });
  await ctx.feishu.sendCard(ask.openId, unitHoursCard(asker.unit.name, rule, rows, asOf), ask.replyKey);
}

export async function showCountyHours(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  if ((await reach(ctx.prisma, 'countyHours', asker)) !== 'county') return showUnitHours(ctx, ask);
  const asOf = today(ctx);
  const rule = await readRule(ctx.prisma, Number(asOf.slice(0, 4)));
  await ctx.feishu.sendCard(
    ask.openId,
    countyHoursCard(rule, completionByUnit(await officerHours(ctx.prisma, rule, asOf)), asOf),
    ask.replyKey,
  );
}

export async function showTrainingReportForm(ctx: BotContext, ask: Ask): Promise<void> {
  const asker = await findAsker(ctx, ask);
  if (!asker) return;
  const admin = await ctx.prisma.officer.findFirst({
    where: { unitId: asker.unit.id, role: 'admin' },
    select: { name: true },
    orderBy: { id: 'asc' },
  });
  if (!admin)
    return void (await ctx.feishu.sendText(
      ask.openId,
      '本单位名册中还没有法制员(角色 admin),学时暂时无法确认,请联系单位补充名册。',
      ask.replyKey,
    ));
  await ctx.feishu.sendCard(ask.openId, trainingReportFormCard(admin.name), ask.replyKey);
}

const ReportForm = z.object({
  course: z
    .string()
    .trim()
    .min(1, '请填写课程')
    .max(TEXT_LIMITS.course, `课程名称请控制在 ${TEXT_LIMITS.course} 字以内`),
  category: z.enum(['public_law', 'business', 'skills'], '请选择类别'),
  hours: z.coerce.number('学时应为数字'),
  date: z.string().min(1, '请选择日期'),
});

export async function submitTrainingReport(ctx: BotContext, event: CardActionEvent): Promise<CardResponse> {
  const refuse = (content: string): CardResponse => ({ toast: { type: 'error', content } });
  const form = ReportForm.safeParse(event.formValue ?? {});
  if (!form.success) return refuse(form.error.issues[0]!.message);
  const hoursProblem = checkHours(form.data.hours);
  if (hoursProblem) return refuse(hoursProblem);
  const date = parseDate(form.data.date.slice(0, 10)); // a date picker sends "2026-11-20 +0800"
  if (!date) return refuse('日期无法识别');
  const asOf = today(ctx);
  if (date > asOf) return refuse('不能登记未来日期的培训');
  if (Number(date.slice(0, 4)) < Number(asOf.slice(0, 4)) - 1) return refuse('只能登记今年或去年的培训');

  const officer = await ctx.prisma.officer.findUnique({
    where: { openId: event.openId },
    select: { id: true, name: true, certNo: true, openId: true, unitId: true, unit: { select: { name: true } } },
  });
  if (!officer) return refuse('您还不在执法通的人员名册中');
  const [admin, head] = await Promise.all(
    (['admin', 'supervisor'] as const).map((role) =>
      ctx.prisma.officer.findFirst({
        where: { unitId: officer.unitId, role },
        select: { name: true, openId: true },
        orderBy: { id: 'asc' },
      }),
    ),
  );
  if (!admin) return refuse('本单位没有法制员,暂时无法确认学时');
  await ctx.temporal.workflow.start(trainingReportWorkflow, {
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowId: `training-report-${officer.certNo}-${event.eventId ?? Date.now()}`,
    args: [
      {
        officerId: officer.id,
        officer: { name: officer.name, openId: officer.openId },
        certNo: officer.certNo,
        unitName: officer.unit.name,
        course: form.data.course,
        category: form.data.category,
        hours: form.data.hours,
        date,
        admin,
        unitHead: head ?? admin,
      },
    ],
  });
  return { toast: { type: 'success', content: `已提交,等待 ${admin.name} 确认` } };
}
