import { expect } from 'vitest';
import type { RecordedRequest } from '../fakes/fake-feishu';
import type { WorkflowTestbed } from '../support/workflow-testbed';

// What the owed-notice tests check, the way a person would: who received how many messages, and which uuids
// the bot sent Feishu.

export const MESSAGES_PATH = '/open-apis/im/v1/messages';

/** Each person got exactly one message; the ones who did not are named in the failure. */
export async function expectEachToldOnce(bed: WorkflowTestbed, people: Array<{ openId: string }>): Promise<void> {
  const wrong = people
    .map((p) => ({ openId: p.openId, messages: bed.fake.messagesTo(p.openId).length }))
    .filter((p) => p.messages !== 1);
  expect(wrong).toEqual([]);
}

/**
 * Feishu refuses the next message create with a rate limit whose reset (10 minutes) is longer than any one
 * send may wait: the send fails, as it does when Feishu stays busy.
 */
export function refuseNextSend(bed: WorkflowTestbed, times = 1): void {
  bed.fake.rateLimitNext({ method: 'POST', path: MESSAGES_PATH }, 600, times);
}

/**
 * Feishu refuses the next message create as it does when one person is sent to too often (HTTP 400, code
 * 230020): not a rate limit of the app, and gone a moment later.
 */
export function refuseNextSendToBusyUser(bed: WorkflowTestbed, times = 1): void {
  bed.fake.failNext(
    { method: 'POST', path: MESSAGES_PATH },
    { status: 400, body: { code: 230020, msg: 'This operation triggers the frequency limit.' } },
    times,
  );
}

export function sentUuids(requests: RecordedRequest[]): string[] {
  return requests.map((r) => (r.body as { uuid?: string } | undefined)?.uuid ?? '');
}
