import { Context } from '@temporalio/activity';
import { caseCard } from './case-card';
import type { FeishuClient } from '../../platform/feishu/client';
import { readCalendar } from './calendar-store';
import type { PrismaClient } from '../../platform/db/database';
import { feishuCall } from './feishu-failure';
import { dueLabel, intoWorkingHours, planDeadline, type Clock, type DeadlinePlan } from '../../core/deadlines';
import { dateIn } from '../../core/dates';
import { planMilestones, rulesForStep, type Milestone, type QuietHours } from '../../core/escalation';
import { bureauLeaders } from '../desk/store';
import type { CaseView, NoticeKind, Person } from './contract';

// The parts every case shares, as activities: clocks on the calendar in the database, the sender (one
// Feishu uuid per workflow, activity and recipient, so a retried send is never a second message), audit.

export interface CaseStepDeps {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
  quietHours?: QuietHours;
  /** The wall clock (rungs already past when a step is planned are dropped); tests pin it. */
  now?: () => Date;
}

export interface PlanStepInput {
  startedAt: string;
  clock: Clock;
  remindAfter?: Clock;
  process: string;
  stepKey: string;
  statutory?: boolean;
}

export interface StepPlan {
  deadline: DeadlinePlan;
  milestones: Milestone[];
  /** The bureau's leaders, when a rung of the ladder names them. */
  bureau: Person[];
}

