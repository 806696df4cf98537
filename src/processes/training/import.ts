import type { PrismaClient } from '../../platform/db/database';
import { validateTrainingRows } from './rows';
import { chunk, type RowError } from '../../core/table-rows';
import type { Sheet } from '../../platform/sheets/spreadsheet';

// Training records import: every row validated (and matched to the roster) first; then written in one
// transaction in batches, so progress can be shown; rows already imported are skipped, never doubled.

export type TrainingImportOutcome =
  { ok: true; added: number; unchanged: number; units: number[]; years: number[] } | { ok: false; errors: RowError[] };

const BATCH = 2000;

export async function importTraining(
  prisma: PrismaClient,
  sheet: Sheet,
  actor: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<TrainingImportOutcome> {
  const validated = validateTrainingRows(sheet.headers, sheet.rows);
  if (!validated.ok) return validated;
  const rows = validated.records;
  const officers = await prisma.officer.findMany({
    where: {
      OR: [
        { certNo: { in: rows.flatMap((r) => (r.certNo ? [r.certNo] : [])) } },
        { openId: { in: rows.flatMap((r) => (r.openId ? [r.openId] : [])) } },
      ],
    },
    select: { id: true, certNo: true, openId: true, unitId: true },
  });
  const byCertNo = new Map(officers.map((o) => [o.certNo, o]));
  const byOpenId = new Map(officers.flatMap((o) => (o.openId ? [[o.openId, o] as const] : [])));
  const errors: RowError[] = [];
  const data = rows.flatMap((r) => {
    const officer = r.certNo ? byCertNo.get(r.certNo) : byOpenId.get(r.openId!);
    if (!officer) {
      errors.push({
        row: r.row,
        column: r.certNo ? '执法证号' : 'open_id',
        value: r.certNo ?? r.openId!,
        message: '名册中没有这名执法人员,请先导入人员名册',
      });
      return [];
    }
    return [
      {
        officerId: officer.id,
        unitId: officer.unitId,
        course: r.course,
        category: r.category,
        halfHours: r.halfHours,
        date: new Date(`${r.date}T00:00:00Z`),
        source: 'import' as const,
        status: 'confirmed' as const,
      },
    ];
  });
  if (errors.length) return { ok: false, errors };

  const added = await prisma.$transaction(
    async (tx) => {
      let count = 0;
      let done = 0;
      for (const batch of chunk(data, BATCH)) {
        count += (
          await tx.trainingRecord.createMany({
            data: batch.map(({ unitId: _unit, ...record }) => record),
            skipDuplicates: true,
          })
        ).count;
        done += batch.length;
        onProgress(done, data.length);
      }
      await tx.auditEvent.create({
        data: { actor, action: 'training.imported', subject: 'training', details: { rows: data.length, added: count } },
      });
      return count;
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
  return {
    ok: true,
    added,
    unchanged: data.length - added,
    units: [...new Set(data.map((d) => d.unitId))],
    years: [...new Set(rows.map((r) => Number(r.date.slice(0, 4))))],
  };
}
