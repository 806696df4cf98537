// The fake Feishu driven by the REAL @larksuiteoapi/node-sdk, so its wire shapes stay honest.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FakeFeishu,
  cardActionEvent,
  encryptBody,
  menuEvent,
  messageReceiveEvent,
  signBody,
  urlVerification,
} from './fake-feishu';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const ALICE = { openId: 'ou_alice0000000000000000000001', mobile: '13800000001', name: '张三' };
const BOB = { openId: 'ou_bob00000000000000000000000002', mobile: '+86 138 0000 0002', email: 'bob@example.gov.cn' };

function clientFor(fake: FakeFeishu, cache: lark.Cache = new lark.DefaultCache()): lark.Client {
  return new lark.Client({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, logger: silent, cache });
}

/** The SDK rejects non-2xx answers with the AxiosError; pull out what callers get to see. */
async function failure(p: Promise<unknown>): Promise<{ status?: number; data?: any; headers?: any; message: string }> {
  try {
    await p;
  } catch (e: any) {
    return {
      status: e.response?.status,
      data: e.response?.data,
      headers: e.response?.headers,
      message: String(e.message),
    };
  }
  throw new Error('expected the call to fail');
}

const text = (t: string) => JSON.stringify({ text: t });
const card = (title: string) =>
  JSON.stringify({
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: title } },
    elements: [],
  });

