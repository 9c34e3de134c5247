// The search query language, as people type it, parsed into terms and turned into a tsquery built here — user text
// never reaches to_tsquery's own syntax: every word goes in quoted, between operators written by this module.
// - `coffee beans`: every term must match (AND); the last bare word as a prefix (`addr` finds "address");
// - a bare word of 3 characters or more (not quoted, not excluded) is also found inside words: a substring
//   (`dress` finds "address", `gram` finds "Telegram"): through the words that hold it (statements.ts); a quoted
//   `"word"` is whole;
// - `"quoted phrase"`: its words next to each other, in order (an unclosed quote runs to the end);
// - `-word`, `-"a phrase"`: excluded;
// - `tea OR coffee`: either (OR binds tighter than the implicit AND: `a OR b c` is (a or b) and c);
// - a term with punctuation inside (`john@mail.example`, `e-mail`, `v1.2`) is the phrase of its parts; in scripts
//   written without spaces (Chinese, Japanese, Korean, Thai…) every character is a word, so `東京` is a substring.
// Case and accents never matter: the database folds both sides (parley_search_text).
import { badInput } from '../errors.ts';
import { hasUnspaced, normalize, splitWords } from './words.ts';

export const MAX_QUERY_LENGTH = 200;

/** Bare words this long or longer are found inside words too (trigrams need three characters). */
export const MIN_SUBSTRING = 3;

/**
 * One term: words that must appear next to each other, in order. `prefix`: the last one may continue; `substring`:
 * its one word may be found anywhere inside a word (which covers the whole word and the prefix).
 */
export type Term = { words: string[]; negated: boolean; prefix: boolean; substring: boolean };
/** Terms of which one must match (OR); a query is clauses that must all match (AND). */
export type Clause = Term[];
/**
 * What the search statement matches, all of it ANDed: `tsquery`, the clauses without a substring term as one
 * tsquery of the word index (null when there are none); `substrings`, each other clause as its word terms (a
 * tsquery, or null) OR any of its substrings (on the trigram index).
 */
export type ParsedQuery = {
  clauses: Clause[];
  /** Words every hit holds (inside one of its words): of each clause of one term not excluded, its longest word. */
  required: string[];
  tsquery: string | null;
  substrings: { tsquery: string | null; substrings: string[] }[];
};

type Token = { kind: 'or' } | { kind: 'term'; text: string; quoted: boolean; negated: boolean };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i])) {
      i++;
      continue;
    }
    const negated = query[i] === '-' && i + 1 < query.length && !/[\s-]/.test(query[i + 1]);
    if (negated) i++;
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      const end = close < 0 ? query.length : close;
      tokens.push({ kind: 'term', text: query.slice(i + 1, end), quoted: true, negated });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < query.length && !/\s/.test(query[end]) && query[end] !== '"') end++;
    const text = query.slice(i, end);
    tokens.push(text === 'OR' && !negated ? { kind: 'or' } : { kind: 'term', text, quoted: false, negated });
    i = end;
  }
  return tokens;
}

/** Parses a query; BAD_USER_INPUT (argument `argument`) when it is empty, too long or has nothing to look for. */
export function parseQuery(query: string, argument = 'query'): ParsedQuery {
  const text = query.trim();
  if (!text) throw badInput('The search query is empty.', argument);
  if ([...text].length > MAX_QUERY_LENGTH)
    throw badInput(`The search query is longer than ${MAX_QUERY_LENGTH} characters.`, argument);

  const tokens = tokenize(text);
  const clauses: Clause[] = [];
  const lastTerm = tokens.map((token) => token.kind).lastIndexOf('term');
  let joinNext = false;
  tokens.forEach((token, index) => {
    if (token.kind === 'or') {
      joinNext = clauses.length > 0; // a leading or trailing OR joins nothing: ignored
      return;
    }
    const words = splitWords(token.text).map((w) => token.text.slice(w.start, w.end));
    if (!words.length) return; // only punctuation: nothing to look for
    const last = index === lastTerm;
    const prefix = last && !token.quoted && !token.negated && !hasUnspaced(words[words.length - 1]);
    const substring =
      words.length === 1 &&
      !token.quoted &&
      !token.negated &&
      !hasUnspaced(words[0]) &&
      [...words[0]].length >= MIN_SUBSTRING;
    const term = { words, negated: token.negated, prefix, substring };
    if (joinNext) clauses[clauses.length - 1].push(term);
    else clauses.push([term]);
    joinNext = false;
  });
  if (!clauses.some((clause) => clause.every((term) => !term.negated)))
    throw badInput('The search query has nothing to look for: add a word that is not excluded.', argument);
  const wordClauses = clauses.filter((clause) => !clause.some((term) => term.substring));
  return {
    clauses,
    required: clauses
      .filter((clause) => clause.length === 1 && !clause[0].negated)
      .map(([term]) => term.words.reduce((a, b) => ([...b].length > [...a].length ? b : a))),
    tsquery: wordClauses.length ? wordClauses.map(clauseQuery).join(' & ') : null,
    substrings: clauses
      .filter((clause) => clause.some((term) => term.substring))
      .map((clause) => {
        const words = clause.filter((term) => !term.substring);
        return {
          tsquery: words.length ? clauseQuery(words) : null,
          substrings: clause.filter((term) => term.substring).map((term) => term.words[0]),
        };
      }),
  };
}

const lexeme = (word: string) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

function termQuery(term: Term): string {
  const words = term.words.map(lexeme);
  if (term.prefix) words[words.length - 1] += ':*';
  const phrase = words.length > 1 ? `(${words.join(' <-> ')})` : words[0];
  return term.negated ? `!${phrase}` : phrase;
}

const clauseQuery = (clause: Clause) =>
  clause.length > 1 ? `(${clause.map(termQuery).join(' | ')})` : termQuery(clause[0]);

/** The words of the terms that are looked for (not excluded), in their searchable form, for highlighting. */
export function wantedTerms(parsed: ParsedQuery): { words: string[]; prefix: boolean; substring: boolean }[] {
  return parsed.clauses
    .flat()
    .flatMap((term) =>
      term.negated ? [] : [{ words: term.words.map(normalize), prefix: term.prefix, substring: term.substring }],
    );
}
