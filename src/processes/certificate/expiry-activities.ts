import { expiryNoticeCard } from './expiry-card';
import type { FeishuClient } from '../../platform/feishu/client';
import type { PrismaClient } from '../../platform/db/database';
import { givenBy, oweMessages } from '../casework/notice-store';
import { addDays } from '../../core/calendar';
import { EXPIRY_MILESTONES, expiryMilestone } from './rules';
import { dateIn, daysBetween, isoDateOf } from '../../core/dates';
import { currentRun, deliverOwed, stillWorking } from '../casework/notice-delivery';

const TOPIC = 'expiry';

export interface ExpiryWatchResult {
  /** Officers told (their own notice or an admin's copy accepted by Feishu) by this run, over all its attempts. */
  noticed: number;
  messages: number;
  /** Open_ids still owed a notice after the last attempt (tomorrow's run tries again); absent when none. */
  owed?: string[];
}

export function certificateExpiryActivities({
  prisma,
  feishu,
  timeZone,
}: {
  prisma: PrismaClient;
  feishu: FeishuClient;
  timeZone: string;
}) {
  return {
    async sendExpiryNotices(input: { asOf: string }): Promise<ExpiryWatchResult> {
      const run = currentRun();
      const today = dateIn(timeZone, new Date(input.asOf));
      const horizon = addDays(today, EXPIRY_MILESTONES[0]!.daysBefore);
      const officers = await prisma.officer.findMany({
        where: { certStatus: { in: ['active', 'suspended'] }, certExpires: { lte: new Date(`${horizon}T00:00:00Z`) } },
        select: {
          name: true,
          certNo: true,
          openId: true,
          certExpires: true,
          unitId: true,
          unit: { select: { name: true } },
        },
      });
      for (const [i, officer] of officers.entries()) {
        stillWorking({ deciding: i, of: officers.length });
        const expires = isoDateOf(officer.certExpires!);
        const daysLeft = daysBetween(today, expires);
        const milestone = expiryMilestone(daysLeft);
        if (!milestone) continue;
        const admins = await prisma.officer.findMany({
          where: { unitId: officer.unitId, role: 'admin', openId: { not: null } },
          select: { openId: true },
        });
        const data = {
          name: officer.name,
          certNo: officer.certNo,
          unit: officer.unit.name,
          expires,
          daysLeft,
          milestone: milestone.label,
        };
        const notice = `expiry/${officer.certNo}/${expires}/${milestone.key}`;
        const recipients = [[officer.openId, 'officer'], ...admins.map((a) => [a.openId, 'admin'])] as Array<
          [string | null, 'officer' | 'admin']
        >;
        const messages = recipients.flatMap(([openId, audience]) =>
          openId ? [{ key: `${notice}/${openId}`, notice, openId, card: expiryNoticeCard(data, audience) }] : [],
        );
        // The milestone row is the "decided once" guard; the messages become owed in the same transaction and are
        // given only when Feishu accepts them (deliverOwed), so a failed send is never recorded as told.
        await prisma.$transaction(async (tx) => {
          const { count } = await tx.certificateExpiryNotice.createMany({
            data: [{ certNo: officer.certNo, expires: officer.certExpires!, milestone: milestone.key }],
            skipDuplicates: true,
          });
          if (!count) return;
          await oweMessages(tx, TOPIC, run, messages);
          await tx.auditEvent.create({
            data: {
              actor: 'system:expiry-watch',
              action: 'certificate.expiry_notice',
              subject: officer.certNo,
              details: { expires, milestone: milestone.key, daysLeft },
            },
          });
        });
      }
      const owed = await deliverOwed(prisma, feishu, TOPIC);
      const given = await givenBy(prisma, run, [TOPIC]);
      return { noticed: given.notices.length, messages: given.messages, ...(owed.length ? { owed } : {}) };
    },
  };
}

export type ExpiryActivities = ReturnType<typeof certificateExpiryActivities>;
