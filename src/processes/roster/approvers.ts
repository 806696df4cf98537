import type { PrismaClient } from '../../platform/db/database';
import type { Person } from '../casework/contract';

// Who decides what, found from the roster. The roles per step are here, in one table, so a county that
// routes differently changes data, not handlers.

export const APPROVER_ROLES = {
  unitHead: 'supervisor', // 执法单位负责人
  unitLeader: 'leader', // 分管领导: escalation for the unit head's step
  bureauReviewer: 'bureau', // 司法局审核人
  bureauLeader: 'leader', // 司法局领导: escalation for the bureau's step
} as const;

export interface Approvers {
  unitHead: Person;
  unitEscalation: Person[];
  bureauReviewer: Person;
  bureauEscalation: Person[];
}

const PERSON = { name: true, openId: true } as const;

export async function findApprovers(
  prisma: PrismaClient,
  unitId: number,
  excludeCertNo: string,
): Promise<Approvers | { missing: string }> {
  const unitHead = await prisma.officer.findFirst({
    where: { unitId, role: APPROVER_ROLES.unitHead, certNo: { not: excludeCertNo } },
    select: PERSON,
    orderBy: { id: 'asc' },
  });
  if (!unitHead) return { missing: '本单位在名册中没有负责人(角色 supervisor/负责人),请先补充名册' };
  const bureauReviewer = await prisma.officer.findFirst({
    where: { role: APPROVER_ROLES.bureauReviewer, certNo: { not: excludeCertNo } },
    select: { ...PERSON, unitId: true },
    orderBy: { id: 'asc' },
  });
  if (!bureauReviewer) return { missing: '名册中没有司法局审核人(角色 bureau/司法局),请先补充名册' };
  const bureauEscalation = await prisma.officer.findMany({
    where: { unitId: bureauReviewer.unitId, role: APPROVER_ROLES.bureauLeader },
    select: PERSON,
  });
  const unitLeaders = await prisma.officer.findMany({
    where: { unitId, role: APPROVER_ROLES.unitLeader },
    select: PERSON,
  });
  return {
    unitHead,
    unitEscalation: unitLeaders.length ? unitLeaders : bureauEscalation,
    bureauReviewer: { name: bureauReviewer.name, openId: bureauReviewer.openId },
    bureauEscalation: bureauEscalation.length ? bureauEscalation : [unitHead],
  };
}
