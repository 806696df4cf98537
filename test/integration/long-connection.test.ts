import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardActionEvent, messageReceiveEvent } from '../fakes/fake-feishu';
import { FeishuLongConnection } from '../fakes/feishu-long-connection';
import { seedCounty, PEOPLE } from '../support/certificate-fixture';
import { cardText, startHarness, type Harness } from '../support/lawdesk';

// FEISHU_MODE=ws: the SDK's WSClient connects to (a fake of) Feishu's long connection; events arrive as
// protobuf frames, take the same path as webhook events, and card answers go back in the acknowledgement.

describe('long-connection mode', () => {
  let h: Harness;
  let lc: FeishuLongConnection;
  beforeAll(async () => {
    h = await startHarness([], {}, async (fake) => {
      lc = await FeishuLongConnection.start(fake.url);
      return { FEISHU_MODE: 'ws', FEISHU_DOMAIN: lc.url };
    });
    await seedCounty(h.app.ctx.prisma);
    for (let i = 0; i < 100 && !lc.connected; i++) await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(async () => {
    await h?.stop();
    await lc?.stop();
  });

  it('answers 证件 pushed over the long connection, once per event id', async () => {
    expect(lc.connected).toBe(1);
    const event = messageReceiveEvent({ openId: PEOPLE.officer.openId, text: '证件' });
    expect(await lc.push(event)).toEqual({ code: 200 });
    await h.fake.waitFor(() => h.fake.messagesTo(PEOPLE.officer.openId).length === 1);
    expect(cardText(h.fake.messagesTo(PEOPLE.officer.openId)[0]!.content)).toContain('HN001');
    expect(await lc.push(event)).toEqual({ code: 200 }); // redelivered
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.messagesTo(PEOPLE.officer.openId)).toHaveLength(1);
  });

  it('answers a card click in the acknowledgement', async () => {
    const ack = await lc.push(
      cardActionEvent({ openId: PEOPLE.officer.openId, value: { action: 'run_intent', intent: 'myCertificate' } }),
    );
    expect(ack.code).toBe(200);
    expect(JSON.parse(Buffer.from(ack.data ?? '', 'base64').toString('utf8'))).toEqual({
      toast: { type: 'success', content: '已发送' },
    });
  });
});
