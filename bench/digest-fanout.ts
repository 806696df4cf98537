// A leader's daily digest fanned out to 10,000 recipients (issue 9, item 5): FeishuClient.sendMany against the
// fake Feishu enforcing Feishu's per-app limits (50 msg/s, 1,000 msg/min). Prints the achieved rate against the
// cap those limits allow, and what Feishu received: recipients with no message (lost), with more than one
// (duplicated), and the 429s it answered. Target: ≥ 95 % of the cap, 0 lost, 0 duplicated. At full size this
// takes about 10 minutes by design (1,000 a minute).
//
//   npm run bench:fanout [-- --recipients N --per-second S --per-minute M --concurrency C]
//   --client-per-second S --client-per-minute M: the client believes looser limits than the fake enforces, so
//   Feishu's 429s (and the sender's pauses and same-uuid retries) happen at scale
import { parseArgs } from 'node:util';
import { FeishuClient } from '../src/platform/feishu/client';
import type { FanOutMessage } from '../src/platform/feishu/fan-out';
import { earliestLastSendMs, type SendLimits } from '../src/platform/feishu/message-sender';
import { FakeFeishu } from '../test/fakes/fake-feishu';

const { values: args } = parseArgs({
  options: {
    recipients: { type: 'string', default: '10000' },
    'per-second': { type: 'string', default: '50' },
    'per-minute': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '20' },
    'client-per-second': { type: 'string' },
    'client-per-minute': { type: 'string' },
  },
});
const int = (name: keyof typeof args) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer (got ${String(args[name])})`);
  return n;
};
const RECIPIENTS = int('recipients');
const LIMITS: SendLimits = { perSecond: int('per-second'), perMinute: int('per-minute') };
const CONCURRENCY = int('concurrency');
const CLIENT_LIMITS: SendLimits = {
  perSecond: args['client-per-second'] ? int('client-per-second') : LIMITS.perSecond,
  perMinute: args['client-per-minute'] ? int('client-per-minute') : LIMITS.perMinute,
};
const today = new Date().toISOString().slice(0, 10);

/** A unit leader's daily digest as a JSON 2.0 card: a few KB, like the real one. */
function digestCard(name: string, i: number): Record<string, unknown> {
  const cases = Array.from({ length: 8 }, (_, k) => ({
    tag: 'markdown',
    content: `${k + 1}. **案件 ${2026_0000 + i * 8 + k}** 道路运输未按规定携带证件 · 承办人 执法员${(i + k) % 97} · 距期限 **${((k * 3) % 15) + 1} 天**`,
  }));
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: `${today} 执法质量日报` } },
    header: {
      title: { tag: 'plain_text', content: `执法质量日报 · ${today}` },
      subtitle: { tag: 'plain_text', content: `${name}，您好：以下是本单位今日概况` },
      template: 'blue',
    },
    body: {
      elements: [
        {
          tag: 'markdown',
          content: `**待审核案件** ${12 + (i % 9)} 件　**即将超期** ${i % 5} 件　**今日新立案** ${3 + (i % 4)} 件`,
        },
        { tag: 'markdown', content: `**执法证件**：${i % 3} 人证件 30 天内到期，${i % 2} 人已过期未换证` },
        { tag: 'markdown', content: `**年度学时**：全单位平均 ${30 + (i % 30)} / 60 学时，${i % 7} 人低于进度` },
        { tag: 'hr' },
        { tag: 'markdown', content: '**临近期限的案件**' },
        ...cases,
        { tag: 'hr' },
        {
          tag: 'button',
          text: { tag: 'plain_text', content: '查看全部待办' },
          type: 'primary',
          behaviors: [{ type: 'callback', value: { action: 'digest.open', date: today, unit: `unit-${i % 200}` } }],
        },
      ],
    },
  };
}

async function main(): Promise<void> {
  const fake = await FakeFeishu.start({ rateLimits: LIMITS, recordRequests: false });
  const feishu = new FeishuClient({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    limits: CLIENT_LIMITS,
  });
  await feishu.botInfo(); // the token fetch, outside the timing
  const openIds = Array.from({ length: RECIPIENTS }, (_, i) => `ou_${(0x5eed0000 + i).toString(16)}${'0'.repeat(24)}`);
  const messages: FanOutMessage[] = openIds.map((openId, i) => ({
    openId,
    card: digestCard(`领导${i}`, i),
    uuid: `digest-${today}-${openId}`,
  }));
  const cardBytes = Buffer.byteLength(JSON.stringify(messages[0]!.card));
  const cap = Math.min(LIMITS.perSecond, LIMITS.perMinute / 60);
  console.log(
    `fan-out of ${RECIPIENTS} digests (${cardBytes} bytes of card each), limits ${LIMITS.perSecond}/s and ${LIMITS.perMinute}/min (the client paces to ${CLIENT_LIMITS.perSecond}/s and ${CLIENT_LIMITS.perMinute}/min), concurrency ${CONCURRENCY}`,
  );

  const started = Date.now();
  const step = Math.max(1, Math.round(RECIPIENTS / 10));
  const result = await feishu.sendMany(messages, {
    concurrency: CONCURRENCY,
    onProgress: (done, total) => {
      if (done % step === 0 || done === total)
        console.log(`  ${done} / ${total} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  });
  const elapsedS = (Date.now() - started) / 1000;

  const received = new Map<string, number>();
  for (const m of fake.messages) received.set(m.receiveId ?? '', (received.get(m.receiveId ?? '') ?? 0) + 1);
  const lost = openIds.filter((id) => !received.has(id)).length;
  const duplicated = openIds.filter((id) => (received.get(id) ?? 0) > 1).length;
  const rate = RECIPIENTS / elapsedS;
  const idealS = earliestLastSendMs(RECIPIENTS, LIMITS) / 1000;
  console.log(`recipients:        ${RECIPIENTS} (sent ${result.sent}, failed ${result.failed.length})`);
  console.log(
    `elapsed:           ${elapsedS.toFixed(1)} s (the windows allow the last send at ${idealS.toFixed(1)} s at the earliest)`,
  );
  console.log(`achieved:          ${rate.toFixed(2)} msg/s`);
  console.log(`cap:               ${cap.toFixed(2)} msg/s (min(${LIMITS.perSecond}/s, ${LIMITS.perMinute}/min))`);
  console.log(`of cap:            ${((rate / cap) * 100).toFixed(1)} %`);
  // Over a few minutes the opening burst (a full minute's worth at 50/s) lifts the rate above the cap: this
  // compares with the best the sliding windows allow for this many sends instead.
  console.log(`of windows' best:  ${((idealS / elapsedS) * 100).toFixed(1)} %`);
  console.log(`lost:              ${lost}`);
  console.log(`duplicated:        ${duplicated}`);
  console.log(`429 answers:       ${fake.rateLimitedCount}`);
  console.log(`memory (rss):      ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  for (const f of result.failed.slice(0, 5)) console.log(`  failed ${f.openId}: ${f.error}`);
  await fake.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
