import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../bot/context';
import { loadConfig } from '../../lib/config';
import { openDatabase, type Database } from '../../lib/database';
import { certificateView } from '../../workflows/domain/certificate';
import { daysBetween, isoDateOf } from '../../workflows/domain/dates';
import { DEMO_PERSONAS, DEMO_UNITS, demoPeople, seedDemoCountyIfEmpty } from '../../prisma/seed/demo-county';

// The demo county the sandbox starts with: written through the Prisma client into a freshly migrated (embedded)
// database, only when the roster is empty, and recorded in the audit trail.

const TODAY = '2026-03-02';

describe('demo county seed', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-seed-'));
  let db: Database;
  let ctx: BotContext;

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' });
    db = await openDatabase(config);
    // Seeding uses only the database and the configuration; Feishu and Temporal are not touched.
    ctx = { config, prisma: db.prisma, log: () => {} } as unknown as BotContext;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has every role in every unit, every certificate state, and some expiring soon', () => {
    const people = demoPeople(TODAY);
    expect(people).toHaveLength(40);
    expect(new Set(people.map((p) => p.certNo)).size).toBe(40);
    expect(new Set(people.map((p) => p.openId)).size).toBe(40);
    for (const unit of Object.values(DEMO_UNITS)) {
      const roles = people.filter((p) => p.unit === unit).map((p) => p.role);
      expect(roles, unit).toEqual(expect.arrayContaining(['admin', 'supervisor', 'officer']));
    }
    expect(people.filter((p) => p.unit === '县司法局').map((p) => p.role)).toEqual(expect.arrayContaining(['bureau', 'leader']));
    const states = new Set(people.map((p) => certificateView(p.certStatus, p.certExpires, TODAY).status));
    expect([...states].sort()).toEqual(['active', 'cancelled', 'expired', 'suspended', 'withdrawn']);
    const soon = people.filter((p) => p.certStatus === 'active' && daysBetween(TODAY, p.certExpires) >= 0 && daysBetween(TODAY, p.certExpires) <= 183);
    expect(soon.length).toBeGreaterThanOrEqual(3);
    for (const persona of DEMO_PERSONAS) expect(people.map((p) => p.openId)).toContain(persona.openId);
  });

  it('writes units and people once, into an empty roster only, with an audit event', async () => {
    const asOf = new Date(`${TODAY}T08:00:00+08:00`);
    expect(await seedDemoCountyIfEmpty(ctx, asOf)).toBe(true);
    expect(await seedDemoCountyIfEmpty(ctx, asOf)).toBe(false);
    expect(await db.prisma.unit.count()).toBe(5);
    const zhang = await db.prisma.officer.findUniqueOrThrow({ where: { openId: 'ou_demo_zhangwei' }, include: { unit: true } });
    expect(zhang).toMatchObject({ name: '张伟', certNo: 'HN-SJ-003', role: 'officer', certStatus: 'active', unit: { name: '县市场监督管理局' } });
    expect(daysBetween(TODAY, isoDateOf(zhang.certExpires!))).toBe(1300);
    const audits = await db.prisma.auditEvent.findMany({ where: { action: 'demo.seeded' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: 'sandbox', subject: 'demo-county', details: { steps: [{ step: 'units-and-people', summary: '5 个单位, 40 人' }] } });
  });
});
