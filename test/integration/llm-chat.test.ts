import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llmSettings, understandText } from '../../src/chat/llm/understand';
import { loadConfig } from '../../src/platform/config';
import { dateIn } from '../../src/core/dates';
import { certificateCaseWorkflowId } from '../../src/processes/certificate/contract';
import { cardActionEvent, messageReceiveEvent } from '../fakes/fake-feishu';
import { FakeOpenAI } from '../fakes/fake-openai';
import { loadTestCalendar, PEOPLE, seedCounty } from '../support/certificate-fixture';
import { buttonValue, cardText, startHarness, type Harness } from '../support/lawdesk';

// Plain-language chat through a fake OpenAI-compatible server at the wire and the fake Feishu: the model picks
// the intent, LawDesk validates it, resolves names locally, and asks for a click before anything changes.

const TIMEOUT_MS = 2000; // a short configured deadline (OPENAI_TIMEOUT_MS) keeps the timeout test quick

describe('plain-language chat with a model', () => {
  let h: Harness;
  let model: FakeOpenAI;
  const said: string[] = [];
  const say = (openId: string, text: string) => {
    said.push(text);
    return h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId, text }), { encrypt: true });
  };
  const click = async (openId: string, value: Record<string, unknown>) => {
    const answer = await h.fake.sendEvent(h.eventUrl, cardActionEvent({ openId, value }), { encrypt: true });
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body) as { toast?: { type: string; content: string }; card?: { data: unknown } };
  };
  const inbox = (person: { openId: string }) => h.fake.messagesTo(person.openId);
  const nextMessage = async (person: { openId: string }, before: number, timeoutMs = 5000) => {
    await h.fake.waitFor(() => inbox(person).length > before, timeoutMs);
    return inbox(person)[before]!;
  };

  beforeAll(async () => {
    model = await FakeOpenAI.start();
    h = await startHarness([], {
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_MODEL: 'fake-model',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    await seedCounty(h.app.ctx.prisma);
    const unit = await h.app.ctx.prisma.officer.findUniqueOrThrow({
      where: { certNo: PEOPLE.officer.certNo },
      select: { unitId: true },
    });
    await h.app.ctx.prisma.officer.create({
      data: {
        name: '张三丰',
        certNo: 'HN010',
        openId: 'ou_zsf',
        unitId: unit.unitId,
        role: 'officer',
        certExpires: new Date('2099-12-31T00:00:00Z'),
      },
    });
    await loadTestCalendar(h.app.ctx.prisma, dateIn('Asia/Shanghai', new Date()), 0);
  });
  afterAll(async () => {
    await h?.stop();
    await model?.stop();
  });

  // The sentences here are ones the model-free matcher is not sure of (src/chat/understanding): only those reach
  // the model; what it is sure of is answered at once (test/integration/plain-chat.test.ts).
  it('runs the handler the model chose, and sends keyword text to no model', async () => {
    model.answer({ kind: 'tool', name: 'myCertificate', args: {} });
    const before = inbox(PEOPLE.officer).length;
    await say(PEOPLE.officer.openId, '我那个本本还能用多久');
    expect(cardText((await nextMessage(PEOPLE.officer, before)).content)).toContain(PEOPLE.officer.certNo);
    expect(model.requests).toHaveLength(1);
    const request = model.requests[0] as {
      tools: Array<{ function: { name: string } }>;
      messages: Array<{ role: string; content: string }>;
    };
    expect(request.tools.map((t) => t.function.name)).toContain('startCertificateCase');
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: '我那个本本还能用多久' });
    // The prompt says which day it is, so 下周五 can be repeated as said (our code resolves it).
    expect(request.messages[0]!.content).toContain(`今天是 ${dateIn('Asia/Shanghai', new Date())}`);

    await say(PEOPLE.officer.openId, '证件');
    await nextMessage(PEOPLE.officer, before + 1);
    expect(model.requests).toHaveLength(1);

    const audit = await h.app.ctx.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'llm.intent' },
      orderBy: { id: 'desc' },
    });
    expect(audit.details).toMatchObject({
      intent: 'myCertificate',
      model: 'fake-model',
      outcome: 'ok',
      tokens: { prompt: 120, completion: 15 },
    });
    expect((audit.details as { promptVersion: string }).promptVersion).toMatch(/^intent-/);
  });

  it('retries once with the validation error, then answers with the help card', async () => {
    model.requests.length = 0;
    model.answer({ kind: 'tool', name: 'startCertificateCase', args: { officer: 42, action: 'burn' } });
    const before = inbox(PEOPLE.admin).length;
    await say(PEOPLE.admin.openId, '那个谁的证处理一下');
    expect(cardText((await nextMessage(PEOPLE.admin, before)).content)).toContain('没有听懂');
    expect(model.requests).toHaveLength(2);
    expect(JSON.stringify(model.requests[1])).toContain('上一次的回答无效');

    model.requests.length = 0;
    model.answer({ kind: 'text', content: '好的,我来帮您查一下' }, { kind: 'tool', name: 'myCertificate', args: {} });
    await say(PEOPLE.admin.openId, '我那个本本还能用多久');
    expect(cardText((await nextMessage(PEOPLE.admin, before + 1)).content)).toContain(PEOPLE.admin.certNo);
    expect(model.requests).toHaveLength(2);
  });

  it('answers with the help card on a 500 and on a timeout, within 11 s', async () => {
    model.answer({ kind: 'status', status: 500 });
    const before = inbox(PEOPLE.admin).length;
    await say(PEOPLE.admin.openId, '帮我看下全县情况');
    expect(cardText((await nextMessage(PEOPLE.admin, before)).content)).toContain('没有听懂');

    model.answer({ kind: 'slow', ms: 15_000 });
    const started = Date.now();
    await say(PEOPLE.admin.openId, '领导让看一下情况');
    // Within a second or so a card says it is thinking; when the model gives up, the help card follows.
    const thinking = await nextMessage(PEOPLE.admin, before + 1, 3_000);
    expect(cardText(thinking.content)).toContain('正在理解');
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(cardText((await nextMessage(PEOPLE.admin, before + 2, 11_000)).content)).toContain('没有听懂');
    expect(Date.now() - started).toBeLessThan(11_000);
    expect(cardText(h.fake.patches.filter((p) => p.messageId === thinking.messageId).at(-1)?.content)).toContain(
      '没有理解',
    );
  }, 20_000);

  it('answers a slow model in two steps: a thinking card within a second, updated in place, then the answer', async () => {
    model.answer({ kind: 'slow', ms: 1_600, then: { kind: 'tool', name: 'myCertificate', args: {} } });
    const before = inbox(PEOPLE.officer).length;
    const started = Date.now();
    await say(PEOPLE.officer.openId, '我那个本本还能用多久');
    const thinking = await nextMessage(PEOPLE.officer, before, 3_000);
    expect(Date.now() - started).toBeLessThan(2_500); // sent at 1 s; the margin is for a loaded machine
    expect(cardText(thinking.content)).toContain('正在理解');
    expect(cardText((await nextMessage(PEOPLE.officer, before + 1, 5_000)).content)).toContain(PEOPLE.officer.certNo);
    expect(cardText(h.fake.patches.filter((p) => p.messageId === thinking.messageId).at(-1)?.content)).toContain(
      '已理解:我的执法证件',
    );
  });

  it('asks to pick when several officers match a partial name', async () => {
    model.answer({
      kind: 'tool',
      name: 'startCertificateCase',
      args: { officer: '张', action: 'suspend', reason: 'assessment' },
    });
    const before = inbox(PEOPLE.admin).length;
    await say(PEOPLE.admin.openId, '小张考核没过,证先扣了');
    const picker = (await nextMessage(PEOPLE.admin, before)).content;
    expect(cardText(picker)).toContain('HN010');
    const pick = buttonValue(picker, { action: 'intent_pick', certNo: 'HN010' });
    expect((await click(PEOPLE.stranger.openId, pick)).toast?.type).toBe('error');
    const confirm = await click(PEOPLE.admin.openId, pick);
    expect(cardText(confirm.card)).toMatch(/张三丰.*HN010/);
    expect(cardText(confirm.card)).toContain('考核不合格');
    const cancelled = await click(PEOPLE.admin.openId, buttonValue(confirm.card, { action: 'intent_cancel' }));
    expect(cancelled.toast?.content).toBe('已取消');

    const asked = model.requests.length;
    await say(PEOPLE.admin.openId, '李四的证暂扣'); // a fixed shape: read without the model
    expect(cardText((await nextMessage(PEOPLE.admin, before + 1)).content)).toContain('没有找到「李四」');
    await say(PEOPLE.admin.openId, '暂扣张三丰的证');
    expect(cardText((await nextMessage(PEOPLE.admin, before + 2)).content)).toMatch(/请确认.*张三丰\(HN010\).*暂扣/);
    expect(model.requests).toHaveLength(asked);
  });

  it('asks for a missing officer in chat, keeps the request in the database, and 取消 drops it', async () => {
    model.answer({ kind: 'tool', name: 'startCertificateCase', args: { action: 'suspend', reason: 'investigation' } });
    const before = inbox(PEOPLE.admin).length;
    await say(PEOPLE.admin.openId, '有个同志在被调查,证要先暂扣');
    const question = cardText((await nextMessage(PEOPLE.admin, before)).content);
    expect(question, question.slice(0, 600)).toContain('暂扣谁的证件?');
    const pending = await h.app.ctx.prisma.pendingIntent.findUniqueOrThrow({ where: { openId: PEOPLE.admin.openId } });
    expect(pending.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);

    const asked = model.requests.length;
    await say(PEOPLE.admin.openId, '张三');
    const proposal = (await nextMessage(PEOPLE.admin, before + 1)).content;
    expect(model.requests).toHaveLength(asked); // the answer fills the waiting request; no model call
    expect(cardText(proposal)).toMatch(/张三\(HN001\).*暂扣.*违法违纪调查/);
    const edit = await click(PEOPLE.admin.openId, buttonValue(proposal, { action: 'intent_edit' }));
    expect(cardText(edit.card)).toContain('"default_value":"HN001"'); // 修改: the form, filled in
    expect(cardText(edit.card)).toContain('"initial_option":"investigation"');
    buttonValue(edit.card, { action: 'certificate_case_submit' });
    expect((await click(PEOPLE.admin.openId, buttonValue(proposal, { action: 'intent_cancel' }))).toast?.content).toBe(
      '已取消',
    );

    await say(PEOPLE.admin.openId, '有个同志在被调查,证要先暂扣');
    await nextMessage(PEOPLE.admin, before + 2);
    await say(PEOPLE.admin.openId, '取消');
    expect(cardText((await nextMessage(PEOPLE.admin, before + 3)).content)).toContain('已取消');
    expect(await h.app.ctx.prisma.pendingIntent.count()).toBe(0);

    model.answer({ kind: 'tool', name: 'startCertificateCase', args: { officer: '张三丰', reason: 'other' } });
    await say(PEOPLE.admin.openId, '张三丰的证要处理一下');
    expect(cardText((await nextMessage(PEOPLE.admin, before + 4)).content)).toContain('对「张三丰」的证件办理什么?');
    await say(PEOPLE.admin.openId, '先暂扣吧');
    const second = (await nextMessage(PEOPLE.admin, before + 5)).content;
    expect(cardText(second)).toMatch(/张三丰\(HN010\).*暂扣.*其他/);
    await click(PEOPLE.admin.openId, buttonValue(second, { action: 'intent_cancel' }));
  });

  it('confirms 把张三的证暂扣了 with a card, starts nothing until the asker clicks 确认, refuses anyone else', async () => {
    model.answer({
      kind: 'tool',
      name: 'startCertificateCase',
      args: { officer: '张三', action: 'suspend', reason: 'investigation', details: '他在接受调查' },
    });
    const before = inbox(PEOPLE.admin).length;
    await say(PEOPLE.admin.openId, '把张三的证暂扣了,他在接受调查');
    const proposal = (await nextMessage(PEOPLE.admin, before)).content;
    expect(cardText(proposal)).toMatch(/张三\(HN001\)/);
    expect(cardText(proposal)).toContain('暂扣');
    expect(cardText(proposal)).toContain('违法违纪调查');
    expect(cardText(proposal)).toContain(PEOPLE.head.name);

    const handle = h.app.ctx.temporal.workflow.getHandle(certificateCaseWorkflowId(PEOPLE.officer.certNo));
    await new Promise((r) => setTimeout(r, 300));
    await expect(handle.describe()).rejects.toThrow(); // the card alone starts nothing

    const confirm = buttonValue(proposal, { action: 'intent_confirm' });
    expect(await click(PEOPLE.stranger.openId, confirm)).toMatchObject({
      toast: { type: 'error', content: '只有发起人本人可以确认或取消' },
    });
    await expect(handle.describe()).rejects.toThrow();

    const done = await click(PEOPLE.admin.openId, confirm);
    expect(done.toast).toEqual({ type: 'success', content: '已提交审批' });
    expect(cardText(done.card)).toContain(PEOPLE.head.name);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });

  it('sent no roster data to the model: only what people typed', () => {
    const bodies = model.allBodies();
    const typed = said.join('\n');
    const roster = [
      ...Object.values(PEOPLE).flatMap((p) => [p.name, p.certNo, p.openId]),
      '张三丰',
      'HN010',
      '县市场监管局',
      '县司法局',
    ];
    for (const value of roster.filter((v) => !typed.includes(v))) expect(bodies).not.toContain(value);
  });
});

