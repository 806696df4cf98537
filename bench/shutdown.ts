// Stopping under load (issue 18): the real app (receiver and worker, PostgreSQL, a Temporal dev server) against the
// fake Feishu enforcing Feishu's per-app limits, with a burst of chat events and a fan-out to many leaders in flight
// when close() is called — what SIGTERM does. Prints how soon /readyz said 503, how long the stop took, and what
// happened to every event (answered once, left un-done for redelivery, or the error message: must be 0) and to the
// fan-out (sent before the stop, then finished by the next worker's retry, each leader once).
//
//   npm run bench:shutdown [-- --events N --leaders L --after-ms T --grace-ms G --drain-ms D]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startLawDesk, type LawDesk } from '../src/app/app';
import { loadConfig } from '../src/platform/config';
import { FakeFeishu, messageReceiveEvent } from '../test/fakes/fake-feishu';
import { startPostgres } from '../test/support/postgres';
import { startTestTemporal } from '../test/support/temporal';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '300' },
    leaders: { type: 'string', default: '1500' },
    'after-ms': { type: 'string', default: '3000' },
    'grace-ms': { type: 'string', default: '30000' },
    'drain-ms': { type: 'string', default: '20000' },
  },
});
const EVENTS = Number(args.events);
const LEADERS = Number(args.leaders);
const ENCRYPT_KEY = 'bench-encrypt-key';
const shutdown = { receiverDrainMs: Number(args['drain-ms']), workerGraceMs: Number(args['grace-ms']) };

const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-bench-stop-'));
const [fake, database, temporal] = await Promise.all([
  FakeFeishu.start({ encryptKey: ENCRYPT_KEY, recordRequests: false, rateLimits: { perSecond: 50, perMinute: 1000 } }),
  startPostgres(),
  startTestTemporal(),
]);
const config = loadConfig({
  FEISHU_APP_ID: fake.appId,
  FEISHU_APP_SECRET: fake.appSecret,
  FEISHU_DOMAIN: fake.url,
  FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
  FEISHU_VERIFICATION_TOKEN: fake.verificationToken,
  PORT: '0',
  DATA_DIR: dataDir,
  DATABASE_URL: database.url,
  TEMPORAL_ADDRESS: temporal.address,
  TEMPORAL_TASK_QUEUE: `bench-stop-${Date.now()}`,
});
const start = () => startLawDesk(config, { receiver: true, worker: true, log: () => {}, shutdown });
let app: LawDesk = await start();
try {
  const unit = await app.ctx.prisma.unit.create({ data: { name: '县司法局' } });
  await app.ctx.prisma.officer.createMany({
    data: Array.from({ length: LEADERS }, (_, i) => ({
      name: `领导${i}`,
      certNo: `BL${i}`,
      openId: `ou_bl_${i}`,
      unitId: unit.id,
      role: 'leader' as const,
    })),
  });
  await app.ctx.feishu.botInfo();
  const base = `http://127.0.0.1:${app.port}`;
  const workflowId = `bench-bulletin-${Date.now()}`;
  await app.ctx.temporal.workflow.start('referralBulletinWorkflow', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId,
    args: [{ month: '2026-01' }],
  });
  const events = Array.from({ length: EVENTS }, (_, i) =>
    messageReceiveEvent({ openId: `ou_chat_${i}`, text: '帮助', eventId: `stop-${i}` }),
  );
  const acks = await Promise.all(events.map((e) => fake.sendEvent(`${base}/webhook/event`, e, { encrypt: true })));
  await new Promise((r) => setTimeout(r, Number(args['after-ms'])));

  const leaderMessages = () => fake.messages.filter((m) => m.receiveId?.startsWith('ou_bl_')).length;
  const chatAnswered = () =>
    new Set(fake.messages.filter((m) => m.receiveId?.startsWith('ou_chat_')).map((m) => m.receiveId)).size;
  const atStop = { chat: chatAnswered(), leaders: leaderMessages() };
  const stopAt = performance.now();
  const closing = app.close();
  const ready = await fetch(`${base}/readyz`);
  const readyMs = performance.now() - stopAt;
  await closing;
  const stopMs = performance.now() - stopAt;
  const afterStop = { chat: chatAnswered(), leaders: leaderMessages() };

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query<{ done: number; undone: number }>(
    `SELECT count(*) FILTER (WHERE done_at IS NOT NULL)::int AS done, count(*) FILTER (WHERE done_at IS NULL)::int AS undone
       FROM processed_event WHERE event_id LIKE 'stop-%'`,
  );
  await client.end();
  const sorry = fake.messages.filter((m) => JSON.stringify(m.content).includes('系统暂时出错')).length;

  const resumeAt = performance.now();
  app = await start();
  const result = (await app.ctx.temporal.workflow.getHandle(workflowId).result()) as { sent: number };
  const resumeMs = performance.now() - resumeAt;
  const perLeader = new Map<string, number>();
  for (const m of fake.messages.filter((m) => m.receiveId?.startsWith('ou_bl_')))
    perLeader.set(m.receiveId!, (perLeader.get(m.receiveId!) ?? 0) + 1);

  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `events ${EVENTS} (acked ${acks.filter((a) => a.status === 200).length}), bulletin to ${LEADERS} leaders; close() after ${args['after-ms']} ms`,
  );
  console.log(`drain ${s(shutdown.receiverDrainMs)}, worker grace ${s(shutdown.workerGraceMs)}`);
  console.log(`/readyz during the stop: ${ready.status} after ${readyMs.toFixed(0)} ms`);
  console.log(`stop took ${s(stopMs)}`);
  console.log(
    `chat: answered ${atStop.chat} before the stop, ${afterStop.chat} by its end; processed_event done ${rows[0]!.done}, un-done ${rows[0]!.undone}; error messages ${sorry}`,
  );
  console.log(
    `bulletin: ${atStop.leaders} sent before the stop, ${afterStop.leaders} by its end; finished by the next worker in ${s(resumeMs)}: sent ${result.sent}, leaders with 1 card ${[...perLeader.values()].filter((n) => n === 1).length}, with more ${[...perLeader.values()].filter((n) => n > 1).length}`,
  );
} finally {
  await app.close();
  await Promise.all([fake.stop(), database.stop(), temporal.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
}
