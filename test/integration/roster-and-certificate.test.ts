import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOfficers } from '../../src/processes/roster/import';
import { readSheet } from '../../src/platform/sheets/spreadsheet';
import { rosterSyncWorkflowId } from '../../src/processes/roster/contract';
import { cardActionEvent, messageReceiveEvent, urlVerification } from '../fakes/fake-feishu';
import { cardText, startHarness, type Harness } from '../support/lawdesk';

// The foundation end to end: the real Feishu SDK against the fake Feishu, a real Temporal dev server running
// the roster workflow, the embedded PostgreSQL from empty, and signed, encrypted events into our webhook.

const ROSTER = `姓名,执法证号,单位,角色,手机号,证件有效期
张三,HN001,县市场监管局,officer,13800000001,2099-06-30
李四,HN002,县市场监管局,admin,13800000002,2099-12-31
王五,HN003,县司法局,bureau,13900000009,
`;

describe('roster import → open_id sync → 证件 in chat', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness([
      { openId: 'ou_zhangsan', mobile: '13800000001', name: '张三' },
      { openId: 'ou_lisi', mobile: '13800000002', name: '李四' },
    ]);
  });
  afterAll(() => h?.stop());

  it('imports the roster and resolves open_ids from mobiles through Feishu, surviving a rate limit', async () => {
    const outcome = await importOfficers(h.app.ctx.prisma, await readSheet(h.writeFile('roster.csv', ROSTER)), 'test');
    expect(outcome).toEqual({ ok: true, added: 3, updated: 0, unchanged: 0, awaitingOpenId: 3 });

    h.fake.rateLimitNext({ path: '/open-apis/contact/v3/users/batch_get_id' }, 1);
    const result = await h.app.ctx.temporal.workflow.execute('rosterSyncWorkflow', {
      taskQueue: h.app.ctx.config.TEMPORAL_TASK_QUEUE,
      workflowId: rosterSyncWorkflowId('it-1'),
      args: [{ requestedBy: 'test' }],
    });
    expect(result).toEqual({ checked: 3, resolved: 2, notFound: 1, conflicts: 0 });

    const officers = await h.app.ctx.prisma.officer.findMany({
      orderBy: { certNo: 'asc' },
      select: { certNo: true, openId: true },
    });
    expect(officers).toEqual([
      { certNo: 'HN001', openId: 'ou_zhangsan' },
      { certNo: 'HN002', openId: 'ou_lisi' },
      { certNo: 'HN003', openId: null },
    ]);
    const audits = await h.app.ctx.prisma.auditEvent.findMany({
      where: { action: 'officer.open_id_resolved' },
      orderBy: { subject: 'asc' },
    });
    expect(audits.map((a) => [a.subject, (a.details as { openId: string }).openId])).toEqual([
      ['HN001', 'ou_zhangsan'],
      ['HN002', 'ou_lisi'],
    ]);
    // The first batch_get_id call was refused with 429 and retried by Temporal: two calls in all.
    expect(h.fake.requests.filter((r) => r.path === '/open-apis/contact/v3/users/batch_get_id')).toHaveLength(2);
  });

  it('re-importing the same file changes nothing', async () => {
    const outcome = await importOfficers(h.app.ctx.prisma, await readSheet(h.writeFile('roster.csv', ROSTER)), 'test');
    expect(outcome).toMatchObject({ ok: true, added: 0, updated: 0, unchanged: 3 });
    expect(await h.app.ctx.prisma.officer.count()).toBe(3);
    // Resolved open_ids are kept when the file has no open_id column.
    expect(await h.app.ctx.prisma.officer.findUnique({ where: { certNo: 'HN001' }, select: { openId: true } })).toEqual(
      { openId: 'ou_zhangsan' },
    );
  });

  it('answers 证件 with exactly one card naming the officer, once per event id', async () => {
    const event = messageReceiveEvent({ openId: 'ou_zhangsan', text: '证件' });
    const first = await h.fake.sendEvent(h.eventUrl, event, { encrypt: true });
    expect(first.status).toBe(200);
    await h.fake.waitFor(() => h.fake.messagesTo('ou_zhangsan').length === 1);
    const [reply] = h.fake.messagesTo('ou_zhangsan');
    expect(reply!.msgType).toBe('interactive');
    const text = cardText(reply!.content);
    for (const expected of ['张三', 'HN001', '县市场监管局', '有效', '2099-06-30']) expect(text).toContain(expected);

    const again = await h.fake.sendEvent(h.eventUrl, event, { encrypt: true });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.messagesTo('ou_zhangsan')).toHaveLength(1);
  });

  it('refuses a wrong signature with 401 and sends nothing', async () => {
    const before = h.fake.messages.length;
    const answer = await h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId: 'ou_zhangsan', text: '证件' }), {
      encrypt: true,
      badSignature: true,
    });
    expect(answer.status).toBe(401);
    const stale = await h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId: 'ou_zhangsan', text: '证件' }), {
      encrypt: true,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.messages.length).toBe(before);
  });

  it('tells someone not on the roster who to ask', async () => {
    await h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId: 'ou_stranger', text: '证件' }), { encrypt: true });
    await h.fake.waitFor(() => h.fake.messagesTo('ou_stranger').length === 1);
    const text = cardText(h.fake.messagesTo('ou_stranger')[0]!.content);
    expect(text).toContain('不在执法通的人员名册中');
    expect(text).toContain('王五'); // the bureau contact from the roster
  });

  it('lists what works on 帮助, and answers words it does not know with the same help', async () => {
    await h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId: 'ou_lisi', text: '帮助' }), { encrypt: true });
    await h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId: 'ou_lisi', text: '今天天气怎么样' }), {
      encrypt: true,
    });
    await h.fake.waitFor(() => h.fake.messagesTo('ou_lisi').length === 2);
    const texts = h.fake.messagesTo('ou_lisi').map((m) => cardText(m.content));
    expect(texts.every((t) => t.includes('证件') && t.includes('帮助'))).toBe(true);
    expect(texts.some((t) => t.includes('没有听懂「今天天气怎么样」'))).toBe(true);
  });

  it('runs a card button within the callback and answers with a toast', async () => {
    const answer = await h.fake.sendEvent(
      h.eventUrl,
      cardActionEvent({ openId: 'ou_lisi', value: { action: 'run_intent', intent: 'myCertificate' } }),
      { encrypt: true },
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ toast: { type: 'success', content: '已发送' } });
    await h.fake.waitFor(() => h.fake.messagesTo('ou_lisi').length === 3);
    expect(cardText(h.fake.messagesTo('ou_lisi')[2]!.content)).toContain('HN002');
  });

  it('answers url_verification, /readyz, and refuses bodies over 1 MiB', async () => {
    const verification = await fetch(h.eventUrl, {
      method: 'POST',
      body: JSON.stringify(urlVerification(h.fake.verificationToken, 'c-123')),
    });
    expect(await verification.json()).toEqual({ challenge: 'c-123' });
    const health = await fetch(`${h.baseUrl}/readyz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok', temporal: 'ok', feishu: 'ok' });
    const huge = await fetch(h.eventUrl, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
  });
});
