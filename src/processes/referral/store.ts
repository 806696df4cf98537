import type { PrismaClient } from '../../platform/db/database';
import { bureauLeaders } from '../desk/store';
import { thresholdReached, type ReferralActor } from './rules';
import type { Party, ReferralParties } from './form';
import type { Person } from '../casework/contract';

// Who acts for each role of a referral, from the roster, in one table: a county that routes differently
// changes this table, not the workflows. The police and the procuratorate are not on the roster: the agency's
// 法制员 (admin) is its liaison with them and records their acts.

export const REFERRAL_ROLES = {
  liaison: 'admin', // 法制员: records the police's and procuratorate's acts, sends the referral
  agencyHead: 'supervisor', // 执法单位负责人: decides to refer; 310 第16条 makes lateness theirs
  unitLeader: 'leader', // 分管领导: hears when the head is late
  bureau: 'bureau', // 司法局: dispatches leads, designates jurisdiction
} as const;

const PERSON = { name: true, openId: true } as const;

async function unitRole(
  prisma: PrismaClient,
  unitName: string,
  role: 'admin' | 'supervisor' | 'leader',
): Promise<Person[]> {
  return prisma.officer.findMany({ where: { unit: { name: unitName }, role }, select: PERSON, orderBy: { id: 'asc' } });
}

/**
 * Owners and escalation for a referral's roles. `caseTeamLead` is the 主办人 (case-team steps); 'unit' is the
 * unit's liaison (an inter-agency sender, the unit a lead is dispatched to); 'receiving_unit' the receiver's.
 */
export async function referralParties(
  prisma: PrismaClient,
  input: { unitName: string; receivingUnit?: string; caseTeamLead?: Person },
): Promise<ReferralParties | { missing: string }> {
  const [admin, head, leaders] = await Promise.all([
    unitRole(prisma, input.unitName, REFERRAL_ROLES.liaison),
    unitRole(prisma, input.unitName, REFERRAL_ROLES.agencyHead),
    unitRole(prisma, input.unitName, REFERRAL_ROLES.unitLeader),
  ]);
  if (!head[0]) return { missing: `${input.unitName}在名册中没有负责人(角色 supervisor),请先补充名册` };
  if (!admin[0]) return { missing: `${input.unitName}在名册中没有法制员(角色 admin),请先补充名册` };
  const bureauPeople = await prisma.officer.findMany({
    where: { role: REFERRAL_ROLES.bureau },
    select: PERSON,
    orderBy: { id: 'asc' },
  });
  const bureauLead = await bureauLeaders(prisma);
  const parties: ReferralParties = {
    liaison: { owner: admin[0], escalateTo: [head[0]] },
    unit: { owner: admin[0], escalateTo: [head[0]] },
    agency_head: { owner: head[0], escalateTo: leaders.length ? leaders : bureauLead },
    case_team: { owner: input.caseTeamLead ?? admin[0], escalateTo: [head[0]] },
  };
  if (bureauPeople[0]) parties.bureau = { owner: bureauPeople[0], escalateTo: bureauLead };
  if (input.receivingUnit) {
    const [rAdmin, rHead] = await Promise.all([
      unitRole(prisma, input.receivingUnit, REFERRAL_ROLES.liaison),
      unitRole(prisma, input.receivingUnit, REFERRAL_ROLES.agencyHead),
    ]);
    const owner = rAdmin[0] ?? rHead[0];
    if (!owner) return { missing: `${input.receivingUnit}在名册中没有法制员或负责人,无法签收` };
    parties.receiving_unit = { owner, escalateTo: rHead[0] && rHead[0] !== owner ? [rHead[0]] : bureauLead };
  }
  return parties;
}

export function partyFor(parties: ReferralParties, actor: ReferralActor): Party {
  const party = parties[actor];
  if (!party) throw new Error(`no one on the roster acts as ${actor}`);
  return party;
}

/** Every unit but the bureau's, by name: where a lead may be dispatched, who may be designated. */
export async function referralUnits(prisma: PrismaClient): Promise<string[]> {
  const bureauUnits = await prisma.officer.findMany({
    where: { role: 'bureau' },
    select: { unitId: true },
    distinct: ['unitId'],
  });
  const units = await prisma.unit.findMany({
    where: { id: { notIn: bureauUnits.map((u) => u.unitId) } },
    select: { name: true },
    orderBy: { id: 'asc' },
  });
  return units.map((u) => u.name);
}

export interface OpenReferral {
  workflowId: string;
  kind: string;
  unitName: string;
  title: string;
  counterpart: string;
  stepTitle: string | null;
  ownerName: string | null;
  dueAt: Date | null;
  openedAt: Date;
}

/** Open referrals and leads (one unit's, or every unit's), with the step they wait on and its deadline. */
export async function openReferrals(prisma: PrismaClient, unitName?: string): Promise<OpenReferral[]> {
  const rows = await prisma.referral.findMany({
    where: { status: 'open', ...(unitName ? { unitName } : {}) },
    orderBy: { openedAt: 'asc' },
    select: {
      workflowId: true,
      kind: true,
      unitName: true,
      title: true,
      counterpart: true,
      stepTitle: true,
      openedAt: true,
    },
  });
  const due = await openDeadlines(
    prisma,
    rows.map((r) => r.workflowId),
  );
  return rows
    .map((r) => ({
      ...r,
      ownerName: due.get(r.workflowId)?.ownerName ?? null,
      dueAt: due.get(r.workflowId)?.dueAt ?? null,
      stepTitle: due.get(r.workflowId)?.stepTitle ?? r.stepTitle,
    }))
    .sort((a, b) => (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity));
}

/** The open desk row of each referral: the desk, not the register, holds the live deadline. */
export async function openDeadlines(prisma: PrismaClient, workflowIds: string[]) {
  const items = await prisma.deadlineItem.findMany({
    where: { workflowId: { in: workflowIds }, state: 'open' },
    select: { workflowId: true, dueAt: true, ownerName: true, stepTitle: true },
    orderBy: { dueAt: 'asc' },
  });
  const first = new Map<string, { dueAt: Date; ownerName: string; stepTitle: string }>();
  for (const item of items) if (!first.has(item.workflowId)) first.set(item.workflowId, item);
  return first;
}

/** Every referral of the register, for the ledger and its export. */
export async function allReferrals(prisma: PrismaClient) {
  return prisma.referral.findMany({ orderBy: [{ unitName: 'asc' }, { openedAt: 'asc' }] });
}

/**
 * The 以罚代刑 guard (310 第11条): a case's amount checked against the county's thresholds; when one is reached the
 * prompt is recorded (once per unit and case number) and returned, so the bot asks the case team.
 */
export async function checkCaseAmount(
  prisma: PrismaClient,
  input: { unitName: string; caseRef: string; caseType: string; amountYuan: number; openId: string },
) {
  const table = await prisma.referralThreshold.findMany();
  const reached = thresholdReached(input.caseType, input.amountYuan, table);
  if (!reached) return undefined;
  const prompt = await prisma.referralPrompt.upsert({
    where: { unitName_caseRef: { unitName: input.unitName, caseRef: input.caseRef } },
    create: {
      unitName: input.unitName,
      caseRef: input.caseRef,
      caseType: input.caseType,
      amountYuan: input.amountYuan,
      askedOpenId: input.openId,
    },
    update: { caseType: input.caseType, amountYuan: input.amountYuan },
  });
  return { prompt, threshold: reached };
}

export async function referralThresholds(prisma: PrismaClient) {
  return prisma.referralThreshold.findMany({ orderBy: { caseType: 'asc' } });
}
