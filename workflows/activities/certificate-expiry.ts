import { expiryNoticeCard } from '../../bot/cards/expiry-card';
import type { FeishuClient } from '../../bot/feishu-client';
import type { PrismaClient } from '../../lib/database';
import { addDays } from '../domain/calendar';
import { EXPIRY_MILESTONES, expiryMilestone } from '../domain/certificate';
import { dateIn, daysBetween, isoDateOf } from '../domain/dates';

export function certificateExpiryActivities({ prisma, feishu, timeZone }: { prisma: PrismaClient; feishu: FeishuClient; timeZone: string }) {
  return {
    async sendExpiryNotices(input: { asOf: string }): Promise<{ noticed: number; messages: number }> {
      const today = dateIn(timeZone, new Date(input.asOf));
      const horizon = addDays(today, EXPIRY_MILESTONES[0]!.daysBefore);
      const officers = await prisma.officer.findMany({
        where: { certStatus: { in: ['active', 'suspended'] }, certExpires: { lte: new Date(`${horizon}T00:00:00Z`) } },
        select: { name: true, certNo: true, openId: true, certExpires: true, unitId: true, unit: { select: { name: true } } },
      });
      let noticed = 0;
      let messages = 0;
      for (const officer of officers) {
        const expires = isoDateOf(officer.certExpires!);
        const daysLeft = daysBetween(today, expires);
        const milestone = expiryMilestone(daysLeft);
        if (!milestone) continue;
        // The row is the "told once" guard: only the run that inserts it sends.
        const { count } = await prisma.certificateExpiryNotice.createMany({
          data: [{ certNo: officer.certNo, expires: officer.certExpires!, milestone: milestone.key }],
          skipDuplicates: true,
        });
        if (!count) continue;
        noticed++;
        const admins = await prisma.officer.findMany({ where: { unitId: officer.unitId, role: 'admin', openId: { not: null } }, select: { openId: true } });
        const data = { name: officer.name, certNo: officer.certNo, unit: officer.unit.name, expires, daysLeft, milestone: milestone.label };
        for (const [openId, audience] of [[officer.openId, 'officer'], ...admins.map((a) => [a.openId, 'admin'])] as Array<[string | null, 'officer' | 'admin']>) {
          if (!openId) continue;
          await feishu.sendCard(openId, expiryNoticeCard(data, audience), `expiry/${officer.certNo}/${expires}/${milestone.key}/${openId}`);
          messages++;
        }
        await prisma.auditEvent.create({ data: { actor: 'system:expiry-watch', action: 'certificate.expiry_notice', subject: officer.certNo, details: { expires, milestone: milestone.key, daysLeft } } });
      }
      return { noticed, messages };
    },
  };
}

export type ExpiryActivities = ReturnType<typeof certificateExpiryActivities>;
