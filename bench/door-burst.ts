// A burst of chat events at the door (issue 20, item 5): the real app (webhook, router, handlers, the real
// Feishu SDK, a Temporal dev server, PostgreSQL) against the fake Feishu enforcing Feishu's per-app limits
// (50 msg/s, 1,000 msg/min). N signed, encrypted 证件 events from N officers arrive at R per second; each
// must be answered exactly once (its certificate card, or the polite error message), none lost, within the
// time Feishu's windows allow. Prints the door's answer times and what Feishu received per event.
// Target: 2,000 events at 200/s → 2,000 answered once each in about 2 minutes (the windows' best is 79 s
// after the first send), 0 lost, 0 duplicated.
//
//   npm run bench:burst [-- --events N --rate R --per-second S --per-minute M]
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { earliestLastSendMs, type SendLimits } from '../src/platform/feishu/message-sender';
import { startLawDesk } from '../src/app/app';
import { loadConfig } from '../src/platform/config';
import { FakeFeishu, messageReceiveEvent } from '../test/fakes/fake-feishu';
import { startPostgres } from '../test/support/postgres';
import { startTestTemporal } from '../test/support/temporal';
import { percentile } from './stats';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '200' },
    'per-second': { type: 'string', default: '50' },
    'per-minute': { type: 'string', default: '1000' },
    'wait-s': { type: 'string', default: '240' },
    text: { type: 'string', default: '证件' },
  },
});
const int = (name: keyof typeof args) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer (got ${String(args[name])})`);
  return n;
};
const EVENTS = int('events');
const RATE = int('rate');
const LIMITS: SendLimits = { perSecond: int('per-second'), perMinute: int('per-minute') };
const WAIT_MS = int('wait-s') * 1000;
const ENCRYPT_KEY = 'bench-encrypt-key';

// The door's own time (request parsed → response written), apart from what the sending side adds: measured
// on every node:http server of this process, kept for the webhook path.
const serverDoorMs: number[] = [];
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (this: http.Server, event: string, ...rest: unknown[]) {
  if (event === 'request') {
    const [req, res] = rest as [http.IncomingMessage, http.ServerResponse];
    if (req.url === '/webhook/event') {
      const t0 = performance.now();
      res.once('finish', () => serverDoorMs.push(performance.now() - t0));
    }
  }
  return (emit as (this: http.Server, event: string, ...args: unknown[]) => boolean).call(this, event, ...rest);
} as typeof emit;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-burst-'));
  const [fake, temporal, pg] = await Promise.all([
    FakeFeishu.start({ encryptKey: ENCRYPT_KEY, rateLimits: LIMITS, recordRequests: false }),
    startTestTemporal(),
    startPostgres(),
  ]);
  const config = loadConfig({
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_DOMAIN: fake.url,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: fake.verificationToken,
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `burst-${Date.now()}`,
  });
  const logged: string[] = [];
  const app = await startLawDesk(config, { receiver: true, worker: true, log: (line) => logged.push(line) });
  try {
    const { prisma } = app.ctx;
    const unit = await prisma.unit.create({ data: { name: '县市场监管局' } });
    const officers = Array.from({ length: EVENTS }, (_, i) => ({
      name: `执法员${i}`,
      certNo: `HN${String(i).padStart(5, '0')}`,
      openId: `ou_burst_${i}`,
      unitId: unit.id,
      certExpires: new Date('2099-12-31T00:00:00Z'),
    }));
    await prisma.officer.createMany({ data: officers });
    await app.ctx.feishu.botInfo(); // the token fetch, outside the timing
    const eventUrl = `http://127.0.0.1:${app.port}/webhook/event`;
    console.log(
      `burst of ${EVENTS} signed, encrypted 证件 events at ${RATE}/s; Feishu's limits ${LIMITS.perSecond}/s and ${LIMITS.perMinute}/min`,
    );

    const events = officers.map((o, i) =>
      messageReceiveEvent({ openId: o.openId, text: args.text!, eventId: `burst-${i}` }),
    );
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const doorMs: number[] = [];
    const refused: number[] = [];
    const started = Date.now();
    const deliveries: Promise<void>[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      deliveries.push(
        (async () => {
          const sentAt = Date.now();
          const answer = await fake.sendEvent(eventUrl, events[i]!, { encrypt: true });
          doorMs.push(Date.now() - sentAt);
          if (answer.status !== 200) refused.push(answer.status);
        })(),
      );
    }
    await Promise.all(deliveries);
    const lastEventAt = Date.now();
    loopDelay.disable();

    const answered = () => fake.messages.length;
    const deadline = started + WAIT_MS;
    while (answered() < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 2_000)); // anything late or doubled shows up now

    const perEvent = new Map<string, { replies: number; errors: number; lastAt: number }>();
    for (const m of fake.messages) {
      const match = /^ev-(burst-\d+)(-error)?$/.exec(m.uuid ?? '');
      if (!match) continue;
      const entry = perEvent.get(match[1]!) ?? { replies: 0, errors: 0, lastAt: 0 };
      if (match[2]) entry.errors++;
      else entry.replies++;
      entry.lastAt = Math.max(entry.lastAt, m.createdAt);
      perEvent.set(match[1]!, entry);
    }
    const counts = events.map((e) => perEvent.get(e.header.event_id));
    const once = counts.filter((c) => c && c.replies + c.errors === 1).length;
    const lost = counts.filter((c) => !c).length;
    const doubled = counts.filter((c) => c && c.replies + c.errors > 1).length;
    const errors = counts.filter((c) => c?.errors).length;
    const lastAnswerAt = Math.max(...counts.map((c) => c?.lastAt ?? 0));
    const sortedDoor = [...doorMs].sort((a, b) => a - b);
    const done = await prisma.processedEvent.count({
      where: { eventId: { startsWith: 'burst-' }, doneAt: { not: null } },
    });

    console.log(
      `events sent:         ${EVENTS} in ${seconds(lastEventAt - started)} (refused by the door: ${refused.length})`,
    );
    console.log(
      `door answer (ms):    p50 ${percentile(sortedDoor, 50)} · p99 ${percentile(sortedDoor, 99)} · max ${sortedDoor.at(-1)}`,
    );
    const sortedServer = serverDoorMs.map(Math.round).sort((a, b) => a - b);
    console.log(
      `  of which the door: p50 ${percentile(sortedServer, 50)} · p99 ${percentile(sortedServer, 99)} · max ${sortedServer.at(-1)} (request parsed → answer written; the rest is the sending side and the machine)`,
    );
    console.log(
      `event-loop delay:    p50 ${Math.round(loopDelay.percentile(50) / 1e6)} ms · p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms · max ${Math.round(loopDelay.max / 1e6)} ms while events arrived (load generator, fake Feishu and LawDesk share one process)`,
    );
    console.log(`answered once:       ${once}`);
    console.log(`  of which error:    ${errors}`);
    console.log(`lost (no answer):    ${lost}`);
    console.log(`answered twice+:     ${doubled}`);
    console.log(
      `last answer after:   ${seconds(lastAnswerAt - started)} from the first event (the windows' best: ${seconds(earliestLastSendMs(EVENTS, LIMITS))} after the first send)`,
    );
    console.log(`deliveries done:     ${done} of ${EVENTS} (processed_event.done_at)`);
    console.log(`429 from Feishu:     ${fake.rateLimitedCount}`);
    console.log(`memory (rss):        ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
    const failures = logged.filter((l) => /失败|error/i.test(l));
    if (failures.length)
      console.log(`log lines about failures: ${failures.length}, first: ${failures[0]!.slice(0, 300)}`);
    if (lost || doubled) process.exitCode = 1;
  } finally {
    await app.close();
    await Promise.all([temporal.stop(), fake.stop(), pg.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
