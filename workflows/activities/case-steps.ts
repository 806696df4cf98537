import { Context } from '@temporalio/activity';
import { caseCard } from '../../bot/cards/case-card';
import type { FeishuClient } from '../../bot/feishu-client';
import { readCalendar } from '../../lib/calendar-store';
import type { PrismaClient } from '../../lib/database';
import { feishuCall } from './feishu-failure';
import { intoWorkingHours, nextEscalationAt, planDeadline, type Clock, type DeadlinePlan } from '../domain/deadlines';
import type { CaseView, NoticeKind, Person } from '../shared';

// The parts every case shares, as activities: clocks on the calendar in the database, the sender (one
// Feishu uuid per workflow, activity and recipient, so a retried send is never a second message), audit.

export interface CaseStepDeps {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
}

export function caseStepActivities({ prisma, feishu, timeZone }: CaseStepDeps) {
  async function sendTo(person: Person, view: CaseView, kind: NoticeKind, headline?: string): Promise<string> {
    if (!person.openId) {
      await prisma.auditEvent.create({ data: { actor: 'system:sender', action: 'notify.skipped', subject: view.workflowId, details: { to: person.name, kind, why: '未绑定飞书' } } });
      return '';
    }
    const info = Context.current().info;
    const uuid = `${info.workflowExecution?.workflowId ?? 'standalone'}/${info.activityId}/${person.openId}`;
    const card = caseCard(view, { viewer: person.openId, kind, headline, now: new Date(), timeZone });
    return feishuCall(() => feishu.sendCard(person.openId!, card, uuid));
  }

  return {
    async planStepDeadline(input: { startedAt: string; clock: Clock; remindAfter?: Clock }): Promise<DeadlinePlan> {
      const calendar = await readCalendar(prisma);
      const plan = planDeadline(calendar, new Date(input.startedAt), input.clock, timeZone);
      if (!input.remindAfter) return plan;
      // An explicit reminder clock ("after 2 working days") lands at the start of the next working hours.
      const remindAt = intoWorkingHours(calendar, new Date(planDeadline(calendar, new Date(input.startedAt), input.remindAfter, timeZone).dueAt), timeZone);
      return { ...plan, remindAt: remindAt.toISOString() };
    },

    async nextEscalation(input: { after: string }): Promise<string> {
      return nextEscalationAt(await readCalendar(prisma), new Date(input.after), timeZone).toISOString();
    },

    /** Sends the case card to one person; returns its message id ('' when they cannot be reached). */
    async sendCaseCard(input: { to: Person; view: CaseView; kind: NoticeKind; headline?: string }): Promise<string> {
      return sendTo(input.to, input.view, input.kind, input.headline);
    },

    async notify(input: { to: Person[]; view: CaseView; kind: NoticeKind; headline?: string }): Promise<number> {
      let sent = 0;
      for (const person of input.to) if (await sendTo(person, input.view, input.kind, input.headline)) sent++;
      return sent;
    },

    /** Re-renders a card already sent, so it shows who decided what and when (and loses its buttons). */
    async updateCaseCard(input: { messageId: string; view: CaseView; viewer: Person }): Promise<void> {
      await feishuCall(() => feishu.patchCard(input.messageId, caseCard(input.view, { viewer: input.viewer.openId ?? '', kind: 'step', now: new Date(), timeZone })));
    },

    async audit(input: { actor: string; action: string; subject: string; details: object }): Promise<void> {
      await prisma.auditEvent.create({ data: input });
    },
  };
}

export type CaseStepActivities = ReturnType<typeof caseStepActivities>;
