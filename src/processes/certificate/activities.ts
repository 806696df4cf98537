import {
  certificateView,
  ACTION_RESULT,
  checkAction,
  type CertificateAction,
  type CertificateStatus,
  type ReasonCode,
} from './rules';
import { dateIn, isoDateOf } from '../../core/dates';
import type { PrismaClient } from '../../platform/db/database';

// Changing the register: only here, only from a certificate case workflow after its approvals.

export function certificateActivities({ prisma, timeZone }: { prisma: PrismaClient; timeZone: string }) {
  return {
    async applyCertificateAction(input: {
      certNo: string;
      action: CertificateAction;
      reason: ReasonCode;
      workflowId: string;
      approvedBy: string[];
    }): Promise<{ ok: true; newStatus: CertificateStatus } | { ok: false; message: string }> {
      return prisma.$transaction(async (tx) => {
        const officer = await tx.officer.findUnique({
          where: { certNo: input.certNo },
          select: { certStatus: true, certExpires: true },
        });
        if (!officer) return { ok: false as const, message: `名册中已没有执法证号 ${input.certNo}` };
        const target = ACTION_RESULT[input.action];
        // A retry after a commit whose answer was lost: the change is already there, recorded by this case.
        const done = await tx.auditEvent.findFirst({
          where: {
            subject: input.certNo,
            action: 'certificate.changed',
            details: { path: ['workflowId'], equals: input.workflowId },
          },
        });
        if (done && officer.certStatus === target) return { ok: true as const, newStatus: target };
        const today = dateIn(timeZone, new Date());
        const current = certificateView(
          officer.certStatus,
          officer.certExpires ? isoDateOf(officer.certExpires) : undefined,
          today,
        ).status;
        const check = checkAction(input.action, current, input.reason);
        if (!check.ok) return { ok: false as const, message: `审批期间证件状态已变化:${check.message}` };
        await tx.officer.update({ where: { certNo: input.certNo }, data: { certStatus: target } });
        await tx.auditEvent.create({
          data: {
            actor: `workflow:${input.workflowId}`,
            action: 'certificate.changed',
            subject: input.certNo,
            details: {
              workflowId: input.workflowId,
              action: input.action,
              reason: input.reason,
              from: officer.certStatus,
              to: target,
              approvedBy: input.approvedBy,
            },
          },
        });
        return { ok: true as const, newStatus: target };
      });
    },
  };
}

export type CertificateActivities = ReturnType<typeof certificateActivities>;
