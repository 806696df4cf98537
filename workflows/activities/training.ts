import { Context } from '@temporalio/activity';
import { checkpointReminderCard, countyHoursCard, unitHoursCard, yearEndListCard } from '../../bot/cards/training-cards';
import { trainingSuspensionOfferCard } from '../../bot/cards/training-suspension-offer-card';
import type { FeishuClient } from '../../bot/feishu-client';
import type { PrismaClient } from '../../lib/database';
import { completionByUnit, officerHours, readRule } from '../../lib/training-store';
import { daysLeftInYear, type TrainingCategory } from '../domain/training';
import { feishuCall } from './feishu-failure';

// Training year activities: checkpoint reminders, the county digest, the year-end list, self-reported records.
// Every send carries a uuid made of year, checkpoint and recipient, so a retried activity never sends twice.

export function trainingActivities({ prisma, feishu }: { prisma: PrismaClient; feishu: FeishuClient }) {
  const unitPeople = (unitId: number, role: 'admin' | 'supervisor') =>
    prisma.officer.findMany({ where: { unitId, role, openId: { not: null } }, select: { openId: true } });

  return {
    async listUnits(): Promise<Array<{ id: number; name: string }>> {
      return prisma.unit.findMany({ where: { officers: { some: { role: 'officer' } } }, select: { id: true, name: true }, orderBy: { id: 'asc' } });
    },

    /**
     * One checkpoint for one unit: a personal reminder to each officer behind, a summary to the unit admins.
     * Progress is heartbeated, so a retry (after a rate limit, say) carries on where it stopped.
     */
    async trainingCheckpoint(input: { unitId: number; year: number; checkpoint: string }) {
      const rule = await readRule(prisma, input.year);
      const rows = await officerHours(prisma, rule, input.checkpoint, { unitId: input.unitId });
      const behind = rows.filter((r) => r.status === 'behind' || r.status === 'at_risk');
      const daysLeft = daysLeftInYear(input.year, input.checkpoint);
      const unitName = rows[0]?.unitName ?? '';
      const sends = [
        ...behind.flatMap((o) => (o.openId ? [{ to: o.openId, card: () => checkpointReminderCard(o, rule, input.checkpoint, daysLeft), key: o.openId }] : [])),
        ...(await unitPeople(input.unitId, 'admin')).map((a) => ({ to: a.openId!, card: () => unitHoursCard(unitName, rule, rows, input.checkpoint), key: `summary/${a.openId}` })),
      ];
      const context = Context.current();
      const done = Number(context.info.heartbeatDetails ?? 0);
      for (let i = done; i < sends.length; i++) {
        const send = sends[i]!;
        await feishuCall(() => feishu.sendCard(send.to, send.card(), `training/${input.year}/${input.checkpoint}/${send.key}`));
        context.heartbeat(i + 1);
      }
      return { officers: rows.length, met: rows.filter((r) => r.status === 'met').length, behind: behind.map((o) => o.certNo), messages: sends.length };
    },

    /** The county digest at a quarter end: one card per leader and bureau member, not one per unit. */
    async sendCountyDigest(input: { year: number; asOf: string }): Promise<number> {
      const rule = await readRule(prisma, input.year);
      const units = completionByUnit(await officerHours(prisma, rule, input.asOf));
      const leaders = await prisma.officer.findMany({ where: { role: { in: ['leader', 'bureau'] }, openId: { not: null } }, select: { openId: true } });
      for (const l of leaders) await feishu.sendCard(l.openId!, countyHoursCard(rule, units, input.asOf, '学时通报'), `training/${input.year}/${input.asOf}/digest/${l.openId}`);
      return leaders.length;
    },

    /** Year end: file the list of officers short of the requirement, tell the unit head and the bureau, offer 暂扣. */
    async fileYearEnd(input: { unitId: number; year: number }): Promise<{ short: string[] }> {
      const rule = await readRule(prisma, input.year);
      const rows = await officerHours(prisma, rule, `${input.year}-12-31`, { unitId: input.unitId });
      const short = rows.filter((r) => r.status !== 'met');
      const unitName = rows[0]?.unitName ?? (await prisma.unit.findUniqueOrThrow({ where: { id: input.unitId } })).name;
      await prisma.$transaction([
        prisma.trainingShortfall.createMany({
          data: short.map((o) => ({ year: input.year, certNo: o.certNo, unitName, name: o.name, halfHours: Math.round(o.totals.total * 2), required: rule.requiredHours })),
          skipDuplicates: true,
        }),
        prisma.auditEvent.create({ data: { actor: 'system:training-year', action: 'training.year_end_filed', subject: unitName, details: { year: input.year, short: short.map((o) => o.certNo) } } }),
      ]);
      const bureau = await prisma.officer.findMany({ where: { role: 'bureau', openId: { not: null } }, select: { openId: true } });
      for (const p of [...(await unitPeople(input.unitId, 'supervisor')), ...bureau]) {
        await feishu.sendCard(p.openId!, yearEndListCard(input.year, unitName, short, rule.requiredHours), `training/${input.year}/final/${input.unitId}/${p.openId}`);
      }
      if (short.length) {
        const offer = trainingSuspensionOfferCard({ year: input.year, unitName, officers: short.map((o) => ({ name: o.name, certNo: o.certNo, hours: o.totals.total, required: rule.requiredHours })) });
        for (const admin of await unitPeople(input.unitId, 'admin')) await feishu.sendCard(admin.openId!, offer, `training/${input.year}/offer/${input.unitId}/${admin.openId}`);
      }
      return { short: short.map((o) => o.certNo) };
    },

    async createReportedRecord(input: { workflowId: string; officerId: number; course: string; category: TrainingCategory; halfHours: number; date: string }): Promise<void> {
      const { workflowId, date, ...record } = input;
      await prisma.trainingRecord.upsert({
        where: { workflowId },
        create: { ...record, workflowId, date: new Date(`${date}T00:00:00Z`), source: 'self_report', status: 'pending' },
        update: {},
      });
    },

    async settleReportedRecord(input: { workflowId: string; confirmed: boolean; by: string; reason?: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const record = await tx.trainingRecord.update({
          where: { workflowId: input.workflowId },
          data: { status: input.confirmed ? 'confirmed' : 'rejected', confirmedBy: input.by, rejectReason: input.reason ?? null },
          select: { officer: { select: { certNo: true } }, course: true, halfHours: true },
        });
        await tx.auditEvent.create({
          data: { actor: input.by, action: input.confirmed ? 'training.report_confirmed' : 'training.report_rejected', subject: record.officer.certNo, details: { workflowId: input.workflowId, course: record.course, hours: record.halfHours / 2, reason: input.reason } },
        });
      });
    },
  };
}

export type TrainingActivities = ReturnType<typeof trainingActivities>;