describe('the model call on its own', () => {
  let model: FakeOpenAI;
  beforeAll(async () => {
    model = await FakeOpenAI.start();
  });
  afterAll(() => model?.stop());
  const settings = (env: Record<string, string>) =>
    llmSettings(loadConfig({ OPENAI_BASE_URL: model.baseURL, OPENAI_MODEL: 'm', ...env }))!;

  it('is off unless OPENAI_BASE_URL and OPENAI_MODEL are set', () => {
    expect(llmSettings(loadConfig({}))).toBeUndefined();
    expect(llmSettings(loadConfig({ OPENAI_BASE_URL: model.baseURL }))).toBeUndefined();
  });

  it('reads JSON-mode answers (with response_format, no tools)', async () => {
    model.requests.length = 0;
    model.answer({
      kind: 'json',
      content: { intent: 'startCertificateCase', args: { officer: 'HN001', action: 'withdraw', reason: 'transfer' } },
    });
    const result = await understandText(settings({ OPENAI_JSON_MODE: '1' }), 'HN001调走了,证收回');
    expect(result).toMatchObject({
      outcome: 'ok',
      attempts: 1,
      parsed: { intent: 'startCertificateCase', args: { officer: 'HN001', action: 'withdraw', reason: 'transfer' } },
    });
    expect(model.requests[0]).toMatchObject({ response_format: { type: 'json_object' } });
    expect(model.requests[0]!.tools).toBeUndefined();
  });

  it('gives up after one retry on an unknown intent, and reports a timeout as such', async () => {
    model.answer({ kind: 'json', content: { intent: 'launchRocket', args: {} } });
    expect(await understandText(settings({ OPENAI_JSON_MODE: '1' }), '发射')).toMatchObject({
      outcome: 'invalid',
      attempts: 2,
    });
    model.answer({ kind: 'slow', ms: 3000 });
    const result = await understandText(settings({ OPENAI_TIMEOUT_MS: '300' }), '慢慢来');
    expect(result.outcome).toBe('timeout');
    expect(result.latencyMs).toBeLessThan(1500);
  });
});
