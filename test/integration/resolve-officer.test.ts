import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOfficer } from '../../src/processes/roster/resolve-officer';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { seedCounty } from '../support/certificate-fixture';

// Names as people type them, resolved on our side (the model never sees the roster).

describe('resolveOfficer', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-resolve-'));
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ DATA_DIR: dataDir, DATABASE_URL: undefined });
    await seedCounty(db.prisma);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['hn001', 'HN001'], // 执法证号, any case
    ['张三', 'HN001'], // exact name
    ['张叁', 'HN001'], // a same-sounding character typed by mistake
    ['zhangsan', 'HN001'], // pinyin
    ['zs', 'HN001'], // pinyin initials
    ['法制', 'HN002'], // part of a name (李法制)
  ])('%s → %s', async (written, certNo) => {
    const found = await resolveOfficer(db.prisma, {}, written);
    expect(found).toMatchObject({ kind: 'one', officer: { certNo } });
  });

  it('says when nobody matches, and keeps to the asker’s unit', async () => {
    expect(await resolveOfficer(db.prisma, {}, '李四')).toEqual({ kind: 'none' });
    const bureau = await db.prisma.unit.findUniqueOrThrow({ where: { name: '县司法局' } });
    expect(await resolveOfficer(db.prisma, { unitId: bureau.id }, '张三')).toEqual({ kind: 'none' });
  });
});
