import { basename } from 'node:path';
import type { PrismaClient } from './database';
import type { RowError } from '../sheets/cells';

// Settings the bureau loads as files (scoring template, field → original department map, lead rules): each
// load is a new row and an audit event, the latest row of a kind is in force. A process reads a setting
// through an activity when it starts, so the value is in its history and a later load does not change it.

export type SettingKind = 'scoring_template' | 'original_departments' | 'lead_rules';

export type LoadResult<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

/** `subject` names the audit trail the load joins ('empowerment', 'referral'). */
export async function storeSetting(
  prisma: PrismaClient,
  kind: SettingKind,
  body: object,
  file: string,
  actor: string,
  subject: string,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.bureauSetting.create({ data: { kind, body, source: basename(file), loadedBy: actor } });
    await tx.auditEvent.create({
      data: { actor, action: `${subject}.${kind}_loaded`, subject, details: { file: basename(file), body } },
    });
  });
}

/** The setting in force, as stored (written only by the loaders, after validation); undefined until loaded. */
export async function latestSetting<T>(prisma: PrismaClient, kind: SettingKind): Promise<T | undefined> {
  const row = await prisma.bureauSetting.findFirst({
    where: { kind },
    orderBy: { id: 'desc' },
    select: { body: true },
  });
  return row ? (row.body as T) : undefined;
}
