import { extractArgs, type ExtractedArgs } from './extract-args';
import type { DateContext } from './relative-dates';
import { matchPattern, normalizeText, prepareText } from './text-match';

// Understanding without a model: which intent a sentence most likely means, from the words and phrasings it
// contains (by character or by sound), with the asker's role as a tie-breaker. An intent's score is the weight of
// the sentence's characters its words and phrases cover, so 「本单位学时」 (5 covered) beats 「学时」 (2) and a
// sentence is not counted twice for two overlapping phrases. The verdict tells the caller what to do:
// sure → run it (through the confirm card when it changes anything); unsure → offer the 2–3 candidates as buttons;
// none → the help card.

export interface IntentPhrases {
  intent: string;
  /** The exact keywords (the ones `帮助` lists); the whole message equal to one is certain. */
  words: string[];
  /** Synonyms and common phrasings; 「A…B」: A then B with a few characters between; 「!A」: A counts against. */
  phrases: string[];
  /** Who it is for (officer, admin, supervisor, leader, bureau); empty: everyone. */
  roles: string[];
  /** Starts or changes something: never run without the confirm card. */
  changesState?: boolean;
  /** Which of the extracted arguments this intent takes. */
  takes?: (keyof ExtractedArgs)[];
}

export interface MatchOptions {
  role?: string;
  intents: IntentPhrases[];
  /** Today and the working-day calendar, to resolve 下周五 or 三个工作日内; without it dates are only found. */
  dates?: DateContext;
}

export interface Candidate {
  intent: string;
  score: number;
  args: Partial<ExtractedArgs>;
  /** Show the confirm card first: this intent changes state. */
  needsConfirmation: boolean;
}

export type Verdict = 'sure' | 'unsure' | 'none';

export interface MatchResult {
  verdict: Verdict;
  /** sure: the one to run; unsure: 2–3 to offer, likeliest first; none: empty. */
  candidates: Candidate[];
  /** Set when the sentence was refused as out of scope (injected instructions, deletion, other units' data). */
  refused?: string;
}

const WORD_WEIGHT = 1.25;
const AGAINST_WEIGHT = 2;
const ROLE_BONUS = 0.5;
/** Below this nothing is offered: two characters of a phrase, or one of a keyword with a little more. */
const MIN_SCORE = 2;
/** The leader is sure when the runner-up is this far behind. */
const SURE_MARGIN = 1.5;
/** Runners-up within this distance of the leader are offered beside it. */
const OFFER_WITHIN = 1.5;

// What the bot must not do from chat whatever the words: follow instructions hidden in a message, delete, hand
// out other units' or people's data, or approve in bulk (approvals happen on each step's card, by its owner).
const OUT_OF_SCOPE: [string, RegExp][] = [
  ['instructions', /忽略|无视|之前的指令|提示词|prompt|ignore|system|越狱|jailbreak|扮演/i],
  ['deletion', /删除|删掉|删了|清空|delete|remove|drop/i],
  ['others-data', /(别的|其他|其它)(单位|人|部门)的|别人的|所有人的|手机号|电话号码|身份证号|密码|password/i],
  ['bulk-approval', /(全部|都|一键|批量)(批准|同意|通过)|approve/i],
];

export function refusalOf(text: string): string | undefined {
  return OUT_OF_SCOPE.find(([, pattern]) => pattern.test(text))?.[0];
}

function scoreIntent(spec: IntentPhrases, text: ReturnType<typeof prepareText>): number {
  const covered = new Map<number, number>();
  let joins = 0;
  const add = (pattern: string, weight: number) => {
    const match = matchPattern(text, pattern, { nearly: weight === WORD_WEIGHT });
    if (!match) return;
    for (const [at, w] of match.covered) covered.set(at, Math.max(covered.get(at) ?? 0, w * weight));
    joins = Math.max(joins, match.bonus);
  };
  for (const word of spec.words) add(word, WORD_WEIGHT);
  let against = 0;
  for (const phrase of spec.phrases) {
    if (phrase.startsWith('!')) against += matchPattern(text, phrase.slice(1)) ? AGAINST_WEIGHT : 0;
    else add(phrase, 1);
  }
  let score = 0;
  for (const weight of covered.values()) score += weight;
  return score + joins - against;
}

/** Arguments that point at an intent: an officer with a certificate action or reason, or an amount of money. */
function argumentBonus(spec: IntentPhrases, args: ExtractedArgs): number {
  const takes = new Set(spec.takes ?? []);
  let bonus = 0;
  if (takes.has('officer') && takes.has('action') && args.officer && (args.action || args.reason)) bonus += 2;
  if (takes.has('action') && takes.has('reason') && args.action && args.reason) bonus += 1;
  if (takes.has('amountYuan') && args.amountYuan !== undefined) bonus += 2;
  return bonus;
}

function argsFor(spec: IntentPhrases, args: ExtractedArgs): Partial<ExtractedArgs> {
  const picked: Partial<ExtractedArgs> = {};
  for (const key of spec.takes ?? []) if (args[key] !== undefined) Object.assign(picked, { [key]: args[key] });
  return picked;
}

export function matchIntent(sentence: string, options: MatchOptions): MatchResult {
  const refused = refusalOf(sentence.normalize('NFKC'));
  if (refused) return { verdict: 'none', candidates: [], refused };
  const normalized = normalizeText(sentence);
  if (!normalized && !/[??]/.test(sentence)) return { verdict: 'none', candidates: [] };
  const args = extractArgs(sentence, options.dates);
  const candidate = (spec: IntentPhrases, score: number): Candidate => ({
    intent: spec.intent,
    score: Math.round(score * 100) / 100,
    args: argsFor(spec, args),
    needsConfirmation: spec.changesState === true,
  });

  // The whole message is a keyword: certain, as the keyword parser has always done.
  const typed = sentence.trim().toLowerCase();
  const isTheWord = (word: string) =>
    word.toLowerCase() === typed || (normalized !== '' && normalizeText(word) === normalized);
  const exact = options.intents.find((spec) => spec.words.some(isTheWord));
  if (exact) return { verdict: 'sure', candidates: [candidate(exact, 100)] };

  const text = prepareText(sentence);
  const ranked = options.intents
    .map((spec) => {
      const forRole =
        options.role && spec.roles.length ? (spec.roles.includes(options.role) ? ROLE_BONUS : -ROLE_BONUS) : 0;
      return candidate(spec, scoreIntent(spec, text) + argumentBonus(spec, args) + forRole);
    })
    .filter((c) => c.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score);

  const [top, second] = ranked;
  if (!top) return { verdict: 'none', candidates: [] };
  if (!second || top.score - second.score >= SURE_MARGIN) return { verdict: 'sure', candidates: [top] };
  return { verdict: 'unsure', candidates: ranked.filter((c) => top.score - c.score < OFFER_WITHIN).slice(0, 3) };
}
