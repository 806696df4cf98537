import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CATALOGUE,
  INTENT_NAMES,
  needsConfirmation,
  parseKeywords,
  validateIntent,
} from '../../src/chat/intent-catalogue';
import { TEXT_ROUTES } from '../../src/chat/intents';
import { EXAMPLES, PROMPT_VERSION, readPrompt } from '../../src/chat/llm/prompts';

// The catalogue, the prompts and the bench agree: every example and every expected answer is a valid intent call.

describe('intent catalogue', () => {
  it.each(INTENT_NAMES)('%s has a description and arguments the model can read as JSON schema', (intent) => {
    expect(CATALOGUE[intent].description.length).toBeGreaterThan(4);
    expect(z.toJSONSchema(CATALOGUE[intent].args)).toMatchObject({ type: 'object' });
  });

  it('gives every keyword its intent with no arguments', () => {
    for (const route of TEXT_ROUTES)
      for (const word of route.words) expect(parseKeywords(` ${word} `)).toEqual({ intent: route.intent, args: {} });
    expect(parseKeywords('把张三的证暂扣了')).toBeUndefined();
  });

  it.each([
    ['暂扣张三的证', { officer: '张三', action: 'suspend' }],
    ['收回 HN001 的执法证', { officer: 'HN001', action: 'withdraw' }],
    ['注销欧阳小明证件', { officer: '欧阳小明', action: 'cancel' }],
    ['李四的证件恢复', { officer: '李四', action: 'restore' }],
  ])('reads the fixed shape %s without a model', (text, args) => {
    expect(parseKeywords(text)).toEqual({ intent: 'startCertificateCase', args });
  });

  it.each(['暂扣吧', '先暂扣吧', '把张三的证暂扣了,他在接受调查', '暂扣一个人的证件'])(
    'leaves %s to the model',
    (text) => {
      expect(parseKeywords(text)).toBeUndefined();
    },
  );

  it('validates answers: unknown intents and bad arguments are refused with a reason', () => {
    expect(validateIntent('launchRocket', {})).toMatchObject({
      ok: false,
      error: expect.stringContaining('unknown intent'),
    });
    expect(validateIntent('startCertificateCase', { officer: '张三', action: 'burn' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('action'),
    });
    expect(validateIntent('startCertificateCase', { officer: '张三', reason: null, details: '' })).toEqual({
      ok: true,
      parsed: { intent: 'startCertificateCase', args: { officer: '张三' } },
    });
    expect(validateIntent('myHours', { year: 2026 })).toEqual({ ok: true, parsed: { intent: 'myHours', args: {} } }); // extra keys dropped
    expect(validateIntent('startCertificateCase', { officer: ' 张三 ', action: 'suspend' })).toEqual({
      ok: true,
      parsed: { intent: 'startCertificateCase', args: { officer: '张三', action: 'suspend' } },
    });
  });

  it('asks for confirmation only for a state-changing intent with arguments', () => {
    expect(needsConfirmation({ intent: 'startCertificateCase', args: { officer: '张三' } })).toBe(true);
    expect(needsConfirmation({ intent: 'startCertificateCase', args: {} })).toBe(false); // the keyword: the form
    expect(needsConfirmation({ intent: 'myHours', args: {} })).toBe(false);
  });
});

describe('prompts and bench', () => {
  it('loads versioned prompts whose few-shot examples are valid answers', () => {
    expect(PROMPT_VERSION).toMatch(/^intent-\S+\+intent-\S+$/);
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
    for (const example of EXAMPLES)
      expect(validateIntent(example.answer.intent, example.answer.args), example.text).toMatchObject({ ok: true });
  });

  it('refuses a prompt file without a version line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lawdesk-prompt-'));
    writeFileSync(path.join(dir, 'p.txt'), '你是……\n');
    expect(() => readPrompt('p.txt', dir)).toThrow(/version/);
  });

  it('has at least 80 bench utterances, each expecting a valid answer', () => {
    const { utterances } = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, '../../bench/intents/utterances.json'), 'utf8'),
    ) as { utterances: Array<{ text: string; intent: string; args: Record<string, string> }> };
    expect(utterances.length).toBeGreaterThanOrEqual(80);
    for (const u of utterances) expect(validateIntent(u.intent, u.args), u.text).toMatchObject({ ok: true });
  });
});
