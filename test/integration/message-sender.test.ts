// The one sender every Feishu message goes through, checked by what the fake Feishu received: the real SDK
// (through FeishuClient) against the emulator enforcing the same windows. The "minute" is 2 s here so the
// minute window shows within seconds; Feishu's own numbers are exercised by `npm run bench:fanout`.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeishuApiError, FeishuClient } from '../../src/platform/feishu/client';
import { earliestLastSendMs, type SendLimits } from '../../src/platform/feishu/message-sender';
import { FakeFeishu } from '../fakes/fake-feishu';

const LIMITS: SendLimits = { perSecond: 20, perMinute: 30, minuteMs: 2_000 };
const CREATE = { method: 'POST', path: '/open-apis/im/v1/messages' };
const card = (title: string) => ({
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: title } },
  body: { elements: [] },
});

describe('message sender', () => {
  let fake: FakeFeishu;
  let feishu: FeishuClient;
  const creates = () => fake.requests.filter((r) => r.method === 'POST' && r.path === CREATE.path);
  const createsTo = (openId: string) =>
    creates().filter((r) => (r.body as { receive_id?: string }).receive_id === openId);

  beforeAll(async () => {
    fake = await FakeFeishu.start({ rateLimits: LIMITS });
    feishu = new FeishuClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, limits: LIMITS });
    await feishu.botInfo(); // the token fetch is not part of what is timed below
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.reset());

  it('fans out to 60 recipients within both windows: one message each, never refused', async () => {
    const recipients = Array.from({ length: 60 }, (_, i) => `ou_fanout_${i}`);
    const progress: number[] = [];
    const started = Date.now();
    const result = await feishu.sendMany(
      recipients.map((openId, i) =>
        i % 2
          ? { openId, card: card(`日报 ${i}`), uuid: `fanout-${openId}` }
          : { openId, text: `提醒 ${i}`, uuid: `fanout-${openId}` },
      ),
      { concurrency: 8, onProgress: (done) => progress.push(done) },
    );
    const elapsed = Date.now() - started;

    expect(result).toEqual({ sent: 60, failed: [] });
    expect(fake.messages).toHaveLength(60);
    expect(recipients.map((id) => fake.messagesTo(id).length)).toEqual(recipients.map(() => 1));
    expect(fake.rateLimitedCount).toBe(0);
    expect(progress).toEqual(recipients.map((_, i) => i + 1));
    // 30 per "minute" at 20/s: 20 + 10, wait for the window, 20 + 10 — 3 s, where the per-second limit alone
    // would allow 2 s.
    expect(earliestLastSendMs(60, LIMITS)).toBe(3_000);
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeLessThan(4_500);

    // Right after, the window is full: a client that may wait only 100 ms (same app, so same budget) is held
    // back without a request and told, as Feishu would, when to come back.
    const impatient = new FeishuClient({
      appId: fake.appId,
      appSecret: fake.appSecret,
      domain: fake.url,
      maxSendWaitMs: 100,
    });
    const before = creates().length;
    const held = await impatient.sendText('ou_late', '晚到', 'late-1').catch((e: unknown) => e);
    expect(held).toBeInstanceOf(FeishuApiError);
    expect(held).toMatchObject({ httpStatus: 429, code: 99991400, retryAfterSeconds: 1 });
    expect(creates().length).toBe(before);
  });

  it("waits out a 429 for its reset, holding back the app's other sends, and sends once", async () => {
    await new Promise((r) => setTimeout(r, LIMITS.minuteMs)); // let the previous test's window empty
    fake.rateLimitNext(CREATE, 1);
    const first = feishu.sendCard('ou_limited', card('待办'), 'limited-1');
    await fake.waitFor(() => creates().length === 1);
    const refusedAt = Date.now();
    await new Promise((r) => setTimeout(r, 50)); // the 429 reaches the client
    const other = feishu.sendText('ou_other', '另一条', 'other-1');
    await Promise.all([first, other]);

    expect(fake.messagesTo('ou_limited')).toHaveLength(1);
    expect(createsTo('ou_limited').map((r) => (r.body as { uuid?: string }).uuid)).toEqual(['limited-1', 'limited-1']);
    for (const m of fake.messages) expect(m.createdAt).toBeGreaterThanOrEqual(refusedAt + 900);
    expect(createsTo('ou_other')).toHaveLength(1); // it waited instead of being refused too
  });

  it("retries Feishu's 5xx with backoff and the same uuid: one message", async () => {
    fake.failNext(CREATE, { status: 500, body: { code: 500, msg: 'internal error' } }, 2);
    const started = Date.now();
    await feishu.sendText('ou_flaky', '重试', 'flaky-1');

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400); // 0.5 s, then 1 s
    expect(createsTo('ou_flaky').map((r) => (r.body as { uuid?: string }).uuid)).toEqual([
      'flaky-1',
      'flaky-1',
      'flaky-1',
    ]);
    expect(fake.messagesTo('ou_flaky')).toHaveLength(1);
  });

  it('does not retry a refusal that will not change; sendMany reports it and sends the rest', async () => {
    const notInChat = { status: 400, body: { code: 230002, msg: 'Bot/User can NOT be out of the chat.' } };
    fake.failNext(CREATE, notInChat);
    const refused = await feishu.sendText('ou_gone', 'hi', 'gone-1').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 230002, httpStatus: 400 });
    expect(createsTo('ou_gone')).toHaveLength(1);

    fake.reset();
    fake.failNext(CREATE, notInChat); // one at a time, so the first recipient is the one refused
    const recipients = ['ou_left', 'ou_a', 'ou_b', 'ou_c'];
    const result = await feishu.sendMany(
      recipients.map((openId) => ({ openId, text: '周报', uuid: `weekly-${openId}` })),
      { concurrency: 1 },
    );

    expect(result.sent).toBe(3);
    expect(result.failed).toEqual([{ openId: 'ou_left', error: expect.stringContaining('230002') }]);
    expect(createsTo('ou_left')).toHaveLength(1);
    expect(recipients.map((id) => fake.messagesTo(id).length)).toEqual([0, 1, 1, 1]);
  });

  it('puts replies under the same budget: a 429 on a reply is waited out too', async () => {
    const parent = await feishu.sendText('ou_thread', '原消息', 'thread-1');
    fake.rateLimitNext({ method: 'POST', path: /\/reply$/ }, 1);
    await feishu.replyCard(parent, card('回复'), 'thread-reply-1');
    expect(fake.messages.filter((m) => m.replyTo === parent)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path.endsWith('/reply'))).toHaveLength(2);
  });

  it('refuses a fan-out whose uuids are missing or repeated, before sending anything', async () => {
    await expect(
      feishu.sendMany([
        { openId: 'ou_x', text: 'a', uuid: 'same' },
        { openId: 'ou_y', text: 'b', uuid: 'same' },
      ]),
    ).rejects.toThrow(/used twice/);
    await expect(feishu.sendMany([{ openId: 'ou_x', text: 'a', uuid: '' }])).rejects.toThrow(/no uuid/);
    expect(creates()).toHaveLength(0);
  });
});
