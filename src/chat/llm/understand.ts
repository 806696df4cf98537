import type OpenAI from 'openai';
import { z } from 'zod';
import type { Config } from '../../platform/config';
import { CATALOGUE, INTENT_NAMES, validateIntent, type ParsedIntent } from '../intent-catalogue';
import { EXAMPLES, PROMPT_VERSION, SYSTEM_PROMPT } from './prompts';

// Text the keyword parser did not match → one intent from the catalogue, through any OpenAI-compatible
// server. Only the user's own words and the catalogue go out: no roster data (names are resolved locally).
// Tool calling by default; `OPENAI_JSON_MODE=1` asks for a JSON object instead, for servers without tools.
// An invalid answer gets one retry naming the problem; the whole exchange has one deadline.

export interface LlmSettings {
  baseURL: string;
  apiKey: string;
  model: string;
  jsonMode: boolean;
  timeoutMs: number;
}

export function llmSettings(config: Config): LlmSettings | undefined {
  if (!config.OPENAI_BASE_URL || !config.OPENAI_MODEL) return undefined;
  return {
    baseURL: config.OPENAI_BASE_URL,
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    model: config.OPENAI_MODEL,
    jsonMode: config.OPENAI_JSON_MODE === '1',
    timeoutMs: config.OPENAI_TIMEOUT_MS,
  };
}

export interface Understanding {
  outcome: 'ok' | 'invalid' | 'timeout' | 'error';
  parsed?: ParsedIntent;
  error?: string;
  model: string;
  promptVersion: string;
  latencyMs: number;
  attempts: number;
  tokens: { prompt: number; completion: number };
}

const tools = (): OpenAI.Chat.Completions.ChatCompletionFunctionTool[] =>
  INTENT_NAMES.map((name) => ({
    type: 'function',
    function: {
      name,
      description: CATALOGUE[name].description,
      parameters: z.toJSONSchema(CATALOGUE[name].args) as Record<string, unknown>,
    },
  }));

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

function systemMessage(jsonMode: boolean, today?: string): string {
  const examples = EXAMPLES.map((e) => `用户:${e.text}\n回答:${JSON.stringify(e.answer)}`).join('\n');
  const intents = jsonMode
    ? `\n\n可选意图(名称、说明、参数 JSON Schema):\n${INTENT_NAMES.map((n) => `- ${n}:${CATALOGUE[n].description} 参数:${JSON.stringify(z.toJSONSchema(CATALOGUE[n].args))}`).join('\n')}\n\n只输出一个 JSON 对象:{"intent": 意图名称, "args": 参数对象}。`
    : '\n\n请调用且只调用一个工具(函数),工具名就是意图。';
  const date = today
    ? `\n\n今天是 ${today}(${WEEKDAYS[new Date(`${today}T00:00:00Z`).getUTCDay()]})。日期和期限请按用户原话填写,不要换算。`
    : '';
  return `${SYSTEM_PROMPT.text}${date}${intents}\n\n示例:\n${examples}`;
}

/** What the model answered, as `{ intent, args }` before validation, or why it could not be read. */
function readAnswer(
  choice: OpenAI.Chat.Completions.ChatCompletion.Choice | undefined,
): { intent: unknown; args: unknown } | { error: string } {
  const message = choice?.message;
  if (!message) return { error: 'the answer had no message' };
  const call = message.tool_calls?.find((c) => c.type === 'function');
  try {
    if (call && call.type === 'function')
      return { intent: call.function.name, args: call.function.arguments ? JSON.parse(call.function.arguments) : {} };
    const content = (message.content ?? '').replace(/^```(?:json)?\s*|\s*```$/g, '').trim();
    if (!content) return { error: 'no tool call and no content; call exactly one tool' };
    const object = JSON.parse(content) as { intent?: unknown; args?: unknown };
    return { intent: object.intent, args: object.args ?? {} };
  } catch (error) {
    return { error: `the answer is not valid JSON: ${(error as Error).message}` };
  }
}

/** `today`: the county's date ('YYYY-MM-DD'), so the model can repeat 下周五 or 月底 as said; our code resolves them. */
export async function understandText(settings: LlmSettings, text: string, today?: string): Promise<Understanding> {
  const started = performance.now();
  // Loaded on first use: most counties run without a model, and the client library is ~2 MB of heap idle (issue 16).
  const { default: OpenAIClient } = await import('openai');
  const client = new OpenAIClient({
    baseURL: settings.baseURL,
    apiKey: settings.apiKey,
    timeout: settings.timeoutMs,
    maxRetries: 0,
  });
  const deadline = AbortSignal.timeout(settings.timeoutMs);
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
    { role: 'system', content: systemMessage(settings.jsonMode, today) },
    { role: 'user', content: text },
  ];
  const tokens = { prompt: 0, completion: 0 };
  const result = (
    outcome: Understanding['outcome'],
    attempts: number,
    extra: Partial<Understanding>,
  ): Understanding => ({
    outcome,
    attempts,
    tokens,
    model: settings.model,
    promptVersion: PROMPT_VERSION,
    latencyMs: Math.round(performance.now() - started),
    ...extra,
  });
  let lastError = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await client.chat.completions.create(
        {
          model: settings.model,
          messages,
          temperature: 0,
          ...(settings.jsonMode
            ? { response_format: { type: 'json_object' as const } }
            : { tools: tools(), tool_choice: 'auto' as const }),
        },
        { signal: deadline },
      );
    } catch (error) {
      const timedOut =
        deadline.aborted ||
        error instanceof OpenAIClient.APIConnectionTimeoutError ||
        error instanceof OpenAIClient.APIUserAbortError;
      return result(timedOut ? 'timeout' : 'error', attempt, { error: (error as Error).message });
    }
    tokens.prompt += completion.usage?.prompt_tokens ?? 0;
    tokens.completion += completion.usage?.completion_tokens ?? 0;
    const answer = readAnswer(completion.choices[0]);
    const checked =
      'error' in answer ? { ok: false as const, error: answer.error } : validateIntent(answer.intent, answer.args);
    if (checked.ok) return result('ok', attempt, { parsed: checked.parsed });
    lastError = checked.error;
    // The retry names the problem; the earlier answer is not replayed (tool-call replay differs per server).
    messages.push({
      role: 'user',
      content: `上一次的回答无效:${lastError}。请重新回答原句,只选一个列出的意图,参数符合要求。`,
    });
  }
  return result('invalid', 2, { error: lastError });
}
