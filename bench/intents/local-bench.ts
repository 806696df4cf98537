// Helpers of `npm run bench:intents` for the two utterance files and the model-free local matcher.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CATALOGUE, INTENT_NAMES, type ParsedIntent } from '../../src/chat/intent-catalogue';
import { INTENTS, type Intent } from '../../src/chat/intents';
import { EXAMPLES } from '../../src/chat/llm/prompts';
import { intentsForMatcher } from '../../src/chat/understanding/intent-phrases';
import { matchIntent, type MatchResult } from '../../src/chat/understanding/local-matcher';

const Utterances = z.object({
  utterances: z.array(
    z.object({
      text: z.string().min(1),
      intent: z.enum(INTENT_NAMES as [string, ...string[]]),
      args: z.record(z.string(), z.string()),
    }),
  ),
});
export type Utterance = z.infer<typeof Utterances>['utterances'][number];

export function loadUtterances(file: string, atLeast: number): Utterance[] {
  const { utterances } = Utterances.parse(JSON.parse(readFileSync(path.join(import.meta.dirname, file), 'utf8')));
  if (utterances.length < atLeast)
    throw new Error(`${file}: ${utterances.length} utterances, expected at least ${atLeast}`);
  return utterances;
}

/** The held-out file means something only if neither the prompt's examples nor the main file contain its sentences. */
export function checkHeldOut(heldOut: Utterance[], main: Utterance[]): void {
  const seen = new Set([...EXAMPLES.map((e) => e.text), ...main.map((u) => u.text)]);
  const leaked = heldOut.filter((u) => seen.has(u.text));
  if (leaked.length)
    throw new Error(
      `held-out sentences also in the prompt or utterances.json: ${leaked.map((u) => u.text).join(' / ')}`,
    );
  console.log(`\nheld-out.json: ${heldOut.length} utterances, none in prompts/intent-examples.txt or utterances.json`);
}

const MATCHER_INTENTS = intentsForMatcher(INTENTS);

export function matchLocally(text: string): MatchResult {
  return matchIntent(text, { intents: MATCHER_INTENTS });
}

/** What the person gets: a sure match runs its intent; unsure (buttons) and none count as the help card. */
export async function readLocally(text: string): Promise<ParsedIntent | undefined> {
  const result = matchLocally(text);
  const top = result.candidates[0];
  if (result.verdict !== 'sure' || !top) return undefined;
  const args = Object.fromEntries(
    Object.entries(top.args).filter(([key]) => key === 'officer' || key === 'action' || key === 'reason'),
  );
  return { intent: top.intent as Intent, args };
}

/** The lines under the local matcher's table: how often it was unsure, whether the buttons held the answer, safety. */
export function summarizeLocal(utterances: Utterance[]): void {
  let sure = 0;
  let unsure = 0;
  let offeredRight = 0;
  let rightOrOffered = 0;
  let unconfirmedStateChange = 0;
  for (const u of utterances) {
    const result = matchLocally(u.text);
    const intents = result.candidates.map((c) => c.intent);
    if (result.verdict === 'sure') sure++;
    if (result.verdict === 'unsure') unsure++;
    if (result.verdict === 'unsure' && intents.includes(u.intent)) offeredRight++;
    const gotHelp = result.verdict === 'none' || (result.verdict === 'sure' && intents[0] === 'help');
    if (
      (u.intent === 'help' && gotHelp) ||
      (result.verdict !== 'none' && intents.includes(u.intent) && u.intent !== 'help')
    )
      rightOrOffered++;
    unconfirmedStateChange += result.candidates.filter(
      (c) => CATALOGUE[c.intent as Intent].changesState && !c.needsConfirmation,
    ).length;
  }
  const pct = (n: number) => `${Math.round((100 * n) / utterances.length)}%`;
  console.log(
    `\nverdicts: sure ${pct(sure)}, unsure ${pct(unsure)} (the right intent among its 2–3 buttons in ${offeredRight} of ${unsure}), none ${pct(utterances.length - sure - unsure)}; ` +
      `right at once or among the buttons: ${pct(rightOrOffered)}; state-changing candidates without the confirm flag: ${unconfirmedStateChange}`,
  );
}
