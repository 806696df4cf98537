// `npm run bench:intents`: the utterances in utterances.json through the keyword parser alone and, when
// OPENAI_BASE_URL and OPENAI_MODEL are set, through what the bot really does (keywords first, then the model).
// Prints accuracy per intent, argument accuracy and p50/p95 latency as markdown tables (README: Plain-language chat).
// Both utterance files are read: utterances.json and held-out.json (a fifth of each intent, never used for the
// prompt's examples or the local matcher's phrases). The model-free local matcher (src/chat/understanding) is measured too.
import { INTENT_NAMES, parseKeywords, type ParsedIntent } from '../../src/chat/intent-catalogue';
import { llmSettings, understandText } from '../../src/chat/llm/understand';
import { loadConfig } from '../../src/platform/config';
import { checkHeldOut, loadUtterances, readLocally, summarizeLocal, type Utterance } from './local-bench';

const files = {
  'utterances.json': loadUtterances('utterances.json', 240),
  'held-out.json': loadUtterances('held-out.json', 48),
};
checkHeldOut(files['held-out.json'], files['utterances.json']);

interface Outcome {
  expected: Utterance;
  got: ParsedIntent; // an unmatched or failed reading counts as help: the person gets the help card
  ms: number;
  /** Prompt + completion tokens the model spent on it (0 when no model was asked). */
  tokens: number;
}

type Reader = (text: string) => Promise<ParsedIntent | undefined>;
// The model's token count for the utterance being read (set by the model reader, read by `run`).
let tokensSpent = 0;

async function run(read: Reader, utterances: Utterance[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const expected of utterances) {
    const started = performance.now();
    tokensSpent = 0;
    const got = (await read(expected.text)) ?? { intent: 'help' as const, args: {} };
    outcomes.push({ expected, got, ms: performance.now() - started, tokens: tokensSpent });
  }
  return outcomes;
}

const argsRight = (o: Outcome) =>
  o.got.intent === o.expected.intent &&
  Object.entries(o.expected.args).every(([k, v]) => String(o.got.args[k] ?? '').trim() === v);
const pct = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : '—');
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
};
const ms = (v: number) => (v < 1 ? `${v.toFixed(3)} ms` : `${Math.round(v)} ms`);

function report(title: string, outcomes: Outcome[]): void {
  console.log(`\n### ${title}\n`);
  console.log('| intent | utterances | intent right | arguments right | p50 | p95 | tokens / request |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const row = (name: string, mine: Outcome[]) => {
    const withArgs = mine.filter((o) => Object.keys(o.expected.args).length);
    const latencies = mine.map((o) => o.ms);
    const asked = mine.filter((o) => o.tokens > 0);
    const tokens = asked.length ? Math.round(asked.reduce((sum, o) => sum + o.tokens, 0) / asked.length) : '—';
    console.log(
      `| ${name} | ${mine.length} | ${pct(mine.filter((o) => o.got.intent === o.expected.intent).length, mine.length)} | ${withArgs.length ? `${pct(withArgs.filter(argsRight).length, withArgs.length)} of ${withArgs.length}` : '—'} | ${ms(quantile(latencies, 0.5))} | ${ms(quantile(latencies, 0.95))} | ${tokens} |`,
    );
  };
  for (const intent of INTENT_NAMES)
    row(
      intent,
      outcomes.filter((o) => o.expected.intent === intent),
    );
  row('**all**', outcomes);
}

const keywords: Reader = async (text) => parseKeywords(text);
for (const [file, utterances] of Object.entries(files))
  report(`Keyword parser alone — ${file}`, await run(keywords, utterances));
for (const [file, utterances] of Object.entries(files)) {
  report(
    `Local matcher, no model (a sure match runs; unsure and none get the help card) — ${file}`,
    await run(readLocally, utterances),
  );
  summarizeLocal(utterances);
}

const settings = llmSettings(loadConfig(process.env));
if (settings) {
  // What the bot does: the keywords, the matcher when it is sure, then the model.
  const withModel: Reader = async (text) => {
    const read = parseKeywords(text) ?? (await readLocally(text));
    if (read) return read;
    const understood = await understandText(settings, text, new Date().toISOString().slice(0, 10));
    tokensSpent = understood.tokens.prompt + understood.tokens.completion;
    return understood.parsed;
  };
  for (const [file, utterances] of Object.entries(files)) {
    report(
      `Keywords, the matcher when sure, then the model (${settings.model}${settings.jsonMode ? ', JSON mode' : ', tool calling'}) — ${file}`,
      await run(withModel, utterances),
    );
  }
} else {
  console.log('\nno model measured: OPENAI_BASE_URL and OPENAI_MODEL are not set');
}
