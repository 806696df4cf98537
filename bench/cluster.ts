// Issue 18: one Feishu send budget for the whole app, however many processes send. Real LawDesk workers
// (`node dist/worker.js`, as `npm run worker` runs them) on one real PostgreSQL and one Temporal dev server fan out
// the leaders' daily digests to the fake Feishu enforcing Feishu's per-app 50/s and 1,000/min (429 past either):
// first with 1 worker, then with 2, the budget as shipped (kept in PostgreSQL). A unit of leaders with an item long
// overdue (test/support/fan-out.ts, as test/cluster does) is due one card a day each; each run re-runs 5 working
// days' digests at once (`dailyDigestWorkflow` with `day`: one `sendDailyDigests` activity per day), days of its own
// since a day's cards already given are not sent again. None is a week's first working day (the ranking would add
// cards). TEMPORAL_MAX_CONCURRENT_ACTIVITIES is 3 so that neither of 2 workers can take all 5 fan-outs.
// Per run it prints: messages, the span first → last message against the earliest Feishu's cap allows
// (earliestLastSendMs), msg/s, the requests Feishu saw, its 429 answers, leaders with a card missing or twice, and
// which worker pids ran the fan-outs. Between runs the workers stop (SIGTERM), the fake's windows and the shared
// slots are emptied. The old `--compare` (senders on per-process budgets) is gone: real workers have none.
//
//   npm run bench:cluster [-- --messages N]     (N per run, default 1000: 5 days × 200 leaders; builds dist/ if stale)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { openDatabase, type Database } from '../src/platform/db/database';
import { earliestLastSendMs, FEISHU_SEND_LIMITS } from '../src/platform/feishu/message-sender';
import { readCalendar } from '../src/processes/casework/calendar-store';
import type { DailyDigestResult } from '../src/processes/desk/digest-workflow';
import { isRankingDay } from '../src/processes/desk/rules';
import { FakeFeishu } from '../test/fakes/fake-feishu';
import { PEOPLE, seedCounty } from '../test/support/certificate-fixture';
import {
  buildIfStale,
  killAll,
  signalAndTime,
  spawnLawDesk,
  waitStarted,
  type LawDeskProcess,
} from '../test/support/cluster';
import { loadCalendarWorkingToday } from '../test/support/cluster-calendar';
import { fanOutPids, seedFanOutCrowd } from '../test/support/fan-out';
import { startPostgres } from '../test/support/postgres';
import { startTestTemporal } from '../test/support/temporal';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '1000' } } });
const DAYS = 5;
const TASK_QUEUE = 'lawdesk-bench-cluster';
const RUNS = [1, 2]; // workers per run

interface RunResult {
  workers: LawDeskProcess[];
  runs: WorkflowHandle[];
  results: DailyDigestResult[];
  wallMs: number;
}

