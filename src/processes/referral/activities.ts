import { referralBulletinCard, type BulletinLine } from './cards';
import type { FeishuClient } from '../../platform/feishu/client';
import { readCalendar } from '../casework/calendar-store';
import { leaders } from '../desk/store';
import { givenBy, oweMessages } from '../casework/notice-store';
import { currentRun, deliverOwed } from '../casework/notice-delivery';
import type { PrismaClient } from '../../platform/db/database';
import { referralParties, referralUnits } from './store';
import type { ActionCheck } from '../certificate/rules';
import { addDays } from '../../core/calendar';
import { dateIn } from '../../core/dates';
import { localTime, planDeadline, type Clock } from '../../core/deadlines';
import { checkOutsideAct, recordedActStart, referralStep, type ReferralKind } from './rules';
import type { ReferralParties } from './form';
import {
  canSendBack,
  chaseSchedule,
  DEFAULT_LEAD_RULES,
  leadStepClock,
  type ChaseEvent,
  type LeadRules,
} from './leads';
import { readLeadRules } from './lead-rules';
import { checkPause, dueAfterPauses, type Pause } from './pauses';
import type { Decision, Person } from '../casework/contract';

// A referral's own activities: its parties from the roster, its row in the register (移送台账 is a query on it),
// the checks that need today's date or the calendar, and a lead's chase plan.

