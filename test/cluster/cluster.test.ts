import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { readCalendar } from '../../src/processes/casework/calendar-store';
import { certificateCaseWorkflowId } from '../../src/processes/certificate/contract';
import { earliestLastSendMs, FEISHU_SEND_LIMITS } from '../../src/platform/feishu/message-sender';
import { cardActionEvent, FakeFeishu, feishuAppEnv, messageReceiveEvent } from '../fakes/fake-feishu';
import { caseInput, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { loadCalendarWorkingToday } from '../support/cluster-calendar';
import {
  buildIfStale,
  eventUrl,
  killAll,
  pidOfIdentity,
  signalAndTime,
  spawnLawDesk,
  waitStarted,
  type LawDeskProcess,
  type Role,
} from '../support/cluster';
import { fanOutPids, seedFanOutCrowd } from '../support/fan-out';
import { buttonValue, cardText, ENCRYPT_KEY, type ClickAnswer } from '../support/lawdesk';
import { waitUntil } from '../support/processes';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startTestTemporal, type DevServer } from '../support/temporal';

// Issue 18: production's topology in one test file. One PostgreSQL, one Temporal server (the dev server standing
// for the standalone one), the fake Feishu enforcing Feishu's 50/s and 1,000/min with 429, and 2 × `npm run bot`
// + 2 × `npm run worker` as real processes from dist/, all started at the same moment on an empty database.

