import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/platform/feishu/client';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { createActivities } from '../../src/processes';
import { dateIn } from '../../src/core/dates';
import { trainingCountyWorkflowId, trainingYearWorkflowId } from '../../src/processes/training/contract';
import { WORKFLOWS_PATH } from '../../src/app/worker';
import { recordHistories } from '../support/history-recorder';
import { FakeFeishu } from '../fakes/fake-feishu';
import { createTimeSkippingEnv } from '../support/temporal';

// A whole training year in skipped time: checkpoints fire on their dates, the right people get the right
// numbers, the county digest goes once per leader per quarter, the year-end list is exact — and a worker
// restarted mid-year changes nothing.

const TZ = 'Asia/Shanghai';
let env: TestWorkflowEnvironment;
let fake: FakeFeishu;
let db: Database;
let dataDir: string;
let year: number;
const taskQueue = 'training-year';

async function runWorker<T>(until: () => Promise<T>): Promise<T> {
  const feishu = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url });
  // No sticky cache: the Java test server does not move tasks off a stopped worker's sticky queue
  // (a real server does, after a timeout), and this test stops a worker mid-year on purpose.
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities({ prisma: db.prisma, feishu, timeZone: TZ }),
    maxCachedWorkflows: 0,
  });
  return worker.runUntil(until());
}

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') }); // the worker's INFO lines would drown the test output
  env = await createTimeSkippingEnv();
  fake = await FakeFeishu.start();
  dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-ty-'));
  db = await openDatabase({ DATA_DIR: dataDir, DATABASE_URL: undefined });
  year = Number(dateIn(TZ, new Date(await env.currentTimeMs())).slice(0, 4)) + 1; // next year: every checkpoint is ahead
  const unit = await db.prisma.unit.create({ data: { name: '县市场监管局' } });
  const bureau = await db.prisma.unit.create({ data: { name: '县司法局' } });
  const person = (
    name: string,
    certNo: string,
    openId: string,
    role: 'officer' | 'admin' | 'supervisor' | 'leader' | 'bureau',
    unitId = unit.id,
  ) => db.prisma.officer.create({ data: { name, certNo, openId, role, unitId } });
  const full = await person('达标甲', 'A1', 'ou_full', 'officer');
  const half = await person('一半乙', 'B1', 'ou_half', 'officer');
  const low = await person('落后丙', 'C1', 'ou_low', 'officer');
  await person('法制员', 'ADM', 'ou_admin', 'admin');
  await person('负责人', 'HEAD', 'ou_head', 'supervisor');
  await person('局领导', 'LDR', 'ou_leader', 'leader', bureau.id);
  await person('审核人', 'REV', 'ou_bureau', 'bureau', bureau.id);
  const rec = (officerId: number, halfHours: number, date: string) => ({
    officerId,
    course: '专题培训',
    category: 'business' as const,
    halfHours,
    date: new Date(`${date}T00:00:00Z`),
    source: 'import' as const,
    status: 'confirmed' as const,
  });
  await db.prisma.trainingRecord.createMany({
    data: [
      rec(full.id, 48, `${year}-01-05`),
      rec(full.id, 48, `${year}-01-06`),
      rec(full.id, 24, `${year}-01-07`),
      rec(half.id, 48, `${year}-01-05`),
      rec(half.id, 22, `${year}-01-06`),
      rec(low.id, 10, `${year}-01-05`),
    ],
  });
}, 180_000);

afterAll(async () => {
  await recordHistories(env.client);
  await env?.teardown();
  await db?.close();
  await fake?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('training year', () => {
  it(
    'runs the year: checkpoints, reminders, digests, and the exact year-end list, across a worker restart',
    { timeout: 300_000 },
    async () => {
      const unit = await db.prisma.unit.findUniqueOrThrow({ where: { name: '县市场监管局' } });
      const county = await env.client.workflow.start('trainingCountyWorkflow', {
        taskQueue,
        workflowId: trainingCountyWorkflowId(year),
        args: [{ year, timeZone: TZ }],
      });
      const unitYear = env.client.workflow.getHandle(trainingYearWorkflowId(year, unit.id));

      // First half of the year, then the worker goes away and a new one takes over.
      await runWorker(async () => {
        await env.sleep(Date.parse(`${year}-07-01T00:00:00+08:00`) - (await env.currentTimeMs()));
        await fake.waitFor(() => fake.messagesTo('ou_leader').length === 2, 20_000);
      });
      const midYear = fake.messages.length;
      const result = await runWorker(() => unitYear.result());
      expect(await runWorker(() => county.result())).toEqual({ units: 1, digests: 4 });

      const dates = ['03-31', '06-30', '09-30', '11-01', '12-01', '12-20', '12-31'].map((d) => `${year}-${d}`);
      expect(result.checkpoints.map((c: { date: string }) => c.date)).toEqual(dates);
      // 丙 (5 h) is behind from the start; 乙 (35 h) falls behind after mid-year; 甲 (60 h) never is.
      expect(result.checkpoints.map((c: { behind: string[] }) => c.behind)).toEqual([
        ['C1'],
        ['C1'],
        ['B1', 'C1'],
        ['B1', 'C1'],
        ['B1', 'C1'],
        ['B1', 'C1'],
        ['B1', 'C1'],
      ]);
      expect(result.short).toEqual(['B1', 'C1']);
      expect(fake.messagesTo('ou_full')).toHaveLength(0);
      expect(fake.messagesTo('ou_low')).toHaveLength(7);
      expect(fake.messagesTo('ou_half')).toHaveLength(5);
      expect(JSON.stringify(fake.messagesTo('ou_low')[0]!.content)).toMatch(
        /已完成 \*\*5\*\* 学时,还差 \*\*55\*\* 学时/,
      );
      expect(fake.messagesTo('ou_leader')).toHaveLength(4); // one digest per quarter end, for the whole county
      expect(fake.messagesTo('ou_leader').length + fake.messagesTo('ou_bureau').length).toBe(4 + 4 + 1); // digests + the bureau's year-end list
      expect(midYear).toBeGreaterThan(0);
      const filed = await db.prisma.trainingShortfall.findMany({
        where: { year },
        orderBy: { certNo: 'asc' },
        select: { certNo: true, halfHours: true },
      });
      expect(filed).toEqual([
        { certNo: 'B1', halfHours: 70 },
        { certNo: 'C1', halfHours: 10 },
      ]);
      // The admin is offered a 暂扣 per officer on the list, and nothing was started by itself.
      const offer = fake.messagesTo('ou_admin').at(-1)!;
      expect(JSON.stringify(offer.content)).toContain('start_training_suspension');
      expect(JSON.stringify(fake.messagesTo('ou_head').at(-1)!.content)).toContain('学时不足名单');
    },
  );
});
