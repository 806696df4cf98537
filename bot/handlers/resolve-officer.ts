import type { PrismaClient } from '../../lib/database';

// A name or 执法证号 as the user (or the model, repeating the user) wrote it → roster entries, resolved here so
// the model never sees the roster: exact 执法证号, then exact name, then part of a name within the asker's
// scope (their unit; the whole county for the bureau).

const OFFICER = { name: true, certNo: true, unitId: true, unit: { select: { name: true } } } as const;

export type Resolution =
  | { kind: 'one'; officer: { name: string; certNo: string; unitId: number; unit: { name: string } } }
  | { kind: 'several'; officers: Array<{ name: string; certNo: string; unitId: number; unit: { name: string } }> }
  | { kind: 'none' };

export async function resolveOfficer(prisma: PrismaClient, scope: { unitId?: number }, written: string): Promise<Resolution> {
  const text = written.trim().replace(/[\s"“”「」]/g, '');
  if (!text) return { kind: 'none' };
  const tries = [
    { certNo: text.toUpperCase() },
    { name: text },
    { name: { contains: text } },
  ];
  for (const where of tries) {
    const found = await prisma.officer.findMany({ where: { ...scope, ...where }, select: OFFICER, take: 6, orderBy: { id: 'asc' } });
    if (found.length === 1) return { kind: 'one', officer: found[0]! };
    if (found.length > 1) return { kind: 'several', officers: found };
  }
  return { kind: 'none' };
}
