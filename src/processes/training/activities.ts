import { checkpointReminderCard, countyHoursCard, unitHoursCard, yearEndListCard } from './cards';
import { trainingSuspensionOfferCard } from '../certificate/training-suspension-offer-card';
import type { FeishuClient } from '../../platform/feishu/client';
import type { PrismaClient } from '../../platform/db/database';
import { givenBy, oweMessages } from '../casework/notice-store';
import { completionByUnit, officerHours, readRule } from './store';
import { daysLeftInYear, type TrainingCategory } from './rules';
import { currentRun, deliverOwed } from '../casework/notice-delivery';

// Training year activities: checkpoint reminders, the county digest, the year-end list, self-reported records.
// Every message is owed first and given once Feishu accepted it (src/processes/casework/notice-store.ts), under a uuid made of
// year, checkpoint and recipient, so a retried activity sends only what is still owed and never twice.

export function trainingActivities({ prisma, feishu }: { prisma: PrismaClient; feishu: FeishuClient }) {
  const unitPeople = (unitId: number, role: 'admin' | 'supervisor') =>
    prisma.officer.findMany({ where: { unitId, role, openId: { not: null } }, select: { openId: true } });

  return {
    async listUnits(): Promise<Array<{ id: number; name: string }>> {
      return prisma.unit.findMany({
        where: { officers: { some: { role: 'officer' } } },
        select: { id: true, name: true },
        orderBy: { id: 'asc' },
      });
    },

    /**
     * One checkpoint for one unit: a personal reminder to each officer behind, a summary to the unit admins.
     * Each is owed first and given only once Feishu accepted it, so a retry (after a refusal, a crash) sends
     * only who is still owed theirs; the result counts what this run gave over all its attempts.
     */
    async trainingCheckpoint(input: { unitId: number; year: number; checkpoint: string }) {
      const run = currentRun();
      const rule = await readRule(prisma, input.year);
      const rows = await officerHours(prisma, rule, input.checkpoint, { unitId: input.unitId });
      const behind = rows.filter((r) => r.status === 'behind' || r.status === 'at_risk');
      const daysLeft = daysLeftInYear(input.year, input.checkpoint);
      const unitName = rows[0]?.unitName ?? '';
      const base = `training/${input.year}/${input.checkpoint}`;
      const topic = `${base}/unit-${input.unitId}`;
      await oweMessages(prisma, topic, run, [
        ...behind.flatMap((o) =>
          o.openId
            ? [
                {
                  key: `${base}/${o.openId}`,
                  notice: `${base}/${o.certNo}`,
                  openId: o.openId,
                  card: checkpointReminderCard(o, rule, input.checkpoint, daysLeft),
                },
              ]
            : [],
        ),
        ...(await unitPeople(input.unitId, 'admin')).map((a) => ({
          key: `${base}/summary/${a.openId}`,
          notice: `${topic}/summary`,
          openId: a.openId!,
          card: unitHoursCard(unitName, rule, rows, input.checkpoint),
        })),
      ]);
      const owed = await deliverOwed(prisma, feishu, topic);
      const given = await givenBy(prisma, run, [topic]);
      return {
        officers: rows.length,
        met: rows.filter((r) => r.status === 'met').length,
        behind: behind.map((o) => o.certNo),
        messages: given.messages,
        ...(owed.length ? { owed } : {}),
      };
    },

    /** The county digest at a quarter end: one card per leader and bureau member, not one per unit. */
    async sendCountyDigest(input: { year: number; asOf: string }): Promise<number> {
      const run = currentRun();
      const rule = await readRule(prisma, input.year);
      const units = completionByUnit(await officerHours(prisma, rule, input.asOf));
      const leaders = await prisma.officer.findMany({
        where: { role: { in: ['leader', 'bureau'] }, openId: { not: null } },
        select: { openId: true },
      });
      const topic = `training/${input.year}/${input.asOf}/digest`;
      const card = countyHoursCard(rule, units, input.asOf, '学时通报');
      await oweMessages(
        prisma,
        topic,
        run,
        leaders.map((l) => ({ key: `${topic}/${l.openId}`, notice: topic, openId: l.openId!, card })),
      );
      await deliverOwed(prisma, feishu, topic);
      return (await givenBy(prisma, run, [topic])).messages;
    },

    /** Year end: file the list of officers short of the requirement, tell the unit head and the bureau, offer 暂扣. */
    async fileYearEnd(input: { unitId: number; year: number }): Promise<{ short: string[]; owed?: string[] }> {
      const run = currentRun();
      const rule = await readRule(prisma, input.year);
      const rows = await officerHours(prisma, rule, `${input.year}-12-31`, { unitId: input.unitId });
      const short = rows.filter((r) => r.status !== 'met');
      const unitName = rows[0]?.unitName ?? (await prisma.unit.findUniqueOrThrow({ where: { id: input.unitId } })).name;
      const topic = `training/${input.year}/final/unit-${input.unitId}`;
      const bureau = await prisma.officer.findMany({
        where: { role: 'bureau', openId: { not: null } },
        select: { openId: true },
      });
      const list = yearEndListCard(input.year, unitName, short, rule.requiredHours);
      const offer = short.length
        ? trainingSuspensionOfferCard({
            year: input.year,
            unitName,
            officers: short.map((o) => ({
              name: o.name,
              certNo: o.certNo,
              hours: o.totals.total,
              required: rule.requiredHours,
            })),
          })
        : undefined;
      const messages = [
        ...[...(await unitPeople(input.unitId, 'supervisor')), ...bureau].map((p) => ({
          key: `training/${input.year}/final/${input.unitId}/${p.openId}`,
          notice: `${topic}/list`,
          openId: p.openId!,
          card: list,
        })),
        ...(offer
          ? (await unitPeople(input.unitId, 'admin')).map((a) => ({
              key: `training/${input.year}/offer/${input.unitId}/${a.openId}`,
              notice: `${topic}/offer`,
              openId: a.openId!,
              card: offer,
            }))
          : []),
      ];
      // Filed once with the messages it owes: a retry (which happens only while something is owed) finds them.
      if (!(await prisma.noticeDelivery.findFirst({ where: { topic }, select: { key: true } }))) {
        await prisma.$transaction(async (tx) => {
          await tx.trainingShortfall.createMany({
            data: short.map((o) => ({
              year: input.year,
              certNo: o.certNo,
              unitName,
              name: o.name,
              halfHours: Math.round(o.totals.total * 2),
              required: rule.requiredHours,
            })),
            skipDuplicates: true,
          });
          await tx.auditEvent.create({
            data: {
              actor: 'system:training-year',
              action: 'training.year_end_filed',
              subject: unitName,
              details: { year: input.year, short: short.map((o) => o.certNo) },
            },
          });
          await oweMessages(tx, topic, run, messages);
        });
      }
      const owed = await deliverOwed(prisma, feishu, topic);
      return { short: short.map((o) => o.certNo), ...(owed.length ? { owed } : {}) };
    },

    async createReportedRecord(input: {
      workflowId: string;
      officerId: number;
      course: string;
      category: TrainingCategory;
      halfHours: number;
      date: string;
    }): Promise<void> {
      const { workflowId, date, ...record } = input;
      await prisma.trainingRecord.upsert({
        where: { workflowId },
        create: {
          ...record,
          workflowId,
          date: new Date(`${date}T00:00:00Z`),
          source: 'self_report',
          status: 'pending',
        },
        update: {},
      });
    },

    async settleReportedRecord(input: {
      workflowId: string;
      confirmed: boolean;
      by: string;
      reason?: string;
    }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const record = await tx.trainingRecord.update({
          where: { workflowId: input.workflowId },
          data: {
            status: input.confirmed ? 'confirmed' : 'rejected',
            confirmedBy: input.by,
            rejectReason: input.reason ?? null,
          },
          select: { officer: { select: { certNo: true } }, course: true, halfHours: true },
        });
        await tx.auditEvent.create({
          data: {
            actor: input.by,
            action: input.confirmed ? 'training.report_confirmed' : 'training.report_rejected',
            subject: record.officer.certNo,
            details: {
              workflowId: input.workflowId,
              course: record.course,
              hours: record.halfHours / 2,
              reason: input.reason,
            },
          },
        });
      });
    },
  };
}

export type TrainingActivities = ReturnType<typeof trainingActivities>;