describe('FakeFeishu with the real SDK client', () => {
  let fake: FakeFeishu;
  let client: lark.Client;
  beforeAll(async () => {
    fake = await FakeFeishu.start({ users: [ALICE, BOB] });
    client = clientFor(fake);
  });
  afterAll(async () => {
    await fake.stop();
  });
  afterEach(() => {
    fake.reset();
    client = clientFor(fake); // a fresh token cache per test
  });

  it('creates a message after fetching a tenant token', async () => {
    const res = await client.im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE.openId, msg_type: 'text', content: text('你好') },
    });
    expect(res.code).toBe(0);
    expect(res.data?.message_id).toMatch(/^om_/);
    expect(res.data?.chat_id).toMatch(/^oc_/);
    expect(res.data?.body?.content).toBe(text('你好'));
    const [tokenReq, sendReq] = fake.requests;
    expect(tokenReq).toMatchObject({
      method: 'POST',
      path: '/open-apis/auth/v3/tenant_access_token/internal',
      body: { app_id: fake.appId, app_secret: fake.appSecret },
    });
    expect(sendReq?.headers.authorization).toMatch(/^Bearer t-/);
    expect(sendReq?.query).toEqual({ receive_id_type: 'open_id' });
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({
      receiveId: ALICE.openId,
      receiveIdType: 'open_id',
      msgType: 'text',
      content: { text: '你好' },
    });
    expect(fake.messagesTo(ALICE.openId)).toHaveLength(1);
  });

  it('refuses a card over 30 KB (230025) on create and patch, as Feishu does; text may be longer', async () => {
    const big = JSON.stringify({
      header: { title: { tag: 'plain_text', content: '大卡片' } },
      elements: [{ tag: 'markdown', content: '事项'.repeat(6000) }],
    });
    expect(Buffer.byteLength(big)).toBeGreaterThan(30 * 1024);
    const refused = await failure(
      client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: ALICE.openId, msg_type: 'interactive', content: big },
      }),
    );
    expect(refused).toMatchObject({ status: 400, data: { code: 230025 } });
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE.openId, msg_type: 'interactive', content: card('小卡片') },
    });
    expect(
      (
        await failure(
          client.im.v1.message.patch({ path: { message_id: sent.data!.message_id! }, data: { content: big } }),
        )
      ).data,
    ).toMatchObject({ code: 230025 });
    const longText = await client.im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE.openId, msg_type: 'text', content: text('字'.repeat(15000)) },
    });
    expect(longText.code).toBe(0);
    expect(fake.messages.map((m) => m.msgType)).toEqual(['interactive', 'text']);
  });

  it('replies, patches a card, and rejects a patch of an unknown message', async () => {
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: BOB.openId, msg_type: 'interactive', content: card('待审核') },
    });
    const id = sent.data!.message_id!;
    const reply = await client.im.v1.message.reply({
      path: { message_id: id },
      data: { msg_type: 'text', content: text('收到') },
    });
    expect(reply.data).toMatchObject({ parent_id: id, root_id: id, chat_id: sent.data!.chat_id });
    expect(fake.messages[1]).toMatchObject({ replyTo: id, content: { text: '收到' } });
    expect(fake.messagesTo(BOB.openId)).toHaveLength(2); // the reply lands in Bob's p2p chat

    const patched = await client.im.v1.message.patch({ path: { message_id: id }, data: { content: card('已通过') } });
    expect(patched.code).toBe(0);
    expect(fake.patches).toEqual([{ messageId: id, content: JSON.parse(card('已通过')), at: expect.any(Number) }]);
    expect(fake.latestContent(id).header.title.content).toBe('已通过');

    const unknown = await failure(
      client.im.v1.message.patch({ path: { message_id: 'om_nope' }, data: { content: card('x') } }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.data.code).toBe(230001);
    const badReply = await failure(
      client.im.v1.message.reply({ path: { message_id: 'om_nope' }, data: { msg_type: 'text', content: text('x') } }),
    );
    expect(badReply.data.code).toBe(230001);
  });

  it('batch_get_id maps known mobiles to open_ids and echoes unknown ones without user_id', async () => {
    const res = await client.contact.v3.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { mobiles: ['13800000001', '13800000002', '13999999999'], emails: ['bob@example.gov.cn'] },
    });
    expect(res.code).toBe(0);
    expect(res.data?.user_list).toEqual([
      { mobile: '13800000001', user_id: ALICE.openId, status: expect.objectContaining({ is_resigned: false }) },
      { mobile: '13800000002', user_id: BOB.openId, status: expect.any(Object) },
      { mobile: '13999999999' },
      { email: 'bob@example.gov.cn', user_id: BOB.openId, status: expect.any(Object) },
    ]);
    const tooMany = Array.from({ length: 51 }, (_, i) => `1380000${String(i).padStart(4, '0')}`);
    const err = await failure(
      client.contact.v3.user.batchGetId({ params: { user_id_type: 'open_id' }, data: { mobiles: tooMany } }),
    );
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({
      code: 99992402,
      msg: 'field validation failed',
      error: { field_violations: [{ field: 'mobiles' }] },
    });
  });

  it('deduplicates by uuid: the same message comes back and nothing new is recorded', async () => {
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: ALICE.openId, msg_type: 'text', content: text('提醒'), uuid: 'notify-42' },
      });
    const a = await send();
    const b = await send();
    expect(b.data?.message_id).toBe(a.data?.message_id);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]?.uuid).toBe('notify-42');
    expect(fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages')).toHaveLength(2);
  });

  it('surfaces injected 400 errors and 429 rate limits through the SDK', async () => {
    fake.failNext(
      { method: 'POST', path: '/open-apis/im/v1/messages' },
      { status: 400, body: { code: 230002, msg: 'Bot/User can NOT be out of the chat.' } },
    );
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: 'oc_group', msg_type: 'text', content: text('hi') },
      });
    const err = await failure(send());
    expect(err.status).toBe(400);
    expect(err.data).toEqual({ code: 230002, msg: 'Bot/User can NOT be out of the chat.' });

    fake.rateLimitNext({ path: /^\/open-apis\/im\/v1\/messages/ }, 3);
    const limited = await failure(send());
    expect(limited.status).toBe(429);
    expect(limited.headers['x-ogw-ratelimit-reset']).toBe('3');
    expect(limited.data.code).toBe(99991400);

    expect((await send()).code).toBe(0); // injections are used up
    expect(fake.messages).toHaveLength(1);
  });

  it('invalidateTokens: the SDK keeps its cached token (99991663) until the cache entry is dropped', async () => {
    const cache = new lark.DefaultCache();
    client = clientFor(fake, cache);
    const info = () =>
      client.request<{ code: number; bot: { open_id: string } }>({ method: 'GET', url: '/open-apis/bot/v3/info' });
    expect((await info()).bot.open_id).toBe(fake.botOpenId);
    fake.invalidateTokens();
    const err = await failure(info());
    expect(err.status).toBe(400);
    expect(err.data).toMatchObject({ code: 99991663, msg: expect.stringMatching(/^Invalid access token/) });
    // The SDK (1.74) does not react to 99991663 by itself: the caller must drop the token and retry.
    cache.values.clear();
    expect((await info()).code).toBe(0);
    expect(fake.requests.filter((r) => r.path.endsWith('/tenant_access_token/internal'))).toHaveLength(2);
  });

  it('answers auth failures, a wrong secret and unknown paths as Feishu does', async () => {
    const noAuth = await fetch(`${fake.url}/open-apis/bot/v3/info`);
    expect(noAuth.status).toBe(400);
    expect(await noAuth.json()).toMatchObject({ code: 99991661 });
    const noBearer = await fetch(`${fake.url}/open-apis/bot/v3/info`, { headers: { authorization: 't-whatever' } });
    expect(((await noBearer.json()) as { code: number }).code).toBe(99991661);
    const missing = await fetch(`${fake.url}/open-apis/nonexistent/v1/foo`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('404 page not found');
    expect(fake.requests.at(-1)?.path).toBe('/open-apis/nonexistent/v1/foo');

    const wrong = new lark.Client({
      appId: fake.appId,
      appSecret: 'nope',
      domain: fake.url,
      logger: silent,
      cache: new lark.DefaultCache(),
    });
    const err = await failure(
      wrong.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: ALICE.openId, msg_type: 'text', content: text('x') },
      }),
    );
    expect(err.message).toContain('code: 10014');
  });

  it('a token stays valid across fakes in one process (the SDK caches tokens globally per app id)', async () => {
    const shared = clientFor(fake, lark.internalCache);
    await shared.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    const other = await FakeFeishu.start();
    try {
      const res = await clientFor(other, lark.internalCache).request<{ code: number }>({
        method: 'GET',
        url: '/open-apis/bot/v3/info',
      });
      expect(res.code).toBe(0);
      expect(other.requests.map((r) => r.path)).toEqual(['/open-apis/bot/v3/info']); // no new token fetch
    } finally {
      await other.stop();
    }
  });
});

