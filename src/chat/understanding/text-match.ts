import { pinyin } from 'pinyin-pro';

// Finding a word or phrase inside a chat sentence, by its characters or, failing that, by its sound: people type
// with pinyin input methods, so a wrong character is nearly always a same-sounding one (学识 for 学时, 正件 for
// 证件, 代办 for 待办). Sounds are compared without tones and with the flat/curled tongue (z/zh, c/ch, s/sh) and
// front/back nasal (in/ing, en/eng) told apart by nobody, which is how southern speakers and hurried typists type.

/** The sentence as matched: full-width folded (NFKC), lower case, only Han characters, letters and digits. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{Script=Han}a-z0-9]/gu, '');
}

const HAN = /\p{Script=Han}/u;

function looseSyllable(syllable: string): string {
  return syllable.replace(/^([zcs])h/, '$1').replace(/ng$/, 'n');
}

/** One loose syllable per character (letters and digits stand for themselves). */
export function soundsOf(normalized: string): string[] {
  const chars = [...normalized];
  let syllables = pinyin(normalized, { toneType: 'none', type: 'array' });
  // pinyin-pro gives one entry per character; should that ever not hold, read the characters one by one.
  if (syllables.length !== chars.length)
    syllables = chars.map((c) => pinyin(c, { toneType: 'none', type: 'array' })[0] ?? c);
  return syllables.map((s, i) => (HAN.test(chars[i]!) ? looseSyllable(s) : chars[i]!));
}

export interface PreparedText {
  chars: string[];
  sounds: string[];
}

export function prepareText(text: string): PreparedText {
  const normalized = normalizeText(text);
  return { chars: [...normalized], sounds: soundsOf(normalized) };
}

/** A pattern part, ready to compare: its characters and sounds. Cached, since the table is fixed. */
interface PreparedPart {
  chars: string[];
  sounds: string[];
  /** Sound matching only for parts of two or more characters with a Han one: one syllable has too many homophones. */
  bySound: boolean;
}

const partCache = new Map<string, PreparedPart>();

function preparePart(part: string): PreparedPart {
  let prepared = partCache.get(part);
  if (!prepared) {
    const normalized = normalizeText(part);
    const chars = [...normalized];
    prepared = { chars, sounds: soundsOf(normalized), bySound: chars.length >= 2 && HAN.test(normalized) };
    partCache.set(part, prepared);
  }
  return prepared;
}

const sameAt = (haystack: string[], needle: string[], at: number) =>
  needle.every((item, i) => haystack[at + i] === item);

/** Equal but for at most one position (a slip of the keyboard in a long word: 行刑衔节 for 行刑衔接). */
function nearlyAt(text: PreparedText, part: PreparedPart, at: number): boolean {
  let misses = 0;
  for (let i = 0; i < part.chars.length && misses < 2; i++) {
    if (text.chars[at + i] !== part.chars[i] && text.sounds[at + i] !== part.sounds[i]) misses++;
  }
  return misses < 2;
}

/** Where a part occurs from `start` on: by characters (weight 1), by sound (0.8), or, for a part of four
 *  characters or more, with one character wrong (0.6). */
function findPart(
  text: PreparedText,
  part: PreparedPart,
  start: number,
  nearly: boolean,
): { at: number; weight: number } | undefined {
  const last = text.chars.length - part.chars.length;
  for (let at = start; at <= last; at++) if (sameAt(text.chars, part.chars, at)) return { at, weight: 1 };
  if (!part.bySound) return undefined;
  for (let at = start; at <= last; at++) if (sameAt(text.sounds, part.sounds, at)) return { at, weight: 0.8 };
  if (!nearly || part.chars.length < 4) return undefined;
  for (let at = start; at <= last; at++) if (nearlyAt(text, part, at)) return { at, weight: 0.6 };
  return undefined;
}

/** A phrase whose parts held together earns this much per join, whatever lies between them. */
export const JOIN_BONUS = 0.5;

/** Parts of a phrase written 「学时…不够」 may have up to this many characters between them. */
export const MAX_GAP = 8;

export interface PatternMatch {
  /** Positions in the normalized text the pattern covers, each with the weight it earned there. */
  covered: Map<number, number>;
  /** JOIN_BONUS for each join of a phrase's parts. */
  bonus: number;
}

/**
 * Match a word, or a phrase whose parts are joined by 「…」 and must appear in that order with short gaps.
 * Tries each place the first part occurs, so 「学时…不够」 in 「学时呢,学时不够」 still matches. `nearly` also
 * accepts one wrong character in a part of four or more: for the keywords, whose every character is known.
 */
export function matchPattern(text: PreparedText, pattern: string, { nearly = false } = {}): PatternMatch | undefined {
  const parts = pattern.split('…').map(preparePart);
  if (parts.some((part) => part.chars.length === 0)) return undefined;
  for (let from = 0; from < text.chars.length; from++) {
    const first = findPart(text, parts[0]!, from, nearly);
    if (!first) return undefined;
    const covered = new Map<number, number>();
    const cover = (at: number, length: number, weight: number) => {
      for (let i = at; i < at + length; i++) covered.set(i, weight);
    };
    cover(first.at, parts[0]!.chars.length, first.weight);
    let end = first.at + parts[0]!.chars.length;
    let complete = true;
    for (const part of parts.slice(1)) {
      const next = findPart(text, part, end, nearly);
      if (!next || next.at - end > MAX_GAP) {
        complete = false;
        break;
      }
      cover(next.at, part.chars.length, next.weight);
      end = next.at + part.chars.length;
    }
    if (complete) return { covered, bonus: JOIN_BONUS * (parts.length - 1) };
    from = first.at;
  }
  return undefined;
}
