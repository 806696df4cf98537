import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { migrate } from '../../src/platform/db/migrate';
import { startPostgres } from '../support/postgres';
import { exerciseEmpowermentModels } from '../support/exercise-empowerment';
import { exerciseReferralModels } from '../support/exercise-referral';

// The migrations (hand-written SQL in Prisma's layout) and schema.prisma must agree: every model is written
// and read back through the generated client on a freshly migrated database: the embedded one (DATA_DIR) and
// a throwaway server reached through DATABASE_URL.

async function exerciseEveryModel(db: Database) {
  const unit = await db.prisma.unit.create({ data: { name: '县市场监督管理局' } });
  const officer = await db.prisma.officer.create({
    data: {
      name: '张三',
      certNo: 'HN-0001',
      unitId: unit.id,
      role: 'supervisor',
      openId: 'ou_1',
      mobile: '13800000001',
      certStatus: 'suspended',
      certExpires: new Date('2027-06-30T00:00:00Z'),
    },
  });
  const audit = await db.prisma.auditEvent.create({
    data: { actor: 'test', action: 'officer.created', subject: 'HN-0001', details: { 行: 2 } },
  });
  await db.prisma.processedEvent.create({ data: { eventId: 'ev-1', eventType: 'im.message.receive_v1' } });

  const read = await db.prisma.officer.findUniqueOrThrow({ where: { certNo: 'HN-0001' }, include: { unit: true } });
  expect(read).toMatchObject({
    id: officer.id,
    name: '张三',
    role: 'supervisor',
    certStatus: 'suspended',
    unit: { name: '县市场监督管理局' },
  });
  expect(read.certExpires?.toISOString()).toBe('2027-06-30T00:00:00.000Z');
  expect(await db.prisma.auditEvent.findUniqueOrThrow({ where: { id: audit.id } })).toMatchObject({
    details: { 行: 2 },
  });
  expect(await db.prisma.processedEvent.count()).toBe(1);
  await db.prisma.calendarYear.create({
    data: {
      year: 2030,
      source: 'test',
      days: { create: [{ date: new Date('2030-01-01T00:00:00Z'), kind: 'holiday', name: '元旦' }] },
    },
  });
  expect(await db.prisma.calendarDay.findMany({ where: { year: 2030 } })).toMatchObject([
    { kind: 'holiday', name: '元旦' },
  ]);
  await db.prisma.certificateExpiryNotice.create({
    data: { certNo: 'HN-0001', expires: new Date('2027-06-30T00:00:00Z'), milestone: '6m' },
  });
  expect(await db.prisma.certificateExpiryNotice.count()).toBe(1);
  const record = {
    officerId: officer.id,
    course: '行政处罚法',
    category: 'public_law' as const,
    halfHours: 7,
    date: new Date('2026-03-05T00:00:00Z'),
    source: 'import' as const,
    status: 'confirmed' as const,
  };
  await db.prisma.trainingRecord.create({ data: record });
  expect((await db.prisma.trainingRecord.createMany({ data: [record], skipDuplicates: true })).count).toBe(0); // the import key
  expect(
    (
      await db.prisma.trainingRecord.createMany({
        data: [{ ...record, source: 'self_report', status: 'pending', workflowId: 'wf-1' }],
      })
    ).count,
  ).toBe(1);
  await db.prisma.trainingRequirement.create({
    data: { year: 2026, requiredHours: 60, perCategory: { public_law: 20 }, checkpoints: ['03-31'] },
  });
  expect(await db.prisma.trainingRequirement.findUnique({ where: { year: 2026 } })).toMatchObject({
    perCategory: { public_law: 20 },
    checkpoints: ['03-31'],
  });
  await db.prisma.trainingCampaign.create({
    data: {
      name: '全员轮训',
      course: '三项制度',
      deadline: new Date('2026-06-30T00:00:00Z'),
      units: ['县市场监督管理局'],
    },
  });
  expect(await db.prisma.trainingCampaign.findFirst()).toMatchObject({ units: ['县市场监督管理局'] });
  await db.prisma.trainingShortfall.create({
    data: { year: 2026, certNo: 'HN-0001', unitName: '县市场监督管理局', name: '张三', halfHours: 80, required: 60 },
  });
  expect(await db.prisma.trainingShortfall.count()).toBe(1);
  await db.prisma.pendingIntent.create({
    data: {
      openId: 'ou_1',
      intent: 'startCertificateCase',
      args: { action: 'suspend' },
      missing: 'officer',
      expiresAt: new Date('2026-11-22T03:10:00Z'),
    },
  });
  expect(await db.prisma.pendingIntent.findUnique({ where: { openId: 'ou_1' } })).toMatchObject({
    args: { action: 'suspend' },
    missing: 'officer',
  });
  const item = await db.prisma.deadlineItem.create({
    data: {
      workflowId: 'certificate-case-HN-0001',
      runId: 'run-1',
      stepKey: 'unit_head',
      process: 'certificate',
      caseLabel: '证件暂扣',
      subject: '张三',
      stepTitle: '单位负责人审批',
      stepKind: 'approve',
      unitName: '县市场监督管理局',
      ownerOpenId: 'ou_1',
      ownerName: '张三',
      openedAt: new Date('2026-11-23T01:00:00Z'),
      dueAt: new Date('2026-11-26T16:00:00Z'),
      clockLabel: '3个工作日',
    },
  });
  await db.prisma.deadlineNudge.create({
    data: { itemId: item.id, day: new Date('2026-11-27T00:00:00Z'), byOpenId: 'ou_1' },
  });
  await expect(
    db.prisma.deadlineNudge.create({
      data: { itemId: item.id, day: new Date('2026-11-27T00:00:00Z'), byOpenId: 'ou_2' },
    }),
  ).rejects.toThrow(); // once a day
  expect(await db.prisma.deadlineItem.findUnique({ where: { id: item.id }, include: { nudges: true } })).toMatchObject({
    state: 'open',
    statutory: false,
    nudges: [{ byOpenId: 'ou_1' }],
  });
  expect(
    await db.prisma.escalationRule.findMany({ where: { process: '*' }, orderBy: { milestone: 'asc' } }),
  ).toMatchObject([
    { milestone: 'due', notify: ['owner', 'superior'] },
    { milestone: 'due+1' },
    { milestone: 'due+5', notify: ['owner', 'superior', 'bureau'] },
    { milestone: 'half', notify: ['owner'] },
  ]);
  await db.prisma.noticeDelivery.create({
    data: {
      key: 'daily-2026-11-24-ou_1',
      topic: 'digest/daily/2026-11-24',
      notice: 'daily-2026-11-24-ou_1',
      openId: 'ou_1',
      content: { card: { schema: '2.0' } },
      owedBy: 'wf-1',
    },
  });
  await db.prisma.noticeDelivery.update({
    where: { key: 'daily-2026-11-24-ou_1' },
    data: { givenBy: 'wf-1', givenAt: new Date(), messageId: 'om_1' },
  });
  expect(
    await db.prisma.noticeDelivery.findMany({ where: { topic: 'digest/daily/2026-11-24', givenAt: { not: null } } }),
  ).toMatchObject([{ content: { card: { schema: '2.0' } }, messageId: 'om_1' }]);
  await exerciseEmpowermentModels(db.prisma);
  await exerciseReferralModels(db);
  await db.prisma.feishuSendSlot.create({ data: { appId: 'cli_1', windowMs: 1_000, slot: 1, heldBy: 'host:1:a:1' } });
  expect(await db.prisma.feishuSendSlot.findMany({ where: { appId: 'cli_1' } })).toMatchObject([
    { windowMs: 1_000, slot: 1, heldBy: 'host:1:a:1', freeAt: expect.any(Date) },
  ]);
  await db.prisma.feishuSendPause.create({ data: { appId: 'cli_1', pausedUntil: new Date('2026-12-07T00:00:01Z') } });
  expect(await db.prisma.feishuSendPause.count()).toBe(1);
  // Unique constraints the import and the webhook rely on.
  await expect(
    db.prisma.officer.create({ data: { name: '李四', certNo: 'HN-0001', unitId: unit.id } }),
  ).rejects.toThrow();
  await expect(
    db.prisma.officer.create({ data: { name: '李四', certNo: 'HN-0002', unitId: unit.id, openId: 'ou_1' } }),
  ).rejects.toThrow();
  const dup = await db.prisma.processedEvent.createMany({
    data: [{ eventId: 'ev-1', eventType: 'x' }],
    skipDuplicates: true,
  });
  expect(dup.count).toBe(0);
  // The audit trail is append-only.
  await expect(
    db.prisma.auditEvent.update({ where: { id: audit.id }, data: { actor: 'someone else' } }),
  ).rejects.toThrow(/append-only/);
  await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
}

async function recordedMigrations(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(
    'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
  );
  await client.end();
  return rows as Array<{ migration_name: string; checksum: string; finished_at: Date | null }>;
}

describe('schema and migrations on the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-schema-'));
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ DATA_DIR: dataDir, DATABASE_URL: undefined });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads and writes every model', () => exerciseEveryModel(db));

  it('records migrations like prisma migrate deploy and applies each only once', async () => {
    const rows = await recordedMigrations(db.url);
    expect(rows.map((r) => r.migration_name)).toContain('20261122000000_foundation');
    expect(rows.every((r) => r.finished_at && /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    expect((await migrate(db.url)).applied).toEqual([]);
  });
});

describe('schema and migrations on PostgreSQL through DATABASE_URL', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  let db: Database;
  beforeAll(async () => {
    postgres = await startPostgres();
    db = await openDatabase({ DATA_DIR: '/nonexistent', DATABASE_URL: postgres.url });
  });
  afterAll(async () => {
    await db?.close();
    await postgres?.stop();
  });

  it('reads and writes every model', () => exerciseEveryModel(db));

  it('refuses a migration edited after it was applied', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
    await client.end();
    await expect(migrate(postgres.url)).rejects.toThrow(/changed after it was applied/);
  });
});
