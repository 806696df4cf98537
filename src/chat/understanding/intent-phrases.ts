import type { IntentEntry } from '../../processes/chat-kit';
import type { IntentPhrases } from './local-matcher';

// The matcher's list, from what each process registers for its intents (words, phrases, roles, arguments): adding
// a chat command and its phrasings touches its own process only.

/** A phrase list written as space-separated items (spaces inside a phrase mean nothing: matching ignores them). */
function list(items: string | undefined): string[] {
  return (items ?? '').split(/\s+/).filter(Boolean);
}

export function intentsForMatcher(intents: Record<string, IntentEntry>): IntentPhrases[] {
  return Object.entries(intents).map(([intent, entry]) => ({
    intent,
    words: entry.words,
    phrases: list(entry.phrases),
    roles: entry.roles ?? [],
    takes: entry.takes,
    changesState: !!entry.changesState,
  }));
}
