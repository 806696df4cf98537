// `npm run bench:intents`: the utterances in utterances.json through the keyword parser alone and, when
// OPENAI_BASE_URL and OPENAI_MODEL are set, through what the bot really does (keywords first, then the model).
// Prints accuracy per intent, argument accuracy and p50/p95 latency as markdown tables (README: Plain-language chat).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INTENT_NAMES, parseKeywords, type ParsedIntent } from '../../src/chat/intent-catalogue';
import { llmSettings, understandText } from '../../src/chat/llm/understand';
import { loadConfig } from '../../src/platform/config';

const Utterances = z.object({
  utterances: z.array(z.object({ text: z.string().min(1), intent: z.enum(INTENT_NAMES as [string, ...string[]]), args: z.record(z.string(), z.string()) })).min(80),
});
const { utterances } = Utterances.parse(JSON.parse(readFileSync(path.join(import.meta.dirname, 'utterances.json'), 'utf8')));

interface Outcome {
  expected: (typeof utterances)[number];
  got: ParsedIntent; // an unmatched or failed reading counts as help: the person gets the help card
  ms: number;
}

type Reader = (text: string) => Promise<ParsedIntent | undefined>;

async function run(read: Reader): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const expected of utterances) {
    const started = performance.now();
    const got = (await read(expected.text)) ?? { intent: 'help' as const, args: {} };
    outcomes.push({ expected, got, ms: performance.now() - started });
  }
  return outcomes;
}

const argsRight = (o: Outcome) => o.got.intent === o.expected.intent && Object.entries(o.expected.args).every(([k, v]) => String(o.got.args[k] ?? '').trim() === v);
const pct = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : '—');
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
};
const ms = (v: number) => (v < 1 ? `${v.toFixed(3)} ms` : `${Math.round(v)} ms`);

function report(title: string, outcomes: Outcome[]): void {
  console.log(`\n### ${title}\n`);
  console.log('| intent | utterances | intent right |');
  console.log('|---|---:|---:|');
  for (const intent of INTENT_NAMES) {
    const mine = outcomes.filter((o) => o.expected.intent === intent);
    console.log(`| ${intent} | ${mine.length} | ${pct(mine.filter((o) => o.got.intent === intent).length, mine.length)} |`);
  }
  const withArgs = outcomes.filter((o) => Object.keys(o.expected.args).length);
  const latencies = outcomes.map((o) => o.ms);
  console.log(`| **all** | ${outcomes.length} | ${pct(outcomes.filter((o) => o.got.intent === o.expected.intent).length, outcomes.length)} |`);
  console.log(`\narguments right (officer, action, reason as expected): ${pct(withArgs.filter(argsRight).length, withArgs.length)} of ${withArgs.length} utterances with arguments; latency p50 ${ms(quantile(latencies, 0.5))}, p95 ${ms(quantile(latencies, 0.95))}`);
}

const keywords: Reader = async (text) => parseKeywords(text);
report('Keyword parser alone', await run(keywords));

const settings = llmSettings(loadConfig(process.env));
if (settings) {
  const withModel: Reader = async (text) => parseKeywords(text) ?? (await understandText(settings, text)).parsed;
  report(`Keywords, then the model (${settings.model}${settings.jsonMode ? ', JSON mode' : ', tool calling'})`, await run(withModel));
} else {
  console.log('\n(no model configured: set OPENAI_BASE_URL and OPENAI_MODEL to measure the model too)');
}
