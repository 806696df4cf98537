import type { PrismaClient } from '../../platform/db/database';
import { isoDateOf, type IsoDate } from '../../core/dates';
import {
  CATEGORIES,
  defaultRule,
  hoursLeft,
  trainingStatus,
  type Totals,
  type TrainingCategory,
  type TrainingRule,
  type TrainingStatus,
} from './rules';

// Reading training hours for chat and for the training-year checkpoints: sums come from the database
// (one grouped query), the judgement from the pure rules in src/processes/training/rules.ts.

export async function readRule(prisma: PrismaClient, year: number): Promise<TrainingRule> {
  const row = await prisma.trainingRequirement.findUnique({ where: { year } });
  if (!row) return defaultRule(year);
  return {
    ...defaultRule(year),
    requiredHours: row.requiredHours,
    perCategory: row.perCategory as TrainingRule['perCategory'],
  };
}

export interface OfficerHours {
  officerId: number;
  name: string;
  certNo: string;
  openId: string | null;
  unitId: number;
  unitName: string;
  totals: Totals;
  left: number;
  status: TrainingStatus;
}

const yearRange = (year: number) => ({
  gte: new Date(`${year}-01-01T00:00:00Z`),
  lt: new Date(`${year + 1}-01-01T00:00:00Z`),
});

/** Every officer (role officer) in scope with this year's confirmed hours and status as of `asOf`. */
export async function officerHours(
  prisma: PrismaClient,
  rule: TrainingRule,
  asOf: IsoDate,
  scope: { unitId?: number; officerId?: number } = {},
): Promise<OfficerHours[]> {
  // Lists cover enforcement officers with a usable certificate; asking for one person covers anyone.
  const where = scope.officerId
    ? { id: scope.officerId }
    : {
        role: 'officer' as const,
        certStatus: { in: ['active' as const, 'suspended' as const] },
        ...(scope.unitId ? { unitId: scope.unitId } : {}),
      };
  const [officers, sums] = await Promise.all([
    prisma.officer.findMany({
      where,
      select: { id: true, name: true, certNo: true, openId: true, unitId: true, unit: { select: { name: true } } },
      orderBy: { id: 'asc' },
    }),
    prisma.trainingRecord.groupBy({
      by: ['officerId', 'category'],
      where: { status: 'confirmed', date: yearRange(rule.year), officer: where },
      _sum: { halfHours: true },
    }),
  ]);
  const byOfficer = new Map<number, Record<TrainingCategory, number>>();
  for (const s of sums) {
    const entry = byOfficer.get(s.officerId) ?? { public_law: 0, business: 0, skills: 0 };
    entry[s.category] = (s._sum.halfHours ?? 0) / 2;
    byOfficer.set(s.officerId, entry);
  }
  return officers.map((o) => {
    const byCategory = byOfficer.get(o.id) ?? { public_law: 0, business: 0, skills: 0 };
    const totals = { byCategory, total: CATEGORIES.reduce((sum, c) => sum + byCategory[c], 0) };
    return {
      officerId: o.id,
      name: o.name,
      certNo: o.certNo,
      openId: o.openId,
      unitId: o.unitId,
      unitName: o.unit.name,
      totals,
      left: hoursLeft(rule, totals),
      status: trainingStatus(rule, totals, asOf),
    };
  });
}

export async function recentRecords(prisma: PrismaClient, officerId: number, take = 5) {
  const rows = await prisma.trainingRecord.findMany({
    where: { officerId },
    orderBy: [{ date: 'desc' }, { id: 'desc' }],
    take,
    select: { course: true, category: true, halfHours: true, date: true, status: true },
  });
  return rows.map((r) => ({
    course: r.course,
    category: r.category,
    hours: r.halfHours / 2,
    date: isoDateOf(r.date),
    status: r.status,
  }));
}

export interface UnitCompletion {
  unitId: number;
  unitName: string;
  officers: number;
  met: number;
  rate: number;
  byStatus: Record<TrainingStatus, number>;
}

/** Completion per unit (met / officers), best first. */
export function completionByUnit(rows: OfficerHours[]): UnitCompletion[] {
  const units = new Map<number, UnitCompletion>();
  for (const r of rows) {
    const u = units.get(r.unitId) ?? {
      unitId: r.unitId,
      unitName: r.unitName,
      officers: 0,
      met: 0,
      rate: 0,
      byStatus: { met: 0, on_track: 0, behind: 0, at_risk: 0 },
    };
    u.officers++;
    u.byStatus[r.status]++;
    if (r.status === 'met') u.met++;
    units.set(r.unitId, u);
  }
  return [...units.values()]
    .map((u) => ({ ...u, rate: u.officers ? u.met / u.officers : 0 }))
    .sort((a, b) => b.rate - a.rate || a.unitName.localeCompare(b.unitName, 'zh'));
}
