import type { PrismaClient } from '../../platform/db/database';
import { completionByUnit, officerHours, readRule } from '../training/store';
import type { IsoDate } from '../../core/dates';
import { rankUnits, type DeskItem, type UnitRanking } from './rules';
import type { Person } from '../casework/contract';

// Reading the desk: who leads what, and the open steps of the units a leader covers. A leader (role
// leader) covers their own unit; a leader of the justice bureau (the unit whose people review as role
// bureau) covers every unit.

const PERSON = { name: true, openId: true } as const;

export async function bureauUnitIds(prisma: PrismaClient): Promise<number[]> {
  const rows = await prisma.officer.findMany({
    where: { role: 'bureau' },
    select: { unitId: true },
    distinct: ['unitId'],
  });
  return rows.map((r) => r.unitId);
}

/** The bureau's leaders; the bureau reviewers when the roster names no leader there (someone must hear it). */
export async function bureauLeaders(prisma: PrismaClient): Promise<Person[]> {
  const units = await bureauUnitIds(prisma);
  const leaders = await prisma.officer.findMany({
    where: { unitId: { in: units }, role: 'leader' },
    select: PERSON,
    orderBy: { id: 'asc' },
  });
  if (leaders.length) return leaders;
  return prisma.officer.findMany({ where: { role: 'bureau' }, select: PERSON, orderBy: { id: 'asc' } });
}

export interface Leader {
  openId: string;
  name: string;
  unitName: string;
  /** null: every unit (a bureau leader). */
  units: string[] | null;
}

export async function leaders(prisma: PrismaClient): Promise<Leader[]> {
  const bureau = new Set(await bureauUnitIds(prisma));
  const rows = await prisma.officer.findMany({
    where: { role: 'leader', openId: { not: null } },
    select: { name: true, openId: true, unitId: true, unit: { select: { name: true } } },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => ({
    openId: r.openId!,
    name: r.name,
    unitName: r.unit.name,
    units: bureau.has(r.unitId) ? null : [r.unit.name],
  }));
}

/** The leader covering `openId`, or undefined when they lead nothing. */
export async function leaderByOpenId(prisma: PrismaClient, openId: string): Promise<Leader | undefined> {
  return (await leaders(prisma)).find((l) => l.openId === openId);
}

export const DESK_ITEM = {
  id: true,
  process: true,
  caseLabel: true,
  subject: true,
  stepTitle: true,
  unitName: true,
  ownerName: true,
  dueAt: true,
  provisional: true,
} as const;

/** The open items in the units a leader covers, and how a card names that scope. */
export function coveredItems(leader: Leader, items: DeskItem[]): DeskItem[] {
  const units = leader.units;
  return units ? items.filter((i) => units.includes(i.unitName)) : items;
}

export function scopeName(leader: Leader): string {
  return leader.units ? leader.units.join('、') : '全县各单位';
}

export async function openItems(prisma: PrismaClient, units: string[] | null): Promise<DeskItem[]> {
  const rows = await prisma.deadlineItem.findMany({
    where: { state: 'open', ...(units ? { unitName: { in: units } } : {}) },
    select: DESK_ITEM,
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() }));
}

/** Units (not the bureau) ranked by training completion and on-time decisions this year, as of `day`. */
export async function unitRanking(prisma: PrismaClient, day: IsoDate): Promise<UnitRanking[]> {
  const year = Number(day.slice(0, 4));
  const bureau = await bureauUnitIds(prisma);
  const units = await prisma.unit.findMany({ where: { id: { notIn: bureau } }, select: { name: true } });
  const completion = completionByUnit(await officerHours(prisma, await readRule(prisma, year), day));
  const decided = await prisma.deadlineItem.findMany({
    where: { state: 'done', closedAt: { gte: new Date(`${year}-01-01T00:00:00Z`) } },
    select: { unitName: true, dueAt: true, closedAt: true },
  });
  return rankUnits(
    units.map(({ name }) => {
      const training = completion.find((c) => c.unitName === name);
      const mine = decided.filter((d) => d.unitName === name);
      return {
        unitName: name,
        trainingMet: training?.met ?? 0,
        officers: training?.officers ?? 0,
        decided: mine.length,
        decidedOnTime: mine.filter((d) => d.closedAt! <= d.dueAt).length,
      };
    }),
  );
}
