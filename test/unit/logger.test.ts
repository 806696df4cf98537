// Issue 18 item 5: logs were free text without time or level, and the Temporal SDK's warnings printed the task token.
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createLogger, redact, sdkLogSink, withLogFields } from '../../src/platform/logger';

const NOW = () => new Date('2026-03-02T01:02:03.000Z');

function collect(format: 'json' | 'text', secrets: string[] = []) {
  const lines: string[] = [];
  const log = createLogger({ format, secrets, out: (t) => lines.push(t), now: NOW });
  return { log, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the operators’ logger', () => {
  it('writes one JSON object a line with time, level and msg; failures are errors', () => {
    const { log, json } = collect('json');
    log('Temporal worker: 任务队列 lawdesk');
    log('处理事件失败 ev-1: boom');
    expect(json()).toEqual([
      { time: '2026-03-02T01:02:03.000Z', level: 'info', msg: 'Temporal worker: 任务队列 lawdesk' },
      { time: '2026-03-02T01:02:03.000Z', level: 'error', msg: '处理事件失败 ev-1: boom' },
    ]);
  });

  it('names the event being worked, through awaits', async () => {
    const { log, json } = collect('json');
    await withLogFields({ event_id: 'ev-42' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      log('重复事件已忽略');
    });
    log('outside');
    expect(json().map((l) => l.event_id)).toEqual(['ev-42', undefined]);
  });

  it('names the workflow an activity works for', async () => {
    const { log, json } = collect('json');
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: 'training-year-2026-7', runId: 'r' } });
    await env.run(async () => log('发送提醒'));
    expect(json()[0]).toMatchObject({ workflow_id: 'training-year-2026-7', msg: '发送提醒' });
  });

  it.each([
    ['张三 手机号 13800138000 未找到', '张三 手机号 138****8000 未找到'],
    ['Authorization: Bearer t-g1044ab3CDEFGHIJKLMNOP', 'Authorization: Bearer [redacted]'],
    ['token t-g1044ab3CDEFGHIJKLMNOPQR expired', 'token t-[redacted] expired'],
    ['url?app_secret=abc123def&x=1', 'url?app_secret=[redacted]&x=1'],
    ['{"tenant_access_token":"t-xyzxyzxyzxyzxyzxyz"}', '{"tenant_access_token":"[redacted]"}'],
    ['证件号 HN001 办结 2026', '证件号 HN001 办结 2026'],
    ['order 1380013800012345', 'order 1380013800012345'], // not a mobile: part of a longer number
  ])('redacts %s', (line, expected) => {
    expect(redact(line)).toBe(expected);
  });

  it('never prints a configured secret, in either format', () => {
    for (const format of ['json', 'text'] as const) {
      const { log, lines } = collect(format, ['sUp3r-s3cret-value']);
      log('飞书拒绝: app secret sUp3r-s3cret-value is wrong');
      expect(lines.join('\n')).not.toContain('sUp3r-s3cret-value');
    }
  });

  it("routes the SDK's entries through it, task token redacted and the workflow id named as ours", () => {
    const { log, json, lines } = collect('json');
    sdkLogSink(log)({
      level: 'WARN',
      message: 'Activity heartbeat failed',
      meta: { taskToken: 'CiQ3YjQ4ZDA0Ny1hYmNk', workflowId: 'digest-2026-03-02', attempt: 2 },
    });
    expect(json()[0]).toMatchObject({
      level: 'warn',
      msg: 'temporal: Activity heartbeat failed',
      workflow_id: 'digest-2026-03-02',
      taskToken: '[redacted]',
      attempt: 2,
    });
    expect(lines[0]).not.toContain('CiQ3YjQ4ZDA0Ny1hYmNk');
  });

  it('keeps plain lines in text format (the default), redacted', () => {
    const { log, lines } = collect('text');
    log('已导入 张三 13800138000');
    expect(lines).toEqual(['已导入 张三 138****8000']);
  });
});
