/**
 * Tolerant name search, shared by the pupil and staff directories. Names are stored with a folded
 * search field ("zoe obrien o brien"); a query is folded the same way and each of its words must
 * start a word of that field, in any order. Folding here and matching in the store keeps search
 * one bounded, indexed query per school instead of a scan in TypeScript.
 */

/** Letters that NFKD leaves alone but that people type without their diacritic. */
const FOLDED_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

// Spaces, hyphens and dashes, commas and underscores separate words ("Smith-Jones" is two).
const SEPARATORS = /[\s,_\-‐‑‒–—]+/u;
// Apostrophes inside a name ("O'Brien", "D’Souza"): typed with or without, so both forms count.
const APOSTROPHE = /['’‘`ʼ]/u;
const APOSTROPHES = /['’‘`ʼ]/gu;
const MAX_QUERY_WORDS = 6;
const MAX_WORD_LENGTH = 40;

/** Lower case without accents, so "Zoë" and "ZOE" compare equal. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħ]/gu, (letter) => FOLDED_LETTERS[letter] ?? letter);
}

/**
 * The words stored for searching a person's names: every word folded, and for a word with an
 * apostrophe both the joined form ("obrien") and its parts ("o", "brien"). Deduplicated, in order.
 */
export function nameSearchWords(...names: readonly (string | undefined)[]): string[] {
  const words: string[] = [];
  for (const name of names) {
    if (!name) continue;
    for (const word of foldName(name).split(SEPARATORS)) {
      if (!word) continue;
      words.push(word.replace(APOSTROPHES, ''));
      if (APOSTROPHE.test(word)) words.push(...word.split(APOSTROPHE));
    }
  }
  return [...new Set(words.filter(Boolean))];
}

/**
 * The words of a search query, folded like names (apostrophes dropped, so "o'b" finds O'Brien).
 * Bounded: at most six words of 40 characters. Every other character is kept as typed, so "(" or
 * ".*" is searched for literally (see {@link wordPrefixPattern}) and simply matches no name.
 */
export function querySearchWords(query: string): string[] {
  const words = foldName(query.slice(0, 200))
    .replace(APOSTROPHES, '')
    .split(SEPARATORS)
    .filter(Boolean)
    .map((word) => word.slice(0, MAX_WORD_LENGTH));
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/**
 * A regular expression source matching a search field that has a word starting with `word`. Every
 * ASCII punctuation character is escaped, which both RE2 (FerretDB) and PCRE (MongoDB) read as a
 * literal, so user input can never act as a pattern.
 */
export function wordPrefixPattern(word: string): string {
  return `(?:^| )${word.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`)}`;
}

/** A folded sort key, so "Zoë" sorts with "Zoe" and case does not split the list. */
export function nameSortKey(...parts: readonly (string | undefined)[]): string {
  return parts
    .filter((p): p is string => Boolean(p))
    .map(foldName)
    .join(' ');
}

/**
 * A result limit as a whole number between 1 and max, so a caller's 0, NaN or 1e9 can never turn a
 * bounded query into an unbounded one.
 */
export function clampLimit(limit: number, max: number, fallback = 15): number {
  if (!Number.isFinite(limit)) return Math.min(fallback, max);
  return Math.min(Math.max(1, Math.floor(limit)), max);
}
