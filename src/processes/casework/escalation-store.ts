import type { PrismaClient } from '../../platform/db/database';
import { readSheet, type Sheet } from '../../platform/sheets/spreadsheet';
import { validateEscalationRows } from '../../core/escalation-rows';
import type { RowError } from '../../core/table-rows';

// The escalation ladder lives in the database (one source for every worker); a county replaces it with
// `npm run cli -- escalation load FILE`, or by sending the file in chat. Steps already running keep the
// ladder they started with.

export type EscalationLoad = { ok: true; rules: number } | { ok: false; errors: RowError[] };

export async function loadEscalationFile(prisma: PrismaClient, file: string, actor: string): Promise<EscalationLoad> {
  return loadEscalationSheet(prisma, await readSheet(file), file, actor);
}

/** The same for a sheet already read (a file sent in chat); `fileName` is what the audit event names. */
export async function loadEscalationSheet(
  prisma: PrismaClient,
  sheet: Sheet,
  fileName: string,
  actor: string,
): Promise<EscalationLoad> {
  const validated = validateEscalationRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  await prisma.$transaction(async (tx) => {
    const before = await tx.escalationRule.findMany();
    await tx.escalationRule.deleteMany();
    await tx.escalationRule.createMany({ data: validated.rules });
    await tx.auditEvent.create({
      data: {
        actor,
        action: 'escalation.loaded',
        subject: 'escalation',
        details: { file: fileName, before, after: validated.rules } as object,
      },
    });
  });
  return { ok: true, rules: validated.rules.length };
}
