import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromProjectRoot } from '../../platform/project-root';

// Prompts are plain text files in prompts/, each starting with a `version:` line that is recorded with every
// decision, so an audit entry says which wording produced it. Read once, when this module loads.

const PROMPTS_DIR = fromProjectRoot('prompts');

export interface PromptFile {
  version: string;
  text: string;
}

export function readPrompt(name: string, dir = PROMPTS_DIR): PromptFile {
  const raw = readFileSync(path.join(dir, name), 'utf8');
  const [first, ...rest] = raw.split('\n');
  const match = /^version:\s*(\S+)/.exec(first ?? '');
  if (!match) throw new Error(`prompts/${name}: the first line must be "version: <id>"`);
  return { version: match[1]!, text: rest.join('\n').trim() };
}

export interface FewShot {
  text: string;
  answer: { intent: string; args: Record<string, unknown> };
}

export function parseExamples(file: PromptFile): FewShot[] {
  return file.text
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [text, json] = line.split(' => ');
      if (!text || !json) throw new Error(`prompts: example line without " => ": ${line}`);
      return { text: text.trim(), answer: JSON.parse(json) as FewShot['answer'] };
    });
}

export const SYSTEM_PROMPT = readPrompt('intent-system.txt');
export const EXAMPLES_FILE = readPrompt('intent-examples.txt');
export const EXAMPLES = parseExamples(EXAMPLES_FILE);
export const PROMPT_VERSION = `${SYSTEM_PROMPT.version}+${EXAMPLES_FILE.version}`;
