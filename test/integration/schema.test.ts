import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../lib/database';
import { migrate } from '../../lib/migrate';
import { startPostgres } from '../support/postgres';

// The migrations (hand-written SQL in Prisma's layout) and schema.prisma must agree: every model is written
// and read back through the generated client on a freshly migrated database, on PGlite and on PostgreSQL.

async function exerciseEveryModel(db: Database) {
  const unit = await db.prisma.unit.create({ data: { name: '县市场监督管理局' } });
  const officer = await db.prisma.officer.create({
    data: { name: '张三', certNo: 'HN-0001', unitId: unit.id, role: 'supervisor', openId: 'ou_1', mobile: '13800000001', certStatus: 'suspended', certExpires: new Date('2027-06-30T00:00:00Z') },
  });
  const audit = await db.prisma.auditEvent.create({ data: { actor: 'test', action: 'officer.created', subject: 'HN-0001', details: { 行: 2 } } });
  await db.prisma.processedEvent.create({ data: { eventId: 'ev-1', eventType: 'im.message.receive_v1' } });

  const read = await db.prisma.officer.findUniqueOrThrow({ where: { certNo: 'HN-0001' }, include: { unit: true } });
  expect(read).toMatchObject({ id: officer.id, name: '张三', role: 'supervisor', certStatus: 'suspended', unit: { name: '县市场监督管理局' } });
  expect(read.certExpires?.toISOString()).toBe('2027-06-30T00:00:00.000Z');
  expect(await db.prisma.auditEvent.findUniqueOrThrow({ where: { id: audit.id } })).toMatchObject({ details: { 行: 2 } });
  expect(await db.prisma.processedEvent.count()).toBe(1);
  // Unique constraints the import and the webhook rely on.
  await expect(db.prisma.officer.create({ data: { name: '李四', certNo: 'HN-0001', unitId: unit.id } })).rejects.toThrow();
  await expect(db.prisma.officer.create({ data: { name: '李四', certNo: 'HN-0002', unitId: unit.id, openId: 'ou_1' } })).rejects.toThrow();
  const dup = await db.prisma.processedEvent.createMany({ data: [{ eventId: 'ev-1', eventType: 'x' }], skipDuplicates: true });
  expect(dup.count).toBe(0);
  // The audit trail is append-only.
  await expect(db.prisma.auditEvent.update({ where: { id: audit.id }, data: { actor: 'someone else' } })).rejects.toThrow(/append-only/);
  await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
}

async function recordedMigrations(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query('SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name');
  await client.end();
  return rows as Array<{ migration_name: string; checksum: string; finished_at: Date | null }>;
}

describe('schema and migrations on embedded PGlite', () => {
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

describe('schema and migrations on PostgreSQL', () => {
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
