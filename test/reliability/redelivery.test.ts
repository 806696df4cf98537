// Issue 20 item 5: delivery was at-most-once. The event id was recorded as processed when it arrived, so when
// the work did not finish (a crash, Feishu refusing the reply) a redelivery of the same event was dropped and
// the person never heard back. A delivery is now 'received' at the door and done when its answer is out; a
// redelivery of one left unfinished past its lease is worked again, and Feishu's uuid keeps a reply that
// did go out from going out twice.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageReceiveEvent } from '../fakes/fake-feishu';
import { type Harness } from '../support/lawdesk';
import { startDoorHarness } from './door-harness';

const CREATE = { method: 'POST', path: '/open-apis/im/v1/messages' };

describe('redelivery of an event whose work did not finish', () => {
  let h: Harness;
  const deliver = (openId: string, eventId: string) =>
    h.fake.sendEvent(h.eventUrl, messageReceiveEvent({ openId, text: '帮助', eventId }), { encrypt: true });
  const creates = (openId: string) =>
    h.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === CREATE.path && (r.body as { receive_id?: string }).receive_id === openId,
    );
  const settle = () => new Promise((r) => setTimeout(r, 400));
  /** The row as a replica that died mid-work leaves it: taken `agoMs` ago, never done. */
  const leaveUnfinished = (eventId: string, agoMs: number) =>
    h.app.ctx.prisma.$executeRaw`INSERT INTO processed_event (event_id, event_type, received_at, claimed_at, done_at)
      VALUES (${eventId}, 'im.message.receive_v1', ${new Date(Date.now() - agoMs)}, ${new Date(Date.now() - agoMs)}, NULL)
      ON CONFLICT (event_id) DO UPDATE SET claimed_at = EXCLUDED.claimed_at, done_at = NULL`;
  const doneAt = async (eventId: string) =>
    (
      await h.app.ctx.prisma.$queryRaw<
        { done_at: Date | null }[]
      >`SELECT done_at FROM processed_event WHERE event_id = ${eventId}`
    )[0]?.done_at;

  beforeAll(async () => {
    h = await startDoorHarness();
  });
  afterAll(() => h?.stop());
  beforeEach(() => h.fake.reset());

  it('works a redelivery of a delivery left unfinished past its lease, and answers once', async () => {
    await leaveUnfinished('crashed-1', 120_000);
    expect((await deliver('ou_crash', 'crashed-1')).status).toBe(200);
    await h.fake.waitFor(() => h.fake.messagesTo('ou_crash').length === 1);
    await settle();
    expect(h.fake.messagesTo('ou_crash')).toHaveLength(1);
    expect(await doneAt('crashed-1')).toBeInstanceOf(Date);
  });

  it('drops a redelivery while another delivery of it is still being worked (inside the lease)', async () => {
    await leaveUnfinished('working-1', 10_000);
    expect((await deliver('ou_working', 'working-1')).status).toBe(200);
    await settle();
    expect(h.fake.messagesTo('ou_working')).toHaveLength(0);
  });

  it('sends a reply that did go out only once when the crash came before it was marked done (Feishu uuid)', async () => {
    await deliver('ou_sent', 'sent-1');
    await h.fake.waitFor(() => h.fake.messagesTo('ou_sent').length === 1);
    await h.fake.waitFor(() => creates('ou_sent').length === 1);
    await new Promise((r) => setTimeout(r, 200));
    await leaveUnfinished('sent-1', 120_000);

    await deliver('ou_sent', 'sent-1');
    await h.fake.waitFor(() => creates('ou_sent').length === 2); // worked again: the same reply, the same uuid
    await settle();
    expect(creates('ou_sent').map((r) => (r.body as { uuid?: string }).uuid)).toEqual(['ev-sent-1', 'ev-sent-1']);
    expect(h.fake.messagesTo('ou_sent')).toHaveLength(1);
    expect(await doneAt('sent-1')).toBeInstanceOf(Date);
  });

  it('leaves a delivery whose answer could not be sent at all open, so the next delivery answers it', async () => {
    // Feishu refuses the reply and the error message (not retryable): nothing reached the person.
    h.fake.failNext(CREATE, { status: 400, body: { code: 230013, msg: 'Bot has NO availability to this user.' } }, 2);
    await deliver('ou_refused', 'refused-1');
    await h.fake.waitFor(() => creates('ou_refused').length === 2);
    await settle();
    expect(h.fake.messagesTo('ou_refused')).toHaveLength(0);

    await deliver('ou_refused', 'refused-1');
    await h.fake.waitFor(() => h.fake.messagesTo('ou_refused').length === 1);
    await settle();
    expect(h.fake.messagesTo('ou_refused').map((m) => m.uuid)).toEqual(['ev-refused-1']);
    expect(await doneAt('refused-1')).toBeInstanceOf(Date);
  });
});