describe('event delivery matches what the SDK verifies', () => {
  const encryptKey = 'lawdesk-test-encrypt-key';
  let fake: FakeFeishu;
  let bot: http.Server;
  let endpoint: string;
  const seen: Record<string, any>[] = [];
  beforeAll(async () => {
    fake = await FakeFeishu.start({ encryptKey, verificationToken: 'vt-1' });
    const dispatcher = new lark.EventDispatcher({ encryptKey, verificationToken: 'vt-1', logger: silent }).register({
      'im.message.receive_v1': (d: any) => {
        seen.push(d);
        return { ok: 'message' };
      },
      'card.action.trigger': (d: any) => {
        seen.push(d);
        return { toast: { type: 'success', content: '已提交' } };
      },
      'application.bot.menu_v6': (d: any) => {
        seen.push(d);
        return { ok: 'menu' };
      },
    } as any); // 'card.action.trigger' is missing from the SDK's typed handle map, though dispatch works
    bot = http.createServer(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }));
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(bot.address() as AddressInfo).port}/webhook/event`;
  });
  afterAll(async () => {
    bot.closeAllConnections();
    await new Promise<void>((r) => bot.close(() => r()));
    await fake.stop();
  });
  afterEach(() => {
    seen.length = 0;
  });

  it('encryptBody round-trips through the SDK AESCipher; signBody is sha256(ts+nonce+key+body)', () => {
    const plain = JSON.stringify({ hello: '世界', n: 1 });
    expect(new lark.AESCipher(encryptKey).decrypt(encryptBody(encryptKey, plain))).toBe(plain);
    // sha256 hex of "1700000000" + "nonce42" + "key" + "body", computed with sha256sum
    expect(signBody('key', '1700000000', 'nonce42', 'body')).toBe(
      '43cf2ac0c951aa087bf1990f5c35c36e11526e8f14b8bd0f5809004b4a08393f',
    );
  });

  it('delivers an encrypted, signed message event the SDK accepts', async () => {
    const r = await fake.sendEvent(endpoint, messageReceiveEvent({ openId: ALICE.openId, text: '查询案件' }), {
      encrypt: true,
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: 'message' });
    expect(seen[0]).toMatchObject({
      app_id: fake.appId,
      token: 'vt-1',
      sender: { sender_id: { open_id: ALICE.openId } },
      message: { chat_type: 'p2p' },
    });
    expect(JSON.parse(seen[0]!.message.content)).toEqual({ text: '查询案件' });
  });

  it('a plain (unencrypted) card action and menu event are accepted too', async () => {
    const r = await fake.sendEvent(
      endpoint,
      cardActionEvent({ openId: BOB.openId, value: { action: 'approve' }, formValue: { note: 'ok' } }),
    );
    expect(JSON.parse(r.body)).toEqual({ toast: { type: 'success', content: '已提交' } });
    expect(seen[0]).toMatchObject({
      operator: { open_id: BOB.openId },
      action: { value: { action: 'approve' }, form_value: { note: 'ok' } },
    });
    await fake.sendEvent(endpoint, menuEvent({ openId: BOB.openId, eventKey: 'my_cases' }));
    expect(seen[1]).toMatchObject({ event_key: 'my_cases', operator: { operator_id: { open_id: BOB.openId } } });
  });

  it('a bad signature is rejected by the SDK (which still answers HTTP 200 with an empty body)', async () => {
    const r = await fake.sendEvent(endpoint, messageReceiveEvent({ openId: ALICE.openId, text: 'x' }), {
      encrypt: true,
      badSignature: true,
    });
    expect(seen).toHaveLength(0);
    expect(r).toEqual({ status: 200, body: '' });
  });

  it('lets the bot reply to a delivered message, and answers an encrypted url_verification', async () => {
    const ev = messageReceiveEvent({ openId: ALICE.openId, text: 'hi' });
    await fake.sendEvent(endpoint, ev);
    const client = clientFor(fake);
    await client.im.v1.message.reply({
      path: { message_id: ev.event.message.message_id },
      data: { msg_type: 'text', content: text('在') },
    });
    expect(fake.messagesTo(ALICE.openId).map((m) => m.content.text)).toEqual(['在']);

    const v = await fake.sendEvent(endpoint, urlVerification('vt-1', 'challenge-123'), { encrypt: true });
    expect(JSON.parse(v.body)).toEqual({ challenge: 'challenge-123' });
  });
});