export function caseStepActivities({ prisma, feishu, timeZone, quietHours, now = () => new Date() }: CaseStepDeps) {
  async function sendTo(
    person: Person,
    view: CaseView,
    kind: NoticeKind,
    headline?: string,
    stepKey?: string,
  ): Promise<string> {
    if (!person.openId) {
      await prisma.auditEvent.create({
        data: {
          actor: 'system:sender',
          action: 'notify.skipped',
          subject: view.workflowId,
          details: { to: person.name, kind, why: '未绑定飞书' },
        },
      });
      return '';
    }
    // The run id too: a case id is reused when a certificate gets a new case, and Feishu would take the new
    // case's first card for a retry of the old one's if both were sent within its hour.
    const { workflowId, runId } = executionOf();
    const uuid = `${workflowId}/${runId}/${Context.current().info.activityId}/${person.openId}`;
    const card = caseCard(view, { viewer: person.openId, kind, headline, stepKey, now: now(), timeZone });
    return feishuCall(() => feishu.sendCard(person.openId!, card, uuid));
  }

  return {
    /**
     * A step's deadline on the calendar and its escalation ladder (the rules in the database, most specific
     * first), with the bureau's leaders resolved from the roster for the rungs that name them. A year whose
     * holiday notice is not loaded is counted on weekends and the statutory holidays (the plan says
     * `provisional`): a case never waits for the notice, and is planned again when it is loaded.
     */
    async planStep(input: PlanStepInput): Promise<StepPlan> {
      const calendar = await readCalendar(prisma);
      let deadline = planDeadline(calendar, new Date(input.startedAt), input.clock, timeZone);
      if (input.remindAfter) {
        // An explicit reminder clock ("after 2 working days") lands at the start of the next working hours.
        const remindAt = intoWorkingHours(
          calendar,
          new Date(planDeadline(calendar, new Date(input.startedAt), input.remindAfter, timeZone).dueAt),
          timeZone,
        );
        deadline = { ...deadline, remindAt: remindAt.toISOString() };
      }
      const rules = rulesForStep(await prisma.escalationRule.findMany(), input.process, input.stepKey);
      const milestones = planMilestones(calendar, deadline, rules, timeZone, {
        statutory: input.statutory,
        quiet: quietHours,
        now: now(),
      });
      const bureau = milestones.some((m) => m.notify.includes('bureau')) ? await bureauLeaders(prisma) : [];
      return { deadline, milestones, bureau };
    },

    /** The step's row on everyone's desk (待办, the digest); written once however often this is retried. */
    async openDeskItem(input: { view: CaseView; stepKey: string }): Promise<void> {
      const step = input.view.openSteps.find((s) => s.key === input.stepKey)!;
      const { workflowId, runId } = executionOf();
      const row = {
        process: input.view.process,
        caseLabel: input.view.caseType,
        subject: input.view.title,
        stepTitle: step.title,
        stepKind: step.kind,
        unitName: input.view.unitName,
        ownerOpenId: step.owner.openId,
        ownerName: step.owner.name,
        openedAt: new Date(step.deadline!.startedAt),
        dueAt: new Date(step.deadline!.dueAt),
        clockLabel: step.deadline!.label,
        statutory: step.statutory ?? false,
        provisional: step.deadline!.provisional ?? false,
      };
      await prisma.deadlineItem.upsert({
        where: { workflowId_runId_stepKey: { workflowId, runId, stepKey: input.stepKey } },
        create: { workflowId, runId, stepKey: input.stepKey, ...row },
        update: {},
      });
    },

    /**
     * A provisional deadline planned again once its year's notice is loaded (the view holds the new one): the desk
     * row follows, and the owner is told in one sentence when the deadline moved. Returns whether it moved.
     */
    async deadlineReplanned(input: { view: CaseView; stepKey: string; before: DeadlinePlan }): Promise<boolean> {
      const step = input.view.openSteps.find((s) => s.key === input.stepKey)!;
      const after = step.deadline!;
      const { workflowId, runId } = executionOf();
      await prisma.deadlineItem.updateMany({
        where: { workflowId, runId, stepKey: input.stepKey, state: 'open' },
        data: { dueAt: new Date(after.dueAt), provisional: after.provisional ?? false },
      });
      const moved = after.dueAt !== input.before.dueAt;
      const year = dueLabelYear(input.before.dueAt, timeZone);
      if (moved && step.owner.openId) {
        const text = `📅 ${year} 年放假安排已导入:「${input.view.caseType} · ${input.view.title}」${step.title}的期限重新计算,由 ${dueLabel(input.before.dueAt, timeZone)} 改为 ${dueLabel(after.dueAt, timeZone)}。`;
        await feishuCall(() =>
          feishu.sendText(
            step.owner.openId!,
            text,
            `${workflowId}/${runId}/${Context.current().info.activityId}/${step.owner.openId}`,
          ),
        );
      }
      await prisma.auditEvent.create({
        data: {
          actor: 'system:calendar',
          action: 'case.step_replanned',
          subject: input.view.workflowId,
          details: {
            step: input.stepKey,
            from: input.before.dueAt,
            to: after.dueAt,
            provisional: after.provisional ?? false,
            told: moved ? step.owner.name : null,
          },
        },
      });
      return moved;
    },

    async closeDeskItem(input: { stepKey: string; state: 'done' | 'cancelled'; outcome: string }): Promise<void> {
      const { workflowId, runId } = executionOf();
      await prisma.deadlineItem.updateMany({
        where: { workflowId, runId, stepKey: input.stepKey, state: 'open' },
        data: { state: input.state, outcome: input.outcome, closedAt: new Date() },
      });
    },

    /** Sends the case card to one person; returns its message id ('' when they cannot be reached). */
    async sendCaseCard(input: {
      to: Person;
      view: CaseView;
      kind: NoticeKind;
      headline?: string;
      stepKey?: string;
    }): Promise<string> {
      return sendTo(input.to, input.view, input.kind, input.headline, input.stepKey);
    },

    /** `stepKey`: the step a reminder or escalation is about (its buttons, when the person owns it). */
    async notify(input: {
      to: Person[];
      view: CaseView;
      kind: NoticeKind;
      headline?: string;
      stepKey?: string;
    }): Promise<number> {
      let sent = 0;
      for (const person of input.to)
        if (await sendTo(person, input.view, input.kind, input.headline, input.stepKey)) sent++;
      return sent;
    },

    /** Re-renders a card already sent, so it shows who decided what and when (and loses its buttons). */
    async updateCaseCard(input: {
      messageId: string;
      view: CaseView;
      viewer: Person;
      stepKey?: string;
    }): Promise<void> {
      await feishuCall(() =>
        feishu.patchCard(
          input.messageId,
          caseCard(input.view, {
            viewer: input.viewer.openId ?? '',
            kind: 'step',
            stepKey: input.stepKey,
            now: now(),
            timeZone,
          }),
        ),
      );
    },

    async audit(input: { actor: string; action: string; subject: string; details: object }): Promise<void> {
      await prisma.auditEvent.create({ data: input });
    },
  };
}

/** The year of a deadline's last day (a 24:00 deadline belongs to the day before). */
function dueLabelYear(dueAt: string, timeZone: string): string {
  return dateIn(timeZone, new Date(Date.parse(dueAt) - 1)).slice(0, 4);
}

function executionOf(): { workflowId: string; runId: string } {
  const execution = Context.current().info.workflowExecution;
  return { workflowId: execution?.workflowId ?? 'standalone', runId: execution?.runId ?? 'standalone' };
}

export type CaseStepActivities = ReturnType<typeof caseStepActivities>;
