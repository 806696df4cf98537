// Issue 18: one Feishu send budget for the whole app, however many processes send. A training checkpoint's
// notices (1,000 by default) fanned out by 1 and then by 2 sender processes (real Node processes, forked from
// this file, each with its own in-memory budget), the shared budget in one real PostgreSQL, to the fake Feishu
// enforcing Feishu's per-app 50/s and 1,000/min. Prints per run: messages/s, the ratio to Feishu's cap, the
// requests Feishu saw, its 429 answers, and recipients with no message or more than one.
//
//   npm run bench:cluster [-- --messages N --per-second S --per-minute M --compare]
//   --compare adds a run of 2 senders on per-process budgets only (how it was before), for contrast
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '../src/platform/db/migrate';
import { FeishuClient } from '../src/platform/feishu/client';
import type { FanOutMessage } from '../src/platform/feishu/fan-out';
import type { SendLimits } from '../src/platform/feishu/message-sender';
import { openSharedSendBudget } from '../src/platform/feishu/shared-send-budget';
import { FakeFeishu } from '../test/fakes/fake-feishu';
import { startPostgres } from '../test/support/postgres';

interface SenderJob {
  feishuUrl: string;
  appId: string;
  appSecret: string;
  databaseUrl: string | undefined; // undefined: this process's in-memory budget only
  limits: SendLimits;
  openIds: string[];
}
interface SenderReport {
  sent: number;
  failed: number;
}
type ToSender = { job: SenderJob } | { go: true };
type FromSender = { ready: true } | { done: SenderReport };

const { values: args } = parseArgs({
  options: {
    sender: { type: 'boolean', default: false },
    messages: { type: 'string', default: '1000' },
    'per-second': { type: 'string', default: '50' },
    'per-minute': { type: 'string', default: '1000' },
    compare: { type: 'boolean', default: false },
  },
});

/** A child: sets up its own client (and shared budget), says ready, sends its share on "go", reports. */
function runSender(): void {
  let feishu: FeishuClient | undefined;
  let closeShared = async () => {};
  let job: SenderJob | undefined;
  process.on('message', (message: ToSender) => {
    void (async () => {
      if ('job' in message) {
        job = message.job;
        const shared = job.databaseUrl ? openSharedSendBudget(job.databaseUrl, { appId: job.appId }) : undefined;
        if (shared) closeShared = shared.close;
        feishu = new FeishuClient({
          appId: job.appId,
          appSecret: job.appSecret,
          domain: job.feishuUrl,
          limits: job.limits,
          sharedBudget: shared?.budget,
        });
        await feishu.botInfo(); // the token fetch, before the clock starts
        process.send!({ ready: true } satisfies FromSender);
        return;
      }
      const messages: FanOutMessage[] = job!.openIds.map((openId) => ({
        openId,
        text: '培训学时检查点: 您本年度已完成 32 / 60 学时, 请在 9 月 30 日前补足。',
        uuid: `checkpoint-2026-09-30-${openId}`,
      }));
      const result = await feishu!.sendMany(messages);
      await closeShared();
      process.send!({ done: { sent: result.sent, failed: result.failed.length } } satisfies FromSender, () =>
        process.exit(0),
      );
    })();
  });
}