describe('two bots and two workers on one database and one Temporal', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lawdesk-cluster-'));
  let postgres: TestPostgres;
  let temporal: DevServer;
  let fake: FakeFeishu;
  let env: NodeJS.ProcessEnv;
  let db: Database | undefined;
  let connection: Connection | undefined;
  let temporalClient: Client;
  const procs: LawDeskProcess[] = [];
  const TASK_QUEUE = 'lawdesk-cluster';
  const running = (role: Role) => procs.filter((p) => p.role === role && !p.exit);

  type Person = { openId: string };
  const inbox = (person: Person, since = 0) => fake.messages.slice(since).filter((m) => isTo(m, person.openId));
  const isTo = (m: FakeFeishu['messages'][number], openId: string) => fake.messagesTo(openId).includes(m);
  const say = (bot: LawDeskProcess, person: Person, text: string) =>
    fake.sendEvent(eventUrl(bot), messageReceiveEvent({ openId: person.openId, text }), { encrypt: true });
  async function click(bot: LawDeskProcess, person: Person, value: Record<string, unknown>, form?: object) {
    const event = cardActionEvent({ openId: person.openId, value, formValue: form as Record<string, unknown> });
    const answer = await fake.sendEvent(eventUrl(bot), event, { encrypt: true });
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as ClickAnswer;
  }

  const start = async (name: string, role: Role) => {
    const proc = await spawnLawDesk(name, role, env);
    procs.push(proc);
    return proc;
  };

  beforeAll(async () => {
    buildIfStale();
    [postgres, temporal, fake] = await Promise.all([
      startPostgres(),
      startTestTemporal(),
      FakeFeishu.start({ encryptKey: ENCRYPT_KEY, rateLimits: { perSecond: 50, perMinute: 1_000 } }),
    ]);
    env = {
      ...feishuAppEnv(fake, ENCRYPT_KEY),
      FEISHU_MODE: 'webhook',
      DATABASE_URL: postgres.url,
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      // Ten fan-outs at once cannot all fit one worker (below): both take part, whichever polls first.
      TEMPORAL_MAX_CONCURRENT_ACTIVITIES: '6',
    };
    connection = await Connection.connect({ address: temporal.address });
    temporalClient = new Client({ connection });
  });

  afterAll(async () => {
    await killAll(procs);
    await connection?.close();
    await db?.close();
    await temporal?.stop();
    await fake?.stop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('all four start together on an empty database and none crashes', { timeout: 90_000 }, async () => {
    const four = await Promise.all([
      start('bot-1', 'bot'),
      start('bot-2', 'bot'),
      start('worker-1', 'worker'),
      start('worker-2', 'worker'),
    ]);
    await Promise.all(four.map((p) => waitStarted(p)));
    expect(four.map((p) => p.exit)).toEqual([undefined, undefined, undefined, undefined]);
    db = await openDatabase({ DATABASE_URL: postgres.url, DATA_DIR: dataDir });
    const years = await db.prisma.calendarYear.findMany({ select: { year: true }, orderBy: { year: 'asc' } });
    expect(years.map((y) => y.year)).toEqual([2025, 2026]);
    // The shipped calendar was loaded once, by one of the four: one audit row per shipped file, not one per process.
    const loads = await db.prisma.auditEvent.findMany({
      where: { action: 'calendar.loaded', actor: 'system:shipped-calendar' },
      select: { details: true },
    });
    expect(loads.map((l) => (l.details as { source: string }).source).sort()).toEqual(['cn-2025.csv', 'cn-2026.csv']);
    // The county the cases below run in, and a calendar where today is a working day (the digest reports on it).
    await seedCounty(db.prisma);
    await loadCalendarWorkingToday(db.prisma);
  });

  it('one event posted to both bots is answered once', async () => {
    const [bot1, bot2] = running('bot') as [LawDeskProcess, LawDeskProcess];
    const event = messageReceiveEvent({ openId: PEOPLE.officer.openId, text: '证件' });
    const answers = await Promise.all(
      [bot1, bot2].map((bot) => fake.sendEvent(eventUrl(bot), event, { encrypt: true })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await fake.waitFor(() => inbox(PEOPLE.officer).length === 1, 10_000);
    await sleep(1_000);
    expect(inbox(PEOPLE.officer)).toHaveLength(1);
    expect(cardText(inbox(PEOPLE.officer)[0]!.content)).toContain(PEOPLE.officer.certNo);
  });

  it('a certificate case clicked through both bots finishes once after the worker holding it is SIGKILLed', async () => {
    const [bot1, bot2] = running('bot') as [LawDeskProcess, LawDeskProcess];
    const from = fake.messages.length;
    const since = (person: Person) => inbox(person, from);
    await say(bot1, PEOPLE.admin, '证件办理');
    await fake.waitFor(() => since(PEOPLE.admin).length === 1, 10_000);
    const submit = buttonValue(since(PEOPLE.admin)[0]!.content, { action: 'certificate_case_submit' });
    const form = { officer: PEOPLE.officer.name, reason: 'investigation', details: '涉嫌违规执法' };
    expect((await click(bot2, PEOPLE.admin, submit, form)).toast).toEqual({ type: 'success', content: '已提交审批' });
    await fake.waitFor(() => since(PEOPLE.head).length === 1, 15_000);

    // The worker that ran the case's last task holds it in its cache: that one dies without a word.
    const handle = temporalClient.workflow.getHandle(certificateCaseWorkflowId(PEOPLE.officer.certNo));
    const events = (await handle.fetchHistory()).events ?? [];
    const identities = events.map(
      (e) => e.workflowTaskStartedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity,
    );
    const holder = pidOfIdentity(identities.filter(Boolean).at(-1));
    const victim = running('worker').find((w) => w.child.pid === holder);
    expect(victim, `no worker with pid ${holder}`).toBeDefined();
    victim!.child.kill('SIGKILL');
    await victim!.exited;

    const approve = buttonValue(since(PEOPLE.head)[0]!.content, { action: 'case_decide', outcome: 'approved' });
    const clicked = Date.now();
    const approved = await click(bot1, PEOPLE.head, approve, { comment: '同意' });
    // A replacement joins the queue for what follows (started before anything here can fail, so the tests below
    // still have two workers).
    const replacement = start('worker-3', 'worker');
    // The case's workflow task first waits out the dead worker's sticky queue (1 s, src/app/worker.ts), then the
    // other worker replays it: usually ~1.2 s, within the click's 2.5 s; on a loaded machine the click may still be
    // answered "still working", and the decision goes through all the same (below).
    console.log(
      `[cluster] approve after the SIGKILL answered in ${Date.now() - clicked} ms: ${approved.toast?.content}`,
    );
    expect(['已同意', '正在处理,请稍候…']).toContain(approved.toast?.content);
    await fake.waitFor(() => since(PEOPLE.reviewer).length === 1, 30_000);
    const review = buttonValue(since(PEOPLE.reviewer)[0]!.content, { action: 'case_decide', outcome: 'approved' });
    expect((await click(bot2, PEOPLE.reviewer, review)).toast?.type).toBe('success');
    await fake.waitFor(() => since(PEOPLE.officer).length === 1 && since(PEOPLE.admin).length === 2, 30_000);
    await sleep(1_000);

    const officer = await db!.prisma.officer.findUniqueOrThrow({ where: { certNo: PEOPLE.officer.certNo } });
    expect(officer.certStatus).toBe('suspended');
    expect(cardText(since(PEOPLE.officer)[0]!.content)).toContain('已暂扣');
    // Exactly these, none twice: form + outcome to the admin, step card + outcome to the head, one step card to the
    // reviewer, the outcome to the officer.
    const people = [PEOPLE.admin, PEOPLE.head, PEOPLE.reviewer, PEOPLE.officer, PEOPLE.unitLeader];
    expect(people.map((p) => since(p).length)).toEqual([2, 2, 1, 1, 0]);

    await waitStarted(await replacement);
  });

  it('the digest Schedule, ensured by every worker, runs once when triggered', async () => {
    const scheduleIds: string[] = [];
    for await (const schedule of temporalClient.schedule.list()) scheduleIds.push(schedule.scheduleId);
    expect(scheduleIds.filter((id) => id === 'daily-digest')).toHaveLength(1);
    // An open case, so both leaders have something due.
    const stranger = PEOPLE.stranger;
    const from = fake.messages.length;
    await temporalClient.workflow.start('certificateCaseWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: certificateCaseWorkflowId(stranger.certNo),
      args: [caseInput({ certNo: stranger.certNo, officer: { name: stranger.name, openId: stranger.openId } })],
    });
    await fake.waitFor(() => inbox(PEOPLE.head, from).length === 1, 15_000);

    await temporalClient.schedule.getHandle('daily-digest').trigger();
    const digestRuns = async () => {
      const runs = [];
      for await (const run of temporalClient.workflow.list({ query: `WorkflowType = 'dailyDigestWorkflow'` }))
        runs.push(run);
      return runs;
    };
    await waitUntil(async () => (await digestRuns()).some((r) => r.status.name === 'COMPLETED'), 30_000, 'the digest');
    await sleep(1_000);
    const runs = await digestRuns();
    expect(runs.map((r) => r.status.name)).toEqual(['COMPLETED']);
    const result = await temporalClient.workflow.getHandle(runs[0]!.workflowId, runs[0]!.runId).result();
    expect(result).toMatchObject({ status: 'sent', daily: { leaders: 2, sent: 2, nothingDue: 0 } });
    const digests = (p: Person) => inbox(p, from).filter((m) => cardText(m.content).includes('今日待办提醒'));
    expect([digests(PEOPLE.bureauLeader).length, digests(PEOPLE.unitLeader).length]).toEqual([1, 1]);
  });

  it(
    'SIGTERM of a bot and a worker mid-load: both exit within their stated times, nothing lost',
    { timeout: 150_000 },
    async () => {
      const [bot1, bot2] = running('bot') as [LawDeskProcess, LawDeskProcess];
      const worker = running('worker').find((w) => w.name !== 'worker-3')!;
      const { id: unitId } = await db!.prisma.unit.findFirstOrThrow({ where: { name: '县市场监管局' } });
      const crowd = Array.from({ length: 20 }, (_, i) => ({
        name: `执法员${i}`,
        openId: `ou_crowd_${i}`,
        certNo: `CR${i}`,
      }));
      const certExpires = new Date('2099-12-31T00:00:00Z');
      await db!.prisma.officer.createMany({ data: crowd.map((p) => ({ ...p, unitId, role: 'officer', certExpires })) });
      const from = fake.messages.length;
      // The load: 20 chat words at bot-1, and 20 certificate cases (a step card each to the head) for the workers.
      const words = crowd.map((p) => messageReceiveEvent({ openId: p.openId, text: '证件' }));
      const posted = words.map((e) =>
        fake.sendEvent(eventUrl(bot1), e, { encrypt: true }).then(
          (a) => a.status,
          () => 0,
        ),
      );
      const cases = crowd.map((p) =>
        temporalClient.workflow.start('certificateCaseWorkflow', {
          taskQueue: TASK_QUEUE,
          workflowId: certificateCaseWorkflowId(p.certNo),
          args: [caseInput({ certNo: p.certNo, officer: { name: p.name, openId: p.openId } })],
        }),
      );
      await sleep(300);
      // The stated times: deploy/ gives the bot 30 s and the worker 70 s between SIGTERM and SIGKILL.
      const [botStop, workerStop] = await Promise.all([
        signalAndTime(bot1, 'SIGTERM', 30_000),
        signalAndTime(worker, 'SIGTERM', 70_000),
      ]);
      console.log(
        `[cluster] SIGTERM → exit: bot ${botStop.ms} ms (code ${botStop.code}), worker ${workerStop.ms} ms (code ${workerStop.code})`,
      );
      expect([botStop.code, workerStop.code]).toEqual([0, 0]);
      await Promise.all(cases);
      // What bot-1 did not answer 200 Feishu delivers again, to the replica still behind the address.
      const statuses = await Promise.all(posted);
      for (const [i, status] of statuses.entries())
        if (status !== 200)
          expect((await fake.sendEvent(eventUrl(bot2), words[i]!, { encrypt: true })).status).toBe(200);
      console.log(`[cluster] ${statuses.filter((s) => s === 200).length} of 20 words taken by bot-1 before it stopped`);

      const stepCards = () => inbox(PEOPLE.head, from).map((m) => cardText(m.content));
      const everyone = () => crowd.every((p) => inbox(p, from).length > 0) && stepCards().length >= crowd.length;
      await fake.waitFor(everyone, 60_000).catch(() => undefined);
      await sleep(1_000);
      if (!everyone()) console.log(`[cluster] bot-1 said:\n${bot1.output().slice(-3000)}`);
      expect(crowd.map((p) => inbox(p, from).length)).toEqual(crowd.map(() => 1));
      expect(crowd.map((p) => stepCards().filter((card) => card.includes(`(${p.certNo})`)).length)).toEqual(
        crowd.map(() => 1),
      );
    },
  );

  it(
    'a 2,000-message fan-out across both workers: no 429, none lost or twice, within 5 % of the cap',
    { timeout: 240_000 },
    async () => {
      // Two workers again (the test above stopped one of them).
      if (running('worker').length < 2) await waitStarted(await start('worker-4', 'worker'));
      expect(running('worker')).toHaveLength(2);
      const prisma = db!.prisma;
      const crowd = await seedFanOutCrowd(prisma, 196);
      // Ten days' digests at once (a week of missed mornings re-run): ten activities of ~200 cards each, which the
      // two workers share (six activities at most each, so neither can take all ten), every send through the one budget the workers keep in PostgreSQL.
      const today = await loadCalendarWorkingToday(prisma);
      const calendar = await readCalendar(prisma);
      const days = Array.from({ length: 10 }, (_, k) => calendar.addWorkingDays(today, k));
      // Feishu's minute window starts empty, so the cap alone decides how soon the last message can go.
      const quietFor = 60_000 - (Date.now() - (fake.messages.at(-1)?.createdAt ?? 0));
      if (quietFor > 0) await sleep(quietFor);
      const from = fake.messages.length;
      const refusedBefore = fake.rateLimitedCount;
      const runs = await Promise.all(
        days.map((day) =>
          temporalClient.workflow.start('dailyDigestWorkflow', {
            taskQueue: TASK_QUEUE,
            workflowId: `fan-out-digest-${day}`,
            args: [{ day }],
          }),
        ),
      );
      const results = await Promise.all(runs.map((run) => run.result()));
      const sent = fake.messages.slice(from);
      const toldBy = new Map<string, number>();
      for (const { receiveId: to } of sent) if (to) toldBy.set(to, (toldBy.get(to) ?? 0) + 1);
      const spanMs = sent.at(-1)!.createdAt - sent[0]!.createdAt;
      const floorMs = earliestLastSendMs(sent.length, FEISHU_SEND_LIMITS);
      // Which worker process ran each day's fan-out (the activity's identity is the SDK's pid@host).
      const senders = new Set(await fanOutPids(runs));
      console.log(
        `[cluster] fan-out: ${sent.length} messages in ${(spanMs / 1000).toFixed(1)} s (Feishu's cap allows ${(floorMs / 1000).toFixed(1)} s), ` +
          `${fake.rateLimitedCount - refusedBefore} × 429, worker processes ${[...senders].join(', ')}`,
      );

      expect(results.map((r) => r.status)).toEqual(days.map(() => 'sent'));
      expect(sent.length).toBeGreaterThanOrEqual(1_900);
      expect(sent.length).toBeLessThanOrEqual(2_000);
      expect(fake.rateLimitedCount - refusedBefore).toBe(0);
      expect(crowd.filter((p) => toldBy.get(p.openId) !== days.length)).toEqual([]); // none lost, none twice
      expect(spanMs).toBeLessThanOrEqual(floorMs * 1.05);
      expect([...senders].every((pid) => running('worker').some((w) => w.child.pid === pid))).toBe(true);
      expect(senders.size).toBe(2);
    },
  );
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
