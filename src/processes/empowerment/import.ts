import type { PrismaClient } from '../../platform/db/database';
import { grantKey, type Grant } from './rules';
import { validateEmpowermentRows } from './rows';
import type { RowError } from '../../core/table-rows';
import type { IsoDate } from '../../core/dates';
import { LATEST, readRegister, recordVersion, sameRegister } from './store';
import type { Sheet } from '../../platform/sheets/spreadsheet';

// The empowerment register import (赋权事项登记表), one code path for the CLI and a file sent in chat, with the
// roster's rules: every row validated first, then everything written in one transaction or nothing.
// A grant in the file replaces the same grant (township + form + 文号) on the register; grants the file does
// not name stay. Each township the file changes gets one new version recording the import as its decision;
// a township the file leaves as it was gets none, so re-importing the same file changes nothing.

export type EmpowermentImportOutcome =
  | { ok: true; townships: number; versions: number; grants: number; matters: number; unchanged: number }
  | { ok: false; errors: RowError[] };

class RollBack extends Error {
  constructor(readonly errors: RowError[]) {
    super('import rolled back');
  }
}

/** `onProgress(rowsDone, total)` after each township, for the chat card of a large file. */
export async function importEmpowerment(
  prisma: PrismaClient,
  sheet: Sheet,
  actor: string,
  fileName: string,
  today: IsoDate,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<EmpowermentImportOutcome> {
  const validated = validateEmpowermentRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  const byTownship = new Map<string, Grant[]>();
  for (const g of validated.grants) byTownship.set(g.township, [...(byTownship.get(g.township) ?? []), g]);
  try {
    return await prisma.$transaction(
      async (tx) => {
        let versions = 0;
        let done = 0;
        const total = validated.grants.reduce((n, g) => n + g.matters.length, 0);
        for (const [township, grants] of byTownship) {
          onProgress(done, total);
          done += grants.reduce((n, g) => n + g.matters.length, 0);
          const current = await readRegister(tx, township, LATEST);
          const named = new Set(grants.map(grantKey));
          const next = [...(current?.grants ?? []).filter((g) => !named.has(grantKey(g))), ...grants];
          if (current && sameRegister(current.grants, next)) continue;
          const recorded = await recordVersion(
            tx,
            township,
            next,
            { kind: 'import', reference: fileName, decidedBy: actor, decidedOn: today },
            maxDate(today, current?.validFrom),
            new Map(),
            current ?? null,
          );
          if (!recorded.ok)
            throw new RollBack(
              recorded.problems.map((message) => ({ row: 1, column: '文号', value: township, message })),
            );
          await tx.auditEvent.create({
            data: {
              actor,
              action: 'empowerment.version_recorded',
              subject: township,
              details: { version: recorded.version, decision: 'import', file: fileName, grants: next.length },
            },
          });
          versions++;
        }
        onProgress(total, total);
        return {
          ok: true as const,
          townships: byTownship.size,
          versions,
          grants: validated.grants.length,
          matters: total,
          unchanged: byTownship.size - versions,
        };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (error instanceof RollBack) return { ok: false, errors: error.errors };
    throw error;
  }
}

/** A version starts today, or with the latest one when that was recorded to start later (history is not rewritten). */
function maxDate(a: IsoDate, b?: IsoDate): IsoDate {
  return b && b > a ? b : a;
}

export function describeEmpowermentImport(o: Extract<EmpowermentImportOutcome, { ok: true }>): string {
  return `导入完成: ${o.townships} 个乡镇/街道,${o.grants} 份赋权文件,${o.matters} 个事项;新登记版本 ${o.versions} 个,未变 ${o.unchanged} 个。`;
}
