// The door as Feishu meets it (issue 16): LawDesk built and started as a user starts it (`npm start`'s
// scripts/run-node.sh dist/start.js: embedded PostgreSQL, embedded Temporal, its own process) against the fake Feishu
// with Feishu's limits (50/s, 1,000/min), and a bare node:http receiver doing the same signature check
// (bench/bare-receiver.mjs) as the ceiling, in the same run.
//   phase A: N signed, encrypted 证件 events at 200/s to each → ack p50/p99, the ratio to the bare receiver, and
//            every event answered once (waits out Feishu's minute window);
//   phase B: after the window has cleared, 15 events/s for 20 s → event → reply p50/p95 (reply = the card at Feishu);
//   and the resident memory of LawDesk's whole tree idle (node, Temporal dev server, PostgreSQL), the ready time of a
//   first start and of a restart.
// Targets: ack p99 ≤ 10× the bare receiver's; event → reply p95 < 50 ms; 0 lost; idle tree < 400 MB; ready < 10 s / < 5 s.
//   npm run bench:door [-- --events 2000]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FEISHU_SEND_LIMITS } from '../src/platform/feishu/message-sender';
import { freePort } from '../src/platform/net';
import { fromProjectRoot } from '../src/platform/project-root';
import { FakeFeishu, messageReceiveEvent } from '../test/fakes/fake-feishu';
import { percentile as pct } from './stats';
import { treeProcesses } from './process-memory';

