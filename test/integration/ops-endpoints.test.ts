// Issue 18 items 3 and 4: no worker health endpoint, readiness was liveness, no metrics. Now /healthz says alive
// (no dependencies), /readyz checks the database, Temporal and Feishu's token (and, on a worker, that it polls), on
// the receiver and on a worker-only process alike, and /metrics speaks Prometheus' text format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLawDesk, type LawDesk } from '../../src/app/app';
import { messageReceiveEvent } from '../fakes/fake-feishu';
import { configFor, type Harness } from '../support/lawdesk';
import { startDoorHarness } from '../reliability/door-harness';

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('probes and metrics', () => {
  let h: Harness;
  let workerOnly: LawDesk | undefined;
  beforeAll(async () => {
    h = await startDoorHarness();
  });
  afterAll(async () => {
    await workerOnly?.close();
    await h?.stop();
  });

  it('answers /healthz and /readyz on the receiver, with what was checked', async () => {
    const alive = await fetch(`${h.baseUrl}/healthz`);
    expect(alive.status).toBe(200);
    expect(await alive.json()).toEqual({ status: 'alive' });
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ok', database: 'ok', temporal: 'ok', feishu: 'ok' });
    expect(ready.status).toBe(200);
  });

  it('counts events, duplicates, answers, sends and the ack time in Prometheus text', async () => {
    const event = messageReceiveEvent({ openId: 'ou_metrics', text: '帮助', eventId: 'metrics-1' });
    await h.fake.sendEvent(h.eventUrl, event, { encrypt: true });
    await h.fake.sendEvent(h.eventUrl, event, { encrypt: true }); // Feishu's redelivery of the same event
    await h.fake.waitFor(() => h.fake.messagesTo('ou_metrics').length === 1);
    await new Promise((r) => setTimeout(r, 300));

    const res = await fetch(`${h.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    const type = 'type="im.message.receive_v1"';
    expect(sample(text, `lawdesk_events_received_total{${type}}`)).toBeGreaterThanOrEqual(2);
    expect(sample(text, `lawdesk_events_deduplicated_total{${type}}`)).toBeGreaterThanOrEqual(1);
    expect(sample(text, `lawdesk_events_answered_total{result="answered",${type}}`)).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lawdesk_event_ack_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'lawdesk_event_ack_seconds_bucket{le="+Inf"}')).toBe(
      sample(text, 'lawdesk_event_ack_seconds_count'),
    );
    expect(sample(text, 'lawdesk_feishu_sends_total{result="ok"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE lawdesk_send_budget_wait_seconds histogram');
    expect(text).toContain('# TYPE lawdesk_open_steps gauge');
    // The Temporal SDK's own worker metrics, from its runtime's Prometheus exporter.
    expect(text).toMatch(/^temporal_\w+/m);
  });

  it('counts Feishu refusing a send with 429 apart from other refusals', async () => {
    const before = sample(
      await (await fetch(`${h.baseUrl}/metrics`)).text(),
      'lawdesk_feishu_sends_total{result="rate_limited"}',
    );
    h.fake.rateLimitNext({ path: '/open-apis/im/v1/messages' }, 1);
    await h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId: 'ou_429', text: '帮助' }), { encrypt: true });
    await h.fake.waitFor(() => h.fake.messagesTo('ou_429').length === 1, 10_000);
    const after = sample(
      await (await fetch(`${h.baseUrl}/metrics`)).text(),
      'lawdesk_feishu_sends_total{result="rate_limited"}',
    );
    expect(after).toBe(before + 1);
  });

  it('serves the probes and metrics on PORT for a worker-only process, and is not ready when Feishu refuses the app', async () => {
    const config = configFor(h.fake, h.temporal.address, h.dataDir, {
      DATABASE_URL: h.app.ctx.config.DATABASE_URL,
      FEISHU_APP_SECRET: 'not-the-secret',
      TEMPORAL_TASK_QUEUE: `ops-${Date.now()}`,
    });
    workerOnly = await startLawDesk(config, { receiver: false, worker: true, log: () => {} });
    const base = `http://127.0.0.1:${workerOnly.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      database: 'ok',
      temporal: 'ok',
      feishu: expect.stringMatching(/^error: /),
      worker: 'RUNNING',
    });
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/webhook/event`, { method: 'POST', body: '{}' })).status).toBe(405);

    const closing = workerOnly.close();
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'stopping' });
    await closing;
  });
});
