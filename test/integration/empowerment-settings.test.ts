import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/platform/feishu/client';
import { openDatabase, type Database } from '../../src/platform/db/database';
import {
  loadDepartmentMapFile,
  loadScoringTemplateFile,
  readEmpowermentSettings,
} from '../../src/processes/empowerment/settings';
import { importEmpowerment } from '../../src/processes/empowerment/import';
import type { RoundPreparation } from '../../src/processes/empowerment/activities';
import { createActivities } from '../../src/processes';
import { DEFAULT_SCORING_TEMPLATE } from '../../src/processes/empowerment/scoring';
import { formatRowError } from '../../src/core/table-rows';
import { loadTestCalendar, seedCounty } from '../support/certificate-fixture';
import { registerSheet, seedTownship, TOWN } from '../support/empowerment-fixture';

// The bureau's scoring template and field → original department map are data it loads (issue #7): a bad
// file changes nothing and says where; a good one is what the next round prepares with.

describe('empowerment settings loaded by the bureau', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-emp-settings-'));
  let db: Database;
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const prepare = async (): Promise<RoundPreparation> => {
    const { prepareEmpowermentRound } = createActivities({
      prisma: db.prisma,
      feishu: new FeishuClient({ appId: 'x', appSecret: 'y', domain: 'http://127.0.0.1:9' }),
      timeZone: 'Asia/Shanghai',
    });
    return (await new MockActivityEnvironment().run(prepareEmpowermentRound, {
      township: TOWN.name,
      originalDepartments: {},
    })) as RoundPreparation;
  };

  beforeAll(async () => {
    db = await openDatabase({ DATA_DIR: dir, DATABASE_URL: undefined });
    await seedCounty(db.prisma);
    await seedTownship(db.prisma);
    await loadTestCalendar(db.prisma, '2026-11-22', 0);
    expect(
      await importEmpowerment(db.prisma, registerSheet(TOWN.name, 3, 2), 'test', 'register.xlsx', '2026-11-22'),
    ).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('before anything is loaded, a round asks 自然资源原主管部门 and scores with the shipped default', async () => {
    const prep = await prepare();
    if (!prep.ok) throw new Error(prep.reason);
    expect(prep.template).toBeUndefined();
    expect(new Set(prep.matters.map((m) => m.department))).toEqual(new Set(['自然资源原主管部门', '县市场监管局']));
  });

  it('refuses a bad department map whole, naming row and column', async () => {
    const bad = file('bad-map.csv', '领域,原主管部门\n自然资源,县自然资源局\n市场监管,\n自然资源,县规划局\n');
    const result = await loadDepartmentMapFile(db.prisma, bad, 'test');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => formatRowError('bad-map.csv', e))).toEqual([
      'bad-map.csv 第3行 列「原主管部门」 值「」: 原主管部门不能为空',
      'bad-map.csv 第4行 列「领域」 值「自然资源」: 与第 2 行重复:一个领域只能对应一个原主管部门',
    ]);
    expect(await db.prisma.bureauSetting.count()).toBe(0);
  });

  it('refuses a template with bad weights or thresholds, naming the path', async () => {
    const bad = {
      ...DEFAULT_SCORING_TEMPLATE,
      thresholds: { keep: 40, adjust: 60 },
      dimensions: [{ ...DEFAULT_SCORING_TEMPLATE.dimensions[0]!, weight: 0 }],
    };
    const result = await loadScoringTemplateFile(db.prisma, file('bad.json', JSON.stringify(bad)), 'test');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message)).toEqual([
      'dimensions[0].weight: 权重应大于 0',
      'thresholds.keep: 「保留」分数线应高于「调整」分数线',
    ]);
    const notJson = await loadScoringTemplateFile(db.prisma, file('broken.json', '{"name": '), 'test');
    expect(notJson.ok ? [] : notJson.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('不是有效的 JSON'),
    ]);
    expect(await db.prisma.bureauSetting.count()).toBe(0);
  });

  it('loads both; the next round prepares with them, every load audited and kept', async () => {
    const map = await loadDepartmentMapFile(
      db.prisma,
      file('map.csv', '领域,原主管部门\n自然资源,县自然资源局\n'),
      'test',
    );
    expect(map).toEqual({ ok: true, value: { 自然资源: '县自然资源局' } });
    const custom = { ...DEFAULT_SCORING_TEMPLATE, name: '某县2026年评估模板', thresholds: { keep: 90, adjust: 80 } };
    expect(
      await loadScoringTemplateFile(db.prisma, file('template.json', JSON.stringify(custom)), 'test'),
    ).toMatchObject({ ok: true });

    const prep = await prepare();
    if (!prep.ok) throw new Error(prep.reason);
    expect(prep.template?.name).toBe('某县2026年评估模板');
    // 交由行使 matters go to the mapped department; 委托 matters still to the department that entrusted them.
    expect(prep.matters.filter((m) => m.form === 'delegated').map((m) => m.department)).toEqual([
      '县自然资源局',
      '县自然资源局',
      '县自然资源局',
    ]);
    expect(prep.matters.filter((m) => m.form === 'entrusted').map((m) => m.department)).toEqual([
      '县市场监管局',
      '县市场监管局',
    ]);

    // A second map replaces the first; the first stays on record.
    await loadDepartmentMapFile(db.prisma, file('map2.csv', 'field,department\n自然资源,县国土资源局\n'), 'test');
    expect((await readEmpowermentSettings(db.prisma)).originalDepartments).toEqual({ 自然资源: '县国土资源局' });
    expect(await db.prisma.bureauSetting.count()).toBe(3);
    expect(
      await db.prisma.auditEvent.count({
        where: { action: { startsWith: 'empowerment.' }, NOT: { action: 'empowerment.version_recorded' } },
      }),
    ).toBe(3);
  });

  it('a register import reports its progress township by township (the chat card of a large file shows it)', async () => {
    const seen: Array<[number, number]> = [];
    const sheet = registerSheet('甲镇', 4, 0);
    const more = registerSheet('乙镇', 6, 0);
    const both = { ...sheet, rows: [...sheet.rows, ...more.rows].map((r, i) => ({ ...r, row: i + 2 })) };
    expect(
      await importEmpowerment(db.prisma, both, 'test', 'two.xlsx', '2026-11-22', (done, total) =>
        seen.push([done, total]),
      ),
    ).toMatchObject({ ok: true, versions: 2 });
    expect(seen).toEqual([
      [0, 10],
      [4, 10],
      [10, 10],
    ]);
  });

  it('the example template in docs/ is a valid template', async () => {
    expect(
      await loadScoringTemplateFile(
        db.prisma,
        path.join(__dirname, '../../docs/scoring-template.example.json'),
        'test',
      ),
    ).toMatchObject({ ok: true });
  });
});
