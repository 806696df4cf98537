import { expect } from 'vitest';
import type { PrismaClient } from '../../src/platform/db/database';

// Every empowerment model written and read through the generated client (called by the schema test), plus the
// two rules the database itself keeps: the record types never mixed, and versions never rewritten.
export async function exerciseEmpowermentModels(db: PrismaClient): Promise<void> {
  const version = await db.empowermentVersion.create({
    data: {
      township: '测试镇',
      version: 1,
      validFrom: new Date('2026-01-01T00:00:00Z'),
      decision: { kind: 'import', reference: 'x.xlsx', decidedBy: 'cli', decidedOn: '2026-01-01' },
    },
  });
  const grant = await db.empowermentGrant.create({
    data: {
      versionId: version.id,
      form: 'entrusted',
      documentNo: 'W1',
      department: '县市场监管局',
      authority: '罚款',
      termStart: new Date('2026-01-01T00:00:00Z'),
      termEnd: new Date('2028-12-31T00:00:00Z'),
    },
  });
  await db.empowermentMatter.create({
    data: {
      grantId: grant.id,
      code: 'E1',
      name: '事项',
      field: '市场监管',
      legalBasis: '依据',
      evaluatedOn: new Date('2026-06-01T00:00:00Z'),
      lastOutcome: 'keep',
      lastCases: 0,
    },
  });
  const read = await db.empowermentVersion.findUniqueOrThrow({
    where: { id: version.id },
    include: { grants: { include: { matters: true } } },
  });
  expect(read.grants[0]!.matters[0]!.lastCases).toBe(0);
  await expect(
    db.empowermentGrant.create({
      data: {
        versionId: version.id,
        form: 'delegated',
        documentNo: 'J1',
        department: '县市场监管局',
        published: new Date('2026-01-01T00:00:00Z'),
      },
    }),
  ).rejects.toThrow();
  await expect(db.empowermentVersion.update({ where: { id: version.id }, data: { township: '改' } })).rejects.toThrow();
  await db.empowermentRound.create({
    data: {
      workflowId: 'empowerment-round-测试镇-2026年度',
      township: '测试镇',
      period: '2026年度',
      stage: 'published',
      versionId: version.id,
      publication: { text: '公布' },
    },
  });
  expect(await db.empowermentRound.count()).toBeGreaterThan(0);
  await db.empowermentTermNotice.create({
    data: { township: '测试镇', documentNo: 'W1', termEnd: new Date('2028-12-31T00:00:00Z'), milestone: '90d' },
  });
  expect(await db.empowermentTermNotice.count()).toBeGreaterThan(0);
  await db.bureauSetting.create({
    data: { kind: 'original_departments', body: { 自然资源: '县自然资源局' }, source: 'map.csv', loadedBy: 'cli' },
  });
  expect((await db.bureauSetting.findFirstOrThrow({ where: { kind: 'original_departments' } })).body).toEqual({
    自然资源: '县自然资源局',
  });
  await expect(
    db.bureauSetting.create({ data: { kind: 'something_else', body: {}, source: 'x', loadedBy: 'cli' } }),
  ).rejects.toThrow();
}