async function main(): Promise<void> {
  const total = Number(args.messages);
  if (!Number.isInteger(total) || total < DAYS) throw new Error(`--messages must be an integer ≥ ${DAYS}`);
  const perDay = Math.ceil(total / DAYS); // leaders due a card: the crowd and the bureau's leader, who covers all
  buildIfStale();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-bench-cluster-'));
  const [postgres, temporal, fake] = await Promise.all([
    startPostgres({ database: 'lawdesk_bench' }),
    startTestTemporal(),
    FakeFeishu.start({ rateLimits: { perSecond: 50, perMinute: 1_000 } }),
  ]);
  const env: NodeJS.ProcessEnv = {
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_DOMAIN: fake.url,
    DATABASE_URL: postgres.url,
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    TEMPORAL_MAX_CONCURRENT_ACTIVITIES: String(Math.ceil(DAYS / 2)),
  };
  const procs: LawDeskProcess[] = [];
  const startWorkers = async (count: number) => {
    const started = await Promise.all(
      Array.from({ length: count }, (_, i) => spawnLawDesk(`worker-${procs.length + i + 1}`, 'worker', env)),
    );
    procs.push(...started);
    await Promise.all(started.map((w) => waitStarted(w)));
    return started;
  };
  let db: Database | undefined;
  let connection: Connection | undefined;
  try {
    // The first worker migrates the empty database; then the county, the crowd and a calendar where today works.
    let workers = await startWorkers(RUNS[0]!);
    db = await openDatabase({ DATABASE_URL: postgres.url, DATA_DIR: dataDir });
    const prisma = db.prisma;
    await seedCounty(prisma);
    const crowd = await seedFanOutCrowd(prisma, perDay - 1);
    const recipients = [...crowd.map((p) => p.openId), PEOPLE.bureauLeader.openId];
    const today = await loadCalendarWorkingToday(prisma);
    const calendar = await readCalendar(prisma);
    const days: string[] = [];
    for (let k = 0; days.length < DAYS * RUNS.length; k++) {
      const day = calendar.addWorkingDays(today, k);
      if (!isRankingDay(calendar, day)) days.push(day);
    }
    connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    console.log(
      `${perDay} leaders × ${DAYS} days = ${perDay * DAYS} digest cards per run; the fake Feishu enforces ` +
        `${FEISHU_SEND_LIMITS.perSecond}/s and ${FEISHU_SEND_LIMITS.perMinute}/min; ` +
        `TEMPORAL_MAX_CONCURRENT_ACTIVITIES=${env.TEMPORAL_MAX_CONCURRENT_ACTIVITIES}`,
    );
    for (const [r, count] of RUNS.entries()) {
      if (r > 0) await Promise.all(workers.map((w) => signalAndTime(w, 'SIGTERM', 70_000)));
      // A fresh start: Feishu's windows empty (the fake's reset), and the shared slots free.
      fake.reset();
      await prisma.$executeRawUnsafe('DELETE FROM feishu_send_slot');
      await prisma.$executeRawUnsafe('DELETE FROM feishu_send_pause');
      if (r > 0) workers = await startWorkers(count);
      const runDays = days.slice(r * DAYS, (r + 1) * DAYS);
      const began = Date.now();
      const runs = await Promise.all(
        runDays.map((day) =>
          client.workflow.start('dailyDigestWorkflow', {
            taskQueue: TASK_QUEUE,
            workflowId: `bench-digest-${day}`,
            args: [{ day }],
          }),
        ),
      );
      const results: DailyDigestResult[] = await Promise.all(runs.map((run) => run.result()));
      await report({ workers, runs, results, wallMs: Date.now() - began }, runDays, recipients, fake);
    }
    await Promise.all(workers.map((w) => signalAndTime(w, 'SIGTERM', 70_000)));
  } finally {
    await killAll(procs);
    await connection?.close();
    await db?.close();
    await temporal.stop();
    await fake.stop();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function report(run: RunResult, days: string[], recipients: string[], fake: FakeFeishu): Promise<void> {
  const sent = fake.messages;
  const got = new Map<string, number>();
  for (const { receiveId } of sent) if (receiveId) got.set(receiveId, (got.get(receiveId) ?? 0) + 1);
  const expected = new Set(recipients);
  const lost = recipients.reduce((n, id) => n + Math.max(0, days.length - (got.get(id) ?? 0)), 0);
  const twice = recipients.reduce((n, id) => n + Math.max(0, (got.get(id) ?? 0) - days.length), 0);
  const stray = [...got].filter(([id]) => !expected.has(id)).reduce((n, [, c]) => n + c, 0);
  const spanMs = sent.length > 1 ? sent.at(-1)!.createdAt - sent[0]!.createdAt : 0;
  const floorMs = earliestLastSendMs(sent.length, FEISHU_SEND_LIMITS);
  const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages').length;
  const byPid = new Map<number, number>();
  for (const pid of await fanOutPids(run.runs)) byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
  const who = [...byPid].map(([pid, n]) => {
    const worker = run.workers.find((w) => w.child.pid === pid);
    return `${worker?.name ?? 'not this run’s worker'} (pid ${pid}) ${n}`;
  });
  const sentDigests = run.results.filter((x) => x.status === 'sent').length;
  const failed = run.results.reduce((k, x) => k + (x.status === 'sent' ? x.daily.failed.length : 0), 0);
  const n = run.workers.length;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rate = (ms: number) => (sent.length / (ms / 1000)).toFixed(1);
  console.log(`\n${n} worker${n > 1 ? 's' : ''} (one budget in PostgreSQL), days ${days[0]} … ${days.at(-1)}:`);
  console.log(`  messages:       ${sent.length} (${sentDigests}/${days.length} digests sent, ${failed} cards failed)`);
  console.log(`  span:           ${s(spanMs)} first → last message (Feishu's cap: ${s(floorMs)} at the earliest)`);
  console.log(`  fan-out rate:   ${rate(spanMs)} msg/s, ${(floorMs / spanMs).toFixed(2)}× the cap (${rate(floorMs)})`);
  console.log(`  wall time:      ${s(run.wallMs)} from starting the digests to all done`);
  console.log(`  requests:       ${posts} for ${sent.length} messages`);
  console.log(`  429 answers:    ${fake.rateLimitedCount}`);
  console.log(`  lost:           ${lost}`);
  console.log(`  duplicated:     ${twice}${stray ? ` (and ${stray} to leaders not due one)` : ''}`);
  console.log(`  fan-outs by:    ${who.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
