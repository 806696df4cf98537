import { basename } from 'node:path';
import type { PrismaClient } from '../../platform/db/database';
import { readSheet, type Sheet } from '../../platform/sheets/spreadsheet';
import type { ThresholdRow } from './rules';
import { validateThresholdRows } from './threshold-rows';
import type { RowError } from '../../core/table-rows';

// The county's prosecution thresholds (追诉标准), loaded by the bureau with `npm run cli -- referral thresholds
// FILE` or by sending the file in chat. The migration ships example rows; a load replaces the whole table, so
// what the file says is what 登记案值 checks from the next case on. Prompts already recorded keep their own
// amount and case type as text (referral_prompt has no key into this table), so removing a type loses nothing.

export type ThresholdLoad = { ok: true; thresholds: number } | { ok: false; errors: RowError[] };

export async function loadThresholdFile(prisma: PrismaClient, file: string, actor: string): Promise<ThresholdLoad> {
  return loadThresholdSheet(prisma, await readSheet(file), basename(file), actor);
}

/** The same for a sheet already read (a file sent in chat); `fileName` is what the audit event names. */
export async function loadThresholdSheet(
  prisma: PrismaClient,
  sheet: Sheet,
  fileName: string,
  actor: string,
): Promise<ThresholdLoad> {
  const validated = validateThresholdRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  // A county's own table is no longer an example: the 登记案值 form stops saying so.
  const after: ThresholdRow[] = validated.thresholds.map((t) => ({ ...t, example: false }));
  await prisma.$transaction(async (tx) => {
    const before = await tx.referralThreshold.findMany({ orderBy: { caseType: 'asc' } });
    await tx.referralThreshold.deleteMany();
    await tx.referralThreshold.createMany({ data: after });
    await tx.auditEvent.create({
      data: {
        actor,
        action: 'referral.thresholds_loaded',
        subject: 'referral',
        details: { file: fileName, before, after } as object,
      },
    });
  });
  return { ok: true, thresholds: after.length };
}
