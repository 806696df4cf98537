import type { PrismaClient } from '../../platform/db/database';
import { validateRoster, type OfficerRow } from './rules';
import type { RowError } from '../../core/table-rows';
import type { Sheet } from '../../platform/sheets/spreadsheet';

// The roster import, one code path for the CLI and (later) files sent in chat: validate every row first,
// then write all of it in one transaction or nothing. Re-importing the same file changes nothing.

export type ImportOutcome =
  | { ok: true; added: number; updated: number; unchanged: number; awaitingOpenId: number }
  | { ok: false; errors: RowError[] };

class RollBack extends Error {
  constructor(readonly errors: RowError[]) {
    super('import rolled back');
  }
}

export async function importOfficers(prisma: PrismaClient, sheet: Sheet, actor: string): Promise<ImportOutcome> {
  const validated = validateRoster(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  const rows = validated.officers;
  try {
    return await prisma.$transaction(
      async (tx) => {
        await tx.unit.createMany({
          data: [...new Set(rows.map((r) => r.unit))].map((name) => ({ name })),
          skipDuplicates: true,
        });
        const units = new Map(
          (await tx.unit.findMany({ select: { id: true, name: true } })).map((u) => [u.name, u.id]),
        );
        const existing = new Map(
          (await tx.officer.findMany({ where: { certNo: { in: rows.map((r) => r.certNo) } }, select: EXISTING })).map(
            (o) => [o.certNo, o],
          ),
        );
        await refuseTakenOpenIds(tx, rows);

        const audits: Array<{ actor: string; action: string; subject: string; details: object }> = [];
        const created: OfficerRow[] = [];
        let updated = 0;
        for (const row of rows) {
          const data = {
            name: row.name,
            unitId: units.get(row.unit)!,
            role: row.role,
            mobile: row.mobile ?? null,
            certExpires: row.certExpires ? new Date(`${row.certExpires}T00:00:00Z`) : null,
            // An open_id already resolved through Feishu is kept when the file leaves the column empty.
            ...(row.openId ? { openId: row.openId } : {}),
          };
          const before = existing.get(row.certNo);
          if (!before) {
            created.push(row);
            continue;
          }
          const changes = officerChanges(before, row);
          if (!Object.keys(changes).length) continue;
          await tx.officer.update({ where: { certNo: row.certNo }, data });
          audits.push({ actor, action: 'officer.updated', subject: row.certNo, details: { row: row.row, changes } });
          updated++;
        }
        await tx.officer.createMany({
          data: created.map((row) => ({
            certNo: row.certNo,
            name: row.name,
            unitId: units.get(row.unit)!,
            role: row.role,
            openId: row.openId ?? null,
            mobile: row.mobile ?? null,
            certExpires: row.certExpires ? new Date(`${row.certExpires}T00:00:00Z`) : null,
          })),
        });
        for (const row of created)
          audits.push({
            actor,
            action: 'officer.created',
            subject: row.certNo,
            details: { row: row.row, name: row.name, unit: row.unit, role: row.role },
          });
        const summary = { added: created.length, updated, unchanged: rows.length - created.length - updated };
        audits.push({
          actor,
          action: 'roster.imported',
          subject: 'roster',
          details: { rows: rows.length, ...summary },
        });
        await tx.auditEvent.createMany({ data: audits });
        const awaitingOpenId = await tx.officer.count({ where: { openId: null, mobile: { not: null } } });
        return { ok: true as const, ...summary, awaitingOpenId };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (error instanceof RollBack) return { ok: false, errors: error.errors };
    throw error;
  }
}

/** open_id is unique: a file may not give one officer the open_id another officer already has. */
async function refuseTakenOpenIds(tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0], rows: OfficerRow[]) {
  const withOpenId = rows.filter((r) => r.openId);
  if (!withOpenId.length) return;
  const holders = await tx.officer.findMany({
    where: { openId: { in: withOpenId.map((r) => r.openId!) } },
    select: { openId: true, certNo: true },
  });
  const holderOf = new Map(holders.map((h) => [h.openId, h.certNo]));
  const errors = withOpenId
    .filter((r) => holderOf.has(r.openId!) && holderOf.get(r.openId!) !== r.certNo)
    .map((r) => ({
      row: r.row,
      column: 'open_id',
      value: r.openId!,
      message: `已登记给执法证号 ${holderOf.get(r.openId!)}`,
    }));
  if (errors.length) throw new RollBack(errors);
}

/** What an import reads of an officer already on the roster, to tell what a row would change. */
export const EXISTING = {
  certNo: true,
  name: true,
  role: true,
  openId: true,
  mobile: true,
  certExpires: true,
  unit: { select: { id: true, name: true } },
} as const;

type Existing = {
  name: string;
  role: string;
  openId: string | null;
  mobile: string | null;
  certExpires: Date | null;
  unit: { name: string };
};

/**
 * The fields a roster row would change on an officer already registered ({} when it changes nothing). One rule
 * for the import and for the preview of a file sent in chat, so the preview's counts are what the import does.
 */
export function officerChanges(before: Existing, row: OfficerRow): Record<string, string | null> {
  const next: Record<string, [string | null, string | null]> = {
    name: [before.name, row.name],
    unit: [before.unit.name, row.unit],
    role: [before.role, row.role],
    mobile: [before.mobile, row.mobile ?? null],
    certExpires: [before.certExpires?.toISOString().slice(0, 10) ?? null, row.certExpires ?? null],
    // An open_id already resolved through Feishu is kept when the file leaves the column empty.
    ...(row.openId ? { openId: [before.openId, row.openId] as [string | null, string | null] } : {}),
  };
  return Object.fromEntries(
    Object.entries(next)
      .filter(([, [was, will]]) => was !== will)
      .map(([field, [, will]]) => [field, will]),
  );
}