const { values: args } = parseArgs({
  options: { events: { type: 'string', default: '2000' }, 'steady-s': { type: 'string', default: '20' } },
});
const EVENTS = Number(args.events);
const STEADY_S = Number(args['steady-s']);
const ENCRYPT_KEY = 'bench-door-key';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function waitHealthy(url: string, child: ChildProcess, output: () => string, limitMs = 600_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (child.exitCode !== null) throw new Error(`LawDesk exited (${child.exitCode}):\n${output()}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`not healthy within ${limitMs} ms:\n${output()}`);
}

/** Resident and proportional memory (MB) of a process and all its descendants. */
function treeMemory(rootPids: number[]): { rssMb: number; pssMb: number; processes: number } {
  const all = treeProcesses(rootPids);
  const sum = (f: (p: (typeof all)[number]) => number) => Math.round(all.reduce((t, p) => t + f(p), 0));
  return { rssMb: sum((p) => p.rssMb), pssMb: sum((p) => p.pssMb), processes: all.length };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  spawnSync(process.execPath, [fromProjectRoot('scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-door-'));
  const fake = await FakeFeishu.start({
    encryptKey: ENCRYPT_KEY,
    rateLimits: FEISHU_SEND_LIMITS,
    recordRequests: false,
  });
  const [port, barePort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_DOMAIN: fake.url,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: fake.verificationToken,
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
  };
  let output = '';
  const startApp = () => {
    // As `npm start` runs it (scripts/run-node.sh: its memory settings), without npm around it.
    const child = spawn('sh', [fromProjectRoot('scripts', 'run-node.sh'), fromProjectRoot('dist', 'start.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    return child;
  };
  const stopApp = (child: ChildProcess) =>
    new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM'))));
  const bare = spawn(process.execPath, [fromProjectRoot('bench', 'bare-receiver.mjs'), String(barePort), ENCRYPT_KEY], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let app = startApp();
  try {
    const health = `http://127.0.0.1:${port}/readyz`;
    const firstReadyMs = await waitHealthy(health, app, () => output);
    await stopApp(app);
    app = startApp();
    const restartReadyMs = await waitHealthy(health, app, () => output);

    // The roster, through the CLI joining the running embedded database, as an admin would load it.
    const roster = path.join(dataDir, 'roster.csv');
    const people = Array.from(
      { length: EVENTS + 15 * STEADY_S + 100 },
      (_, i) => `执法员${i},HN${String(i).padStart(5, '0')},县市场监督管理局,officer,ou_door_${i},2099-12-31`,
    );
    writeFileSync(roster, ['姓名,执法证号,单位,角色,open_id,证件有效期', ...people].join('\n'));
    const imported = spawnSync(process.execPath, [fromProjectRoot('dist', 'cli.js'), 'import', 'officers', roster], {
      env,
      encoding: 'utf8',
    });
    if (imported.status !== 0) throw new Error(`roster import failed:\n${imported.stdout}${imported.stderr}`);
    await sleep(10_000); // settle: what a quiet county's process weighs
    const postmaster = Number(safeRead(path.join(dataDir, 'pg', 'postmaster.pid')).split('\n')[0]);
    const idle = treeMemory([app.pid!, postmaster].filter((p) => p > 0));

    const send = async (url: string, eventId: string, i: number) => {
      const sentAt = performance.now();
      const answer = await fake.sendEvent(url, messageReceiveEvent({ openId: `ou_door_${i}`, text: '证件', eventId }), {
        encrypt: true,
      });
      return {
        ackMs: performance.now() - sentAt,
        status: answer.status,
        sentAtEpoch: Date.now() - (performance.now() - sentAt),
      };
    };
    const burst = async (url: string, tag: string, count: number, perSecond: number, offset = 0) => {
      const started = performance.now();
      const runs: Array<Promise<Awaited<ReturnType<typeof send>>>> = [];
      for (let i = 0; i < count; i++) {
        const wait = started + (i * 1000) / perSecond - performance.now();
        if (wait > 0) await sleep(wait);
        runs.push(send(url, `${tag}-${i}`, offset + i));
      }
      return Promise.all(runs);
    };
    const repliesFor = (tag: string) => {
      const byEvent = new Map<string, number[]>();
      for (const m of fake.messages) {
        const id = /^ev-(.+?)(?:-error)?$/.exec(m.uuid ?? '')?.[1];
        if (id?.startsWith(`${tag}-`)) byEvent.set(id, [...(byEvent.get(id) ?? []), m.createdAt]);
      }
      return byEvent;
    };

    // Warm-up, not measured: 100 events to each at 50/s (connections made, code compiled), as on any morning after the first.
    await burst(`http://127.0.0.1:${barePort}/`, 'warm-bare', 100, 50);
    await burst(`http://127.0.0.1:${port}/webhook/event`, 'warm', 100, 50, EVENTS + 15 * STEADY_S);
    const bareAcks = await burst(`http://127.0.0.1:${barePort}/`, 'bare', EVENTS, 200);
    const doorAcks = await burst(`http://127.0.0.1:${port}/webhook/event`, 'A', EVENTS, 200);
    const burstStarted = Date.now();
    while (repliesFor('A').size < EVENTS && Date.now() - burstStarted < 300_000) await sleep(500);
    await sleep(62_000); // Feishu's minute window clears before the steady phase
    const burstReplies = repliesFor('A');
    const steady = await burst(`http://127.0.0.1:${port}/webhook/event`, 'B', 15 * STEADY_S, 15, EVENTS);
    await sleep(5_000);
    const steadyReplies = repliesFor('B');
    const replyMs = steady
      .map((s, i) => (steadyReplies.get(`B-${i}`)?.[0] ?? NaN) - s.sentAtEpoch)
      .filter(Number.isFinite);

    const bareP99 = pct(
      bareAcks.map((a) => a.ackMs),
      99,
    );
    const doorP99 = pct(
      doorAcks.map((a) => a.ackMs),
      99,
    );
    const lostA = EVENTS - burstReplies.size;
    const doubledA = [...burstReplies.values()].filter((v) => v.length > 1).length;
    console.log(
      `LawDesk ready: first start ${(firstReadyMs / 1000).toFixed(1)} s, restart ${(restartReadyMs / 1000).toFixed(1)} s (scripts/run-node.sh dist/start.js → /readyz 200)`,
    );
    console.log(
      `idle memory of the tree: RSS ${idle.rssMb} MB, PSS ${idle.pssMb} MB over ${idle.processes} processes (node, Temporal dev server, PostgreSQL)`,
    );
    console.log(`phase A, ${EVENTS} events at 200/s: ack p50 / p99`);
    console.log(
      `  bare receiver  ${ms(
        pct(
          bareAcks.map((a) => a.ackMs),
          50,
        ),
      )} / ${ms(bareP99)}`,
    );
    console.log(
      `  LawDesk        ${ms(
        pct(
          doorAcks.map((a) => a.ackMs),
          50,
        ),
      )} / ${ms(doorP99)}   → p99 ratio ${(doorP99 / bareP99).toFixed(1)}× (target ≤ 10×)`,
    );
    const spread = (xs: number[]) => `p90 ${ms(pct(xs, 90))} · p95 ${ms(pct(xs, 95))} · max ${ms(Math.max(...xs))}`;
    console.log(
      `  spread: bare ${spread(bareAcks.map((a) => a.ackMs))}; LawDesk ${spread(doorAcks.map((a) => a.ackMs))}`,
    );
    console.log(
      `  refused by the door ${doorAcks.filter((a) => a.status !== 200).length}; answered ${burstReplies.size}, lost ${lostA}, answered twice ${doubledA}`,
    );
    console.log(
      `phase B, 15 events/s for ${STEADY_S} s: event → reply p50 ${ms(pct(replyMs, 50))} · p95 ${ms(pct(replyMs, 95))} (target < 50 ms); ack p99 ${ms(
        pct(
          steady.map((s) => s.ackMs),
          99,
        ),
      )}; lost ${steady.length - steadyReplies.size}`,
    );
    if (lostA || doubledA || steady.length !== steadyReplies.size) process.exitCode = 1;
  } finally {
    await stopApp(app);
    bare.kill();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
