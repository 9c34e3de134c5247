// A search hit's snippet: a window of the message around its first match, and where the matches are inside it as
// UTF-16 offsets (JavaScript string indices), so a client marks them without parsing any markup.
import { normalizeMapped, splitWords, type Word } from './words.ts';

export type TextRange = { start: number; length: number };
export type Snippet = { snippet: string; highlights: TextRange[] };
/** `substring`: its one word may be found inside words (query.ts); then only that part of the word is marked. */
export type WantedTerm = { words: string[]; prefix: boolean; substring?: boolean };

/** The longest snippet, in UTF-16 code units (ellipses excluded). */
export const SNIPPET_LENGTH = 160;
/** The most highlights a snippet has (the rest of its matches are not marked). */
export const MAX_HIGHLIGHTS = 20;
/** How much text comes before the first match, at most. */
const LEAD = 40;
const ELLIPSIS = '…';

/** Where the wanted terms occur in the text, in order, without overlaps. */
export function findMatches(text: string, terms: readonly WantedTerm[]): { start: number; end: number }[] {
  const words = splitWords(text);
  const found: { start: number; end: number }[] = [];
  for (const term of terms) {
    const n = term.words.length;
    for (let i = 0; i + n <= words.length; i++) {
      const at = (j: number) => {
        const norm = words[i + j].norm;
        const want = term.words[j];
        return j === n - 1 && term.prefix ? norm.startsWith(want) : norm === want;
      };
      let all = true;
      for (let j = 0; j < n && all; j++) all = at(j);
      if (all) found.push({ start: words[i].start, end: words[i + n - 1].end });
      else if (term.substring && n === 1) found.push(...inside(text, words[i], term.words[0]));
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number }[] = [];
  for (const range of found) {
    const prev = merged[merged.length - 1];
    if (prev && range.start <= prev.end) prev.end = Math.max(prev.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Where `want` (searchable form) occurs inside a word, as ranges of the original text. */
function inside(text: string, word: Word, want: string): { start: number; end: number }[] {
  if (!want || !word.norm.includes(want)) return [];
  const { norm, starts, ends } = normalizeMapped(text.slice(word.start, word.end));
  const ranges: { start: number; end: number }[] = [];
  for (let at = norm.indexOf(want); at >= 0; at = norm.indexOf(want, at + want.length))
    ranges.push({ start: word.start + starts[at], end: word.start + ends[at + want.length - 1] });
  return ranges;
}

/** Moves an offset off the second half of a surrogate pair (never cut a character in two). */
const whole = (text: string, at: number) =>
  at > 0 && at < text.length && /[\udc00-\udfff]/.test(text[at]) ? at - 1 : at;

export function makeSnippet(text: string, terms: readonly WantedTerm[]): Snippet {
  const matches = findMatches(text, terms);
  let start = 0;
  if (text.length > SNIPPET_LENGTH && matches.length) {
    start = Math.max(0, Math.min(matches[0].start - LEAD, text.length - SNIPPET_LENGTH));
    // Start at a word when one begins close by, rather than in the middle of one.
    const space = text.slice(start, matches[0].start).search(/\s\S/);
    if (start > 0 && space >= 0 && space < LEAD / 2) start += space + 1;
  }
  start = whole(text, start);
  const end = whole(text, Math.min(text.length, start + SNIPPET_LENGTH));
  const before = start > 0 ? ELLIPSIS : '';
  const snippet = before + text.slice(start, end) + (end < text.length ? ELLIPSIS : '');
  const shift = before.length - start;
  const highlights = matches
    .filter((m) => m.start < end && m.end > start)
    .map((m) => {
      const from = Math.max(m.start, start);
      return { start: from + shift, length: Math.min(m.end, end) - from };
    })
    .slice(0, MAX_HIGHLIGHTS);
  return { snippet, highlights };
}