export function referralActivities({
  prisma,
  feishu,
  timeZone,
}: {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
}) {
  return {
    async findReferralParties(input: {
      unitName: string;
      receivingUnit?: string;
      caseTeamLead?: Person;
    }): Promise<ReferralParties | { missing: string }> {
      return referralParties(prisma, input);
    },

    async listReferralUnits(): Promise<string[]> {
      return referralUnits(prisma);
    },

    /** The register row; a retried start finds it there. */
    async openReferral(input: {
      workflowId: string;
      kind: ReferralKind;
      unitName: string;
      counterpart: string;
      procuratorate?: string;
      title: string;
    }): Promise<void> {
      await prisma.referral.upsert({ where: { workflowId: input.workflowId }, create: input, update: {} });
    },

    async referralAtStep(input: {
      workflowId: string;
      stepKey: string;
      stepTitle: string;
      unitName?: string;
      counterpart?: string;
    }): Promise<void> {
      const dueAt = await prisma.deadlineItem.findFirst({
        where: { workflowId: input.workflowId, state: 'open' },
        select: { dueAt: true },
        orderBy: { id: 'desc' },
      });
      await prisma.referral.update({
        where: { workflowId: input.workflowId },
        data: {
          stepKey: input.stepKey,
          stepTitle: input.stepTitle,
          dueAt: dueAt?.dueAt ?? null,
          ...(input.unitName ? { unitName: input.unitName } : {}),
          ...(input.counterpart ? { counterpart: input.counterpart } : {}),
        },
      });
    },

    /**
     * One decision into the register and the audit trail, once: a retry finds the decision already in the
     * history (same step and time) and writes nothing.
     */
    async recordReferralDecision(input: {
      workflowId: string;
      decision: Decision;
      refusal: boolean;
      sendBack: boolean;
    }): Promise<void> {
      const d = input.decision;
      const entry = {
        step: d.stepKey,
        title: d.stepTitle,
        outcome: d.outcome,
        label: d.outcomeLabel,
        by: d.by.name,
        at: d.at,
        late: d.late,
        comment: d.comment ?? null,
        answers: d.answers ?? [],
      };
      await prisma.$transaction(async (tx) => {
        const row = await tx.referral.findUniqueOrThrow({
          where: { workflowId: input.workflowId },
          select: { history: true },
        });
        const history = row.history as Array<{ step: string; at: string }>;
        if (history.some((h) => h.step === d.stepKey && h.at === d.at)) return;
        await tx.referral.update({
          where: { workflowId: input.workflowId },
          data: {
            history: [...history, entry],
            stepsDone: { increment: 1 },
            stepsLate: { increment: d.late ? 1 : 0 },
            refusals: { increment: input.refusal ? 1 : 0 },
            sendBacks: { increment: input.sendBack ? 1 : 0 },
            dueAt: null,
          },
        });
        await tx.auditEvent.create({
          data: {
            actor: d.by.openId ?? d.by.name,
            action: `referral.${d.stepKey}.${d.outcome}`,
            subject: input.workflowId,
            details: entry,
          },
        });
      });
    },

    async closeReferral(input: { workflowId: string; status: string; outcome: string }): Promise<void> {
      await prisma.referral.update({
        where: { workflowId: input.workflowId },
        data: {
          status: input.status,
          outcome: input.outcome,
          stepKey: null,
          stepTitle: null,
          dueAt: null,
          closedAt: new Date(),
        },
      });
    },

    /** An outside act as recorded: not dated in the future; the next clock starts on the act's date. */
    /** `at`: when the act was recorded (the decision's time, from the workflow's clock). */
    async checkRecordedAct(input: {
      kind: ReferralKind;
      stepKey: string;
      values: Record<string, string | string[]>;
      outcome: string;
      at: string;
    }): Promise<ActionCheck & { startsAt?: string }> {
      const text = (name: string) => String(input.values[name] ?? '');
      const act = {
        date: text('date'),
        documentNo: text('documentNo'),
        outcome: input.outcome,
        fileKey: text('file') || undefined,
      };
      const check = checkOutsideAct(referralStep(input.kind, input.stepKey), act, dateIn(timeZone, new Date(input.at)));
      return check.ok ? { ok: true, startsAt: recordedActStart(act, timeZone).toISOString() } : check;
    },

    /** When to chase a lead step (催办 before, the day after, 通报 at 5 working days late). */
    async planLeadChase(input: { startedAt: string; clock: Clock; rules?: LeadRules }): Promise<ChaseEvent[]> {
      const calendar = await readCalendar(prisma);
      const plan = planDeadline(calendar, new Date(input.startedAt), input.clock, timeZone);
      return chaseSchedule(calendar, new Date(input.startedAt), plan.dueAt, timeZone, input.rules);
    },

    /** The county's lead rules in force (the shipped ones until the bureau loads its own). */
    async leadRules(): Promise<LeadRules> {
      return readLeadRules(prisma);
    },

    /** `at`: when the unit clicked 退单 (the decision's time, from the workflow's clock), not when this runs. */
    async checkLeadSendBack(input: {
      dispatchedAt: string;
      sendBacks: number;
      reason: string;
      at: string;
      rules?: LeadRules;
    }): Promise<ActionCheck> {
      return canSendBack(
        await readCalendar(prisma),
        { dispatchedAt: input.dispatchedAt, sendBacks: input.sendBacks },
        input.reason,
        new Date(input.at),
        timeZone,
        input.rules ?? DEFAULT_LEAD_RULES,
      );
    },

    /**
     * The month's bulletin to every leader, scoped to what they lead; one message per leader and month, owed first
     * and given only once Feishu accepted it, so a retry sends only who is still owed theirs. `sent`: the cards
     * this run gave over all its attempts.
     */
    async sendReferralBulletin(input: { month?: string }): Promise<{ month: string; sent: number; owed?: string[] }> {
      const month = input.month ?? previousMonth(dateIn(timeZone, new Date()));
      const from = localTime(`${month}-01`, 0, timeZone);
      const to = localTime(nextMonthStart(month), 0, timeZone);
      const rows = await prisma.referral.findMany({
        where: { openedAt: { lt: to }, OR: [{ closedAt: null }, { closedAt: { gte: from } }] },
        orderBy: [{ kind: 'asc' }, { unitName: 'asc' }, { openedAt: 'asc' }],
      });
      const lines: BulletinLine[] = rows.map((r) => ({
        kind: r.kind,
        unitName: r.unitName,
        title: r.title,
        counterpart: r.counterpart,
        status: r.status,
        stage: r.stepTitle ?? '—',
        outcome: r.outcome,
        late: r.stepsLate,
      }));
      const run = currentRun();
      const topic = `referral-bulletin/${month}`;
      await oweMessages(
        prisma,
        topic,
        run,
        (await leaders(prisma)).map((leader) => {
          const mine = leader.units ? lines.filter((l) => leader.units!.includes(l.unitName)) : lines;
          const scope = leader.units ? leader.units.join('、') : '全县';
          const key = `referral-bulletin-${month}-${leader.openId}`;
          return { key, notice: key, openId: leader.openId, card: referralBulletinCard(month, scope, mine) };
        }),
      );
      const owed = await deliverOwed(prisma, feishu, topic);
      return { month, sent: (await givenBy(prisma, run, [topic])).messages, ...(owed.length ? { owed } : {}) };
    },

    /** An approved 挂起 checked against the reply's deadline as already moved by earlier pauses (referral-pauses.ts). */
    async checkLeadPause(input: {
      dispatchedAt: string;
      leadType: string;
      pauses: Pause[];
      pause: Pause;
      rules?: LeadRules;
    }): Promise<ActionCheck> {
      const { dueAt } = await replyDue(
        input.dispatchedAt,
        input.leadType,
        input.pauses,
        new Date(input.pause.from),
        input.rules,
      );
      return checkPause(referralStep('lead', 'reply'), input.pause, dueAt);
    },

    /**
     * The reply's clock after its pauses, as the start CaseDesk plans from: the same clock, started so that it ends
     * at the moved deadline (so the card, the desk row and the chase all show that deadline); hour clocks move by
     * the time paused exactly.
     */
    async leadReplyStart(input: {
      dispatchedAt: string;
      leadType: string;
      pauses: Pause[];
      now: string;
      rules?: LeadRules;
    }): Promise<{ startedAt: string; dueAt: string }> {
      const calendar = await readCalendar(prisma);
      const { clock, dueAt } = await replyDue(
        input.dispatchedAt,
        input.leadType,
        input.pauses,
        new Date(input.now),
        input.rules,
      );
      const start = new Date(input.dispatchedAt);
      if (clock.unit === 'hours')
        return {
          startedAt: new Date(
            start.getTime() + (Date.parse(dueAt) - Date.parse(planDeadline(calendar, start, clock, timeZone).dueAt)),
          ).toISOString(),
          dueAt,
        };
      // The latest day whose clock ends at the moved deadline, at the dispatch's time of day.
      const time = start.getTime() - localTime(dateIn(timeZone, start), 0, timeZone).getTime();
      for (let day = dateIn(timeZone, new Date(Date.parse(dueAt) - 1)); ; day = addDays(day, -1)) {
        const candidate = new Date(localTime(day, 0, timeZone).getTime() + time);
        if (planDeadline(calendar, candidate, clock, timeZone).dueAt === dueAt)
          return { startedAt: candidate.toISOString(), dueAt };
        if (candidate.getTime() < start.getTime())
          throw new Error(`no start ends ${clock.amount} ${clock.unit} at ${dueAt}`);
      }
    },
  };

  /** `rules`: the lead's own (absent in leads dispatched before rules were data: the shipped ones). */
  async function replyDue(
    dispatchedAt: string,
    leadType: string,
    pauses: Pause[],
    now: Date,
    rules: LeadRules = DEFAULT_LEAD_RULES,
  ) {
    const calendar = await readCalendar(prisma);
    const clock = leadStepClock('reply', leadType, rules);
    const plan = planDeadline(calendar, new Date(dispatchedAt), clock, timeZone);
    return { clock, dueAt: dueAfterPauses(calendar, plan.dueAt, clock, pauses, now, timeZone) };
  }
}

function previousMonth(today: string): string {
  return addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
}

function nextMonthStart(month: string): string {
  return addDays(`${month}-28`, 4).slice(0, 7) + '-01';
}

export type ReferralActivities = ReturnType<typeof referralActivities>;
