// How search sees a text: the same split as the database's parley_search_words() (prisma/migrations/
// *_message_search), so a query is cut into the words the index holds and highlights land on what matched.
// - separators: ASCII punctuation, symbols and spaces, Latin-1 punctuation, general punctuation, arrows, maths and
//   other symbols (U+2000–U+2BFF), CJK punctuation, full-width punctuation, emoji;
// - scripts written without spaces (Thai, Lao, Myanmar, Khmer, kana, CJK ideographs, Hangul, half-width kana): each
//   character is a word of its own, so a run of them is found as a phrase of single characters — a substring.
// Change these together with a migration that redefines the SQL function (and so rebuilds the index).

const SEPARATOR =
  /[\u0000-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u2000-\u2bff\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u{1f000}-\u{1faff}]/u;
const UNSPACED =
  /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2ffff}]/u;

/** One word of a text: its place in the original string (UTF-16 offsets) and its searchable form. */
export type Word = { start: number; end: number; norm: string };

/**
 * The searchable form of a text: lower case without accents. An approximation in JavaScript of the database's
 * unaccent(lower(...)) — the database decides what matches; this only places highlights.
 */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøłđþ]/g, (c) => FOLDS[c]);
}

const FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', þ: 'th' };

/**
 * The searchable form of a text with, for each of its UTF-16 units, where the character it came from starts and
 * ends in the text: a match found in the searchable form is placed back on the original ("dress" in "ADDRESS").
 */
export function normalizeMapped(text: string): { norm: string; starts: number[]; ends: number[] } {
  let norm = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const folded = normalize(ch);
    norm += folded;
    for (let k = 0; k < folded.length; k++) {
      starts.push(i);
      ends.push(i + ch.length);
    }
    i += ch.length;
  }
  return { norm, starts, ends };
}

/** The words of a text, in order. */
export function splitWords(text: string): Word[] {
  const words: Word[] = [];
  let start = -1;
  const close = (end: number) => {
    if (start >= 0) words.push({ start, end, norm: normalize(text.slice(start, end)) });
    start = -1;
  };
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (SEPARATOR.test(ch)) close(i);
    else if (UNSPACED.test(ch)) {
      close(i);
      words.push({ start: i, end: i + ch.length, norm: normalize(ch) });
    } else if (start < 0) start = i;
    i += ch.length;
  }
  close(text.length);
  return words;
}

/** True when the text has a character of a script written without spaces (its words are single characters). */
export const hasUnspaced = (text: string) => UNSPACED.test(text);