function positive(name: 'messages' | 'per-second' | 'per-minute'): number {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${args[name]})`);
  return n;
}

const nextMessage = (child: ChildProcess) =>
  new Promise<FromSender>((resolve, reject) => {
    child.once('message', (m) => resolve(m as FromSender));
    child.once('exit', (code) => reject(new Error(`a sender exited with ${code} before answering`)));
  });

async function main(): Promise<void> {
  const total = positive('messages');
  const limits: SendLimits = { perSecond: positive('per-second'), perMinute: positive('per-minute') };
  // What Feishu lets through for this many: all within a minute's allowance at the per-second rate, else the
  // minute's rate.
  const cap = total <= limits.perMinute ? limits.perSecond : limits.perMinute / 60;
  const postgres = await startPostgres({ database: 'lawdesk_bench' });
  const admin = new pg.Client({ connectionString: postgres.url });
  const fake = await FakeFeishu.start({ rateLimits: limits });
  try {
    await migrate(postgres.url);
    await admin.connect();
    const openIds = Array.from({ length: total }, (_, i) => `ou_${(0x7ea0000 + i).toString(16)}${'0'.repeat(24)}`);
    console.log(
      `${total} checkpoint notices; the fake Feishu enforces ${limits.perSecond}/s and ${limits.perMinute}/min: at most ${cap.toFixed(2)} msg/s for this many`,
    );
    const runs: Array<{ senders: number; shared: boolean }> = [
      { senders: 1, shared: true },
      { senders: 2, shared: true },
    ];
    if (args.compare) runs.push({ senders: 2, shared: false });
    for (const run of runs) {
      // A fresh start: Feishu's windows empty (the fake's reset), and the shared slots free.
      fake.reset();
      await admin.query('DELETE FROM feishu_send_slot; DELETE FROM feishu_send_pause');
      const children = Array.from({ length: run.senders }, () =>
        fork(fileURLToPath(import.meta.url), ['--sender'], { execArgv: process.execArgv }),
      );
      try {
        const share = Math.ceil(total / run.senders);
        await Promise.all(
          children.map((child, i) => {
            const ready = nextMessage(child);
            child.send({
              job: {
                feishuUrl: fake.url,
                appId: fake.appId,
                appSecret: fake.appSecret,
                databaseUrl: run.shared ? postgres.url : undefined,
                limits,
                openIds: openIds.slice(i * share, (i + 1) * share),
              },
            } satisfies ToSender);
            return ready;
          }),
        );
        fake.reset(); // the token fetches are not message sends
        const started = Date.now();
        const done = children.map(nextMessage);
        for (const child of children) child.send({ go: true } satisfies ToSender);
        const reports = (await Promise.all(done)).map((m) => ('done' in m ? m.done : { sent: 0, failed: 0 }));
        const elapsedS = (Date.now() - started) / 1000;
        report(run, reports, elapsedS, openIds, fake, cap);
      } finally {
        for (const child of children) if (child.exitCode === null) child.kill();
      }
    }
  } finally {
    await admin.end().catch(() => undefined);
    await fake.stop();
    await postgres.stop();
  }
}

function report(
  run: { senders: number; shared: boolean },
  reports: SenderReport[],
  elapsedS: number,
  openIds: string[],
  fake: FakeFeishu,
  cap: number,
): void {
  const received = new Map<string, number>();
  for (const m of fake.messages) received.set(m.receiveId ?? '', (received.get(m.receiveId ?? '') ?? 0) + 1);
  const attempts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages').length;
  const sent = reports.reduce((n, r) => n + r.sent, 0);
  const failed = reports.reduce((n, r) => n + r.failed, 0);
  const rate = openIds.length / elapsedS;
  const budget = run.shared ? 'one budget in PostgreSQL' : 'per-process budgets only';
  console.log(`\n${run.senders} sender${run.senders > 1 ? 's' : ''} (${budget}):`);
  console.log(`  elapsed:        ${elapsedS.toFixed(1)} s (sent ${sent}, failed ${failed})`);
  console.log(`  fan-out rate:   ${rate.toFixed(1)} msg/s`);
  console.log(`  of Feishu cap:  ${(rate / cap).toFixed(2)}× (${cap.toFixed(2)} msg/s)`);
  console.log(`  requests:       ${attempts} for ${openIds.length} messages`);
  console.log(`  429 answers:    ${fake.rateLimitedCount}`);
  console.log(`  lost:           ${openIds.filter((id) => !received.has(id)).length}`);
  console.log(`  duplicated:     ${openIds.filter((id) => (received.get(id) ?? 0) > 1).length}`);
}

if (args.sender) runSender();
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
