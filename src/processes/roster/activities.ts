import type { FeishuClient } from '../../platform/feishu/client';
import type { PrismaClient } from '../../platform/db/database';
import type { OfficerToResolve, ResolveBatchResult } from './contract';
import { feishuCall } from '../casework/feishu-failure';

export function rosterActivities({ prisma, feishu }: { prisma: PrismaClient; feishu: FeishuClient }) {
  return {
    async listOfficersToResolve(): Promise<OfficerToResolve[]> {
      const officers = await prisma.officer.findMany({
        where: { openId: null, mobile: { not: null } },
        select: { certNo: true, mobile: true },
        orderBy: { id: 'asc' },
      });
      return officers.map((o) => ({ certNo: o.certNo, mobile: o.mobile! }));
    },

    async resolveOpenIds(input: {
      batch: OfficerToResolve[];
      requestedBy: string;
      workflowId: string;
    }): Promise<ResolveBatchResult> {
      const found = await feishuCall(() => feishu.openIdsByMobile(input.batch.map((o) => o.mobile)));
      const result: ResolveBatchResult = { resolved: 0, notFound: 0, conflicts: 0 };
      for (const officer of input.batch) {
        const openId = found.get(officer.mobile);
        if (!openId) {
          result.notFound++;
          continue;
        }
        const holder = await prisma.officer.findUnique({ where: { openId }, select: { certNo: true } });
        if (holder && holder.certNo !== officer.certNo) {
          result.conflicts++;
          await prisma.auditEvent.create({
            data: {
              actor: 'system:roster-sync',
              action: 'officer.open_id_conflict',
              subject: officer.certNo,
              details: { mobile: officer.mobile, openId, heldBy: holder.certNo, workflowId: input.workflowId },
            },
          });
          continue;
        }
        // Only fill an empty open_id: a retried activity or a concurrent import must not overwrite one.
        const changed = await prisma.$transaction(async (tx) => {
          const { count } = await tx.officer.updateMany({
            where: { certNo: officer.certNo, openId: null },
            data: { openId },
          });
          if (count) {
            await tx.auditEvent.create({
              data: {
                actor: 'system:roster-sync',
                action: 'officer.open_id_resolved',
                subject: officer.certNo,
                details: {
                  mobile: officer.mobile,
                  openId,
                  requestedBy: input.requestedBy,
                  workflowId: input.workflowId,
                },
              },
            });
          }
          return count;
        });
        if (changed) result.resolved++;
      }
      return result;
    },
  };
}

export type RosterActivities = ReturnType<typeof rosterActivities>;
