import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/platform/feishu/client';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { loadEscalationFile } from '../../src/processes/casework/escalation-store';
import type { StepPlan } from '../../src/processes/casework/activities';
import { createActivities } from '../../src/processes';
import { formatRowError } from '../../src/core/table-rows';
import { loadTestCalendar, seedCounty } from '../support/certificate-fixture';

// The escalation ladder is data: a county loads its own file (Chinese words welcome), a bad file changes
// nothing and says where, and the next step planned follows the new ladder.

describe('escalation ladder as data', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-esc-'));
  let db: Database;
  const file = (name: string, lines: string[]) => {
    const p = path.join(dir, name);
    writeFileSync(p, lines.join('\n'));
    return p;
  };
  beforeAll(async () => {
    db = await openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined });
    await seedCounty(db.prisma);
    await loadTestCalendar(db.prisma, '2026-11-22', 0);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad file whole, naming row and column', async () => {
    const bad = file('bad.csv', [
      '流程,步骤,时点,通知对象',
      '*,*,过半,办理人',
      'certificate,bureau,到期后,上级',
      'certificate,bureau,超期3个工作日,市长',
      '*,*,过半,上级',
    ]);
    const shipped = await db.prisma.escalationRule.findMany({
      orderBy: [{ process: 'asc' }, { stepKey: 'asc' }, { milestone: 'asc' }],
    });
    const result = await loadEscalationFile(db.prisma, bad, 'test');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => formatRowError('bad.csv', e))).toEqual([
      'bad.csv 第3行 列「时点」 值「到期后」: 时点应为 过半(half)、到期(due) 或 超期N个工作日(due+N)',
      'bad.csv 第4行 列「通知对象」 值「市长」: 不认识的通知对象 市长(可用 办理人/owner、上级/superior、司法局/bureau)',
      'bad.csv 第5行 列「时点」 值「过半」: 与第 2 行重复',
    ]);
    expect(
      await db.prisma.escalationRule.findMany({
        orderBy: [{ process: 'asc' }, { stepKey: 'asc' }, { milestone: 'asc' }],
      }),
    ).toEqual(shipped); // untouched
  });

  it('replaces the ladder, and the next step planned follows it', async () => {
    const good = file('good.csv', [
      '流程,步骤,时点,通知对象',
      '*,*,过半,办理人',
      '*,*,到期,办理人、上级',
      'certificate,bureau,到期,办理人、司法局',
      'certificate,bureau,超期2个工作日,办理人 上级 司法局',
    ]);
    expect(await loadEscalationFile(db.prisma, good, 'test')).toEqual({ ok: true, rules: 4 });
    expect(await db.prisma.auditEvent.count({ where: { action: 'escalation.loaded' } })).toBe(1);

    const { planStep } = createActivities({
      prisma: db.prisma,
      feishu: new FeishuClient({ appId: 'x', appSecret: 'y', domain: 'http://127.0.0.1:9' }),
      timeZone: 'Asia/Shanghai',
      now: () => new Date('2026-11-23T02:00:00Z'),
    });
    const run = (stepKey: string): Promise<StepPlan> =>
      new MockActivityEnvironment().run(planStep, {
        startedAt: '2026-11-23T02:00:00Z',
        clock: { unit: 'workingDays', amount: 3 },
        process: 'certificate',
        stepKey,
      } as Parameters<typeof planStep>[0]);
    const bureau = await run('bureau');
    expect(bureau.milestones.map((m) => [m.milestone, m.notify.join('+')])).toEqual([
      ['due', 'owner+bureau'],
      ['due+2', 'owner+superior+bureau'],
    ]);
    expect(bureau.bureau.map((p) => p.name)).toEqual(['吴主任']); // the bureau's leader, from the roster
    const head = await run('unit_head');
    expect(head.milestones.map((m) => m.milestone)).toEqual(['half', 'due']);
    expect(head.bureau).toEqual([]);
  });
});
