import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConversationRecord } from './feishu-emulator-types';

// The sandbox's chat history on disk: one JSON record per line (DATA_DIR/sandbox/conversation.jsonl).
// The sandbox is one process, so appending synchronously is both simple and safe; a restart reads it back
// and the emulator knows every earlier message again (the bot can still PATCH a card sent before it).

export function readConversation(file: string): ConversationRecord[] {
  if (!existsSync(file)) return [];
  const records: ConversationRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as ConversationRecord);
    } catch {
      // A line cut short by a crash mid-write: the rest of the history is still worth keeping.
    }
  }
  return records;
}

export function appendConversation(file: string, record: ConversationRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
