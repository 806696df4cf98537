// Issue 18 item 1, as an operator sees it: `npm run bot` (bin/bot.ts) gets SIGTERM while replies are still waiting
// for Feishu's send budget. It must answer every event it took, never with the error message, then exit 0.
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/net';
import { FakeFeishu, feishuAppEnv, messageReceiveEvent } from '../fakes/fake-feishu';
import { ENCRYPT_KEY } from '../support/lawdesk';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { spawnTsx, waitUntil } from '../support/processes';
import { startTestTemporal, type DevServer } from '../support/temporal';

const EVENTS = 6;

describe('npm run bot stopped mid-reply', () => {
  let fake: FakeFeishu;
  let database: TestPostgres;
  let temporal: DevServer;
  let bot: ChildProcess | undefined;
  let port: number;
  let output = '';

  beforeAll(async () => {
    [fake, database, temporal, port] = await Promise.all([
      FakeFeishu.start({ encryptKey: ENCRYPT_KEY }),
      startPostgres(),
      startTestTemporal(),
      freePort(),
    ]);
    bot = spawnTsx('bin/bot.ts', [], {
      ...feishuAppEnv(fake, ENCRYPT_KEY),
      PORT: String(port),
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      LOG_FORMAT: 'json',
    });
    bot.stdout!.on('data', (d) => (output += d));
    bot.stderr!.on('data', (d) => (output += d));
    await waitUntil(
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200,
      90_000,
      `the bot to be ready\n${output}`,
    );
  }, 120_000);
  afterAll(async () => {
    if (bot?.exitCode === null) bot.kill('SIGKILL');
    await Promise.all([fake?.stop(), database?.stop(), temporal?.stop()]);
  });

  it('answers what it took, says nothing about an error, and exits 0', { timeout: 60_000 }, async () => {
    // Feishu's 429 with a 3-second reset: every reply waits for the budget, so all are in flight at SIGTERM.
    fake.rateLimitNext({ path: '/open-apis/im/v1/messages' }, 3);
    const events = Array.from({ length: EVENTS }, (_, i) =>
      messageReceiveEvent({ openId: `ou_term_${i}`, text: '帮助', eventId: `term-${i}` }),
    );
    const url = `http://127.0.0.1:${port}/webhook/event`;
    const answers = await Promise.all(events.map((e) => fake.sendEvent(url, e, { encrypt: true })));
    expect(answers.map((a) => a.status)).toEqual(events.map(() => 200));
    await fake.waitFor(() => fake.requests.some((r) => r.path === '/open-apis/im/v1/messages'), 10_000);

    const exited = new Promise<number | null>((resolve) => bot!.once('exit', resolve));
    const signalledAt = Date.now();
    bot!.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stoppedInMs = Date.now() - signalledAt;

    const texts = fake.messages.map((m) => JSON.stringify(m.content));
    expect(texts.filter((t) => t.includes('系统暂时出错'))).toEqual([]);
    expect(events.map((e) => fake.messagesTo(e.event.sender.sender_id.open_id).length)).toEqual(events.map(() => 1));
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM processed_event WHERE event_id LIKE 'term-%' AND done_at IS NOT NULL`,
    );
    await client.end();
    expect(rows[0]!.n).toBe(EVENTS);
    // JSON log lines, the shutdown's included; the drain took about the 3-second reset, far below its 20 s.
    const lines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: string; msg: string; time: string });
    expect(lines.find((l) => l.msg.startsWith('已停止'))).toMatchObject({ level: 'info' });
    expect(stoppedInMs).toBeLessThan(15_000);
  });
});
