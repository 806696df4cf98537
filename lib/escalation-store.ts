import type { PrismaClient } from './database';
import { readSheet } from './spreadsheet';
import { validateEscalationRows } from '../workflows/domain/escalation-rows';
import type { RowError } from '../workflows/domain/table-rows';

// The escalation ladder lives in the database (one source for every worker); a county replaces it with
// `npm run cli -- escalation load FILE`. Steps already running keep the ladder they started with.

export async function loadEscalationFile(prisma: PrismaClient, file: string, actor: string): Promise<{ ok: true; rules: number } | { ok: false; errors: RowError[] }> {
  const sheet = await readSheet(file);
  const validated = validateEscalationRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  await prisma.$transaction(async (tx) => {
    const before = await tx.escalationRule.findMany();
    await tx.escalationRule.deleteMany();
    await tx.escalationRule.createMany({ data: validated.rules });
    await tx.auditEvent.create({ data: { actor, action: 'escalation.loaded', subject: 'escalation', details: { file, before, after: validated.rules } as object } });
  });
  return { ok: true, rules: validated.rules.length };
}
