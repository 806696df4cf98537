// Issue 18: the send budget was per process, so two workers fanning out one checkpoint sent at twice Feishu's
// rate and were answered 429 by the hundreds. Here two "processes" (each its own copy of the Feishu modules, so
// its own in-memory budget, as in two Node processes) share one real PostgreSQL and send to the fake Feishu,
// which enforces the windows. Feishu's 50/s and 1,000/min are scaled to 200/s and 500 per 4 s (the minute
// window still binds, as Feishu's does) so 1,200 messages take seconds; `npm run bench:cluster` runs Feishu's own.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FeishuClient } from '../../src/platform/feishu/client';
import { migrate } from '../../src/platform/db/migrate';
import type { SendLimits } from '../../src/platform/feishu/message-sender';
import { FakeFeishu } from '../fakes/fake-feishu';
import { startPostgres, type TestPostgres } from '../support/postgres';

const LIMITS: SendLimits = { perSecond: 200, perMinute: 500, minuteMs: 4_000 };
const CREATE = { method: 'POST', path: '/open-apis/im/v1/messages' };
const PER_PROCESS = 600;

interface SenderProcess {
  feishu: FeishuClient;
  close(): Promise<void>;
}

describe('one send budget for every process of the app', () => {
  let postgres: TestPostgres;
  let fake: FakeFeishu;
  const processes: SenderProcess[] = [];

  /** A second Node process, as far as the send budget can tell: fresh modules, one shared database. */
  async function startProcess(): Promise<SenderProcess> {
    vi.resetModules();
    const { FeishuClient } = await import('../../src/platform/feishu/client');
    const { openSharedSendBudget } = await import('../../src/platform/feishu/shared-send-budget');
    const shared = openSharedSendBudget(postgres.url, { appId: fake.appId });
    const feishu = new FeishuClient({
      appId: fake.appId,
      appSecret: fake.appSecret,
      domain: fake.url,
      limits: LIMITS,
      sharedBudget: shared.budget,
    });
    await feishu.botInfo(); // the token fetch, before anything is timed
    const started = { feishu, close: shared.close };
    processes.push(started);
    return started;
  }

  beforeAll(async () => {
    postgres = await startPostgres();
    await migrate(postgres.url);
    fake = await FakeFeishu.start({ rateLimits: LIMITS });
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.close();
    fake.reset();
  });
  afterAll(async () => {
    await fake?.stop();
    await postgres?.stop();
  });

  it('two processes fanning out 1,200 messages together: never refused, none lost, none doubled', async () => {
    const [first, second] = [await startProcess(), await startProcess()];
    const recipients = Array.from({ length: 2 * PER_PROCESS }, (_, i) => `ou_cluster_${i}`);
    const messagesOf = (ids: string[]) => ids.map((openId) => ({ openId, text: '学时提醒', uuid: `cp-${openId}` }));
    const started = Date.now();
    const [a, b] = await Promise.all([
      first!.feishu.sendMany(messagesOf(recipients.slice(0, PER_PROCESS))),
      second!.feishu.sendMany(messagesOf(recipients.slice(PER_PROCESS))),
    ]);
    const elapsed = Date.now() - started;

    expect(fake.rateLimitedCount).toBe(0);
    expect([a, b]).toEqual([
      { sent: PER_PROCESS, failed: [] },
      { sent: PER_PROCESS, failed: [] },
    ]);
    expect(recipients.filter((id) => fake.messagesTo(id).length !== 1)).toEqual([]);
    // Not one attempt was wasted: every request Feishu saw became a message.
    expect(fake.requests.filter((r) => r.method === CREATE.method && r.path === CREATE.path)).toHaveLength(
      2 * PER_PROCESS,
    );
    // And the two together were not slower than the windows allow by much: 500 + 500 + 200 over three
    // "minutes" of 4 s is 8 s at the earliest.
    expect(elapsed).toBeLessThan(12_000);
  });

  it("a 429 answered to one process holds back the other's sends until Feishu's reset", async () => {
    const [first, second] = [await startProcess(), await startProcess()];
    await new Promise((r) => setTimeout(r, LIMITS.minuteMs)); // the previous test's windows empty
    fake.rateLimitNext(CREATE, 2);
    const refused = first!.feishu.sendText('ou_first', '第一条', 'pause-first');
    await fake.waitFor(() => fake.requests.some((r) => r.path === CREATE.path));
    const refusedAt = Date.now();
    await new Promise((r) => setTimeout(r, 100)); // the 429 reaches the first process, which records the pause
    await second!.feishu.sendText('ou_second', '第二条', 'pause-second');
    await refused;

    expect(fake.messagesTo('ou_second')).toHaveLength(1);
    expect(fake.messagesTo('ou_second')[0]!.createdAt).toBeGreaterThanOrEqual(refusedAt + 1_800);
    expect(fake.messagesTo('ou_first')).toHaveLength(1);
    expect(fake.rateLimitedCount).toBe(0); // the only 429 was the one injected
  });

  it('a process that dies holding slots gives them back when their lease ends', async () => {
    vi.resetModules();
    const { PostgresSendBudget } = await import('../../src/platform/feishu/shared-send-budget');
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    pool.on('error', () => undefined); // pool.end() does not wait for its sockets to close before the server stops
    const limits: SendLimits = { perSecond: 2, perMinute: 100 };
    const dying = new PostgresSendBudget(pool, { appId: 'cli_lease', leaseMs: 1_000 });
    const held = await Promise.all([dying.take(Date.now() + 1_000, limits), dying.take(Date.now() + 1_000, limits)]);
    expect(held.every((slot) => 'release' in slot)).toBe(true);
    // Its process is gone (the slots are never released); another process waits for the leases, not forever.
    const survivor = new PostgresSendBudget(pool, { appId: 'cli_lease' });
    expect(await survivor.take(Date.now() + 200, limits)).toHaveProperty('waitMs');
    const asked = Date.now();
    expect(await survivor.take(Date.now() + 3_000, limits)).toHaveProperty('release');
    expect(Date.now() - asked).toBeLessThan(1_500);
    await pool.end();
  });
});
