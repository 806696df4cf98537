import { z } from 'zod';
import { INTENTS, INTENT_NAMES, parseText, type Intent } from './intents';

// Every chat capability as the model and the confirm step see it: its arguments (a zod schema), what it does in
// Chinese, and whether it changes anything — all from the processes' registrations. The keyword parser and the model
// both produce the same `{ intent, args }`; the LLM's tool list is generated from here.

export interface IntentSpec {
  args: z.ZodObject;
  description: string;
  changesState: boolean;
}

const NoArgs = z.object({});

export const CATALOGUE = Object.fromEntries(
  INTENT_NAMES.map((intent) => {
    const entry = INTENTS[intent];
    return [
      intent,
      {
        args: entry.args ?? NoArgs,
        description: `${entry.description}${entry.forModel ?? ''}`,
        changesState: !!entry.changesState,
      },
    ];
  }),
) as Record<Intent, IntentSpec>;

export { INTENT_NAMES };

export interface ParsedIntent {
  intent: Intent;
  args: Record<string, unknown>;
}

export function isIntent(name: unknown): name is Intent {
  return typeof name === 'string' && name in CATALOGUE;
}

/** The catalogue's check on an answer (from the model, or a card button): a known intent with valid arguments. */
export function validateIntent(
  intent: unknown,
  args: unknown,
): { ok: true; parsed: ParsedIntent } | { ok: false; error: string } {
  if (!isIntent(intent))
    return { ok: false, error: `unknown intent ${JSON.stringify(intent)}; choose one of ${INTENT_NAMES.join(', ')}` };
  // Models often send null or "" for an argument they leave out; that is "not given", not an error.
  const given =
    args && typeof args === 'object' && !Array.isArray(args)
      ? Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== ''))
      : args;
  const result = CATALOGUE[intent].args.safeParse(given ?? {});
  if (!result.success) return { ok: false, error: `invalid arguments for ${intent}: ${z.prettifyError(result.error)}` };
  return { ok: true, parsed: { intent, args: result.data as Record<string, unknown> } };
}

/** The keyword parser: a whole-word match (no arguments), or a process's fixed sentence shape with arguments. */
export function parseKeywords(text: string): ParsedIntent | undefined {
  const intent = parseText(text);
  if (intent) return { intent, args: {} };
  for (const name of INTENT_NAMES) {
    const args = INTENTS[name].sentences?.(text);
    if (args) return { intent: name, args };
  }
  return undefined;
}

/** A state-changing intent with arguments goes through a confirmation card; without them, its form/handler. */
export function needsConfirmation(parsed: ParsedIntent): boolean {
  return CATALOGUE[parsed.intent].changesState && Object.keys(parsed.args).length > 0;
}
