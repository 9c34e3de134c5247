// The search statement, one per shape of query. Everything the query asks becomes one tsquery on the word index
// (parley_search_words): its word terms as they are, and each substring term as the words of the vocabulary
// ("SearchWord", a trigram index over distinct words) that contain it, ORed — a substring is always inside one word.
// The text is built only from fixed fragments and $n placeholders: user text is always a parameter.
//
// Two ways to the newest hits (Way), chosen by how common the words every hit must contain are (word-shares.ts,
// from the word index's statistics):
// - 'window', a common query: the viewer's newest messages (as many as chosen with the way) are read newest first
//   (the (createdAt, id) index) and filtered, stopping at a page of hits — first by a cheap LIKE on the searchable
//   text for the words every hit must contain, then by the tsquery on the row; when the window holds fewer than a
//   page of hits, the statement goes on the other way (one round trip either way, the same hits);
// - 'index', a rare query: every hit from the word index (a bitmap scan), then the page's newest. There are few
//   hits to fetch and sort. Materialized: else the planner, which cannot see how rare the words are, could walk
//   the time index here too.
// The match, the viewer's conversations (their Membership rows) and the keyset position are all in the same WHERE,
// so a cursor can only say where to continue, never widen what is searched. Newest first by (createdAt, id).
// Unnamed (no prepared statement): planned for each search with its own words and viewer, which folds the
// normalized patterns into constants (the vocabulary's trigram index needs them). Still one round trip.
import { statement, type RowOf, type Statement } from '../db/sql.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, MESSAGE_ROW } from '../chat/rows.ts';
import type { ParsedQuery } from './query.ts';

type Row = typeof MESSAGE_ROW;
export type Scope = 'all' | 'with';

const SEARCH_WORDS = `public.parley_search_words(m."content")`;
// The searchable form of the text, as the window filters it: an ASCII text (as many bytes as characters) is only
// lower-cased — unaccent changes no ASCII character (no rule of unaccent.rules starts with one; Turkish "I" lowers
// to "ı", which unaccent makes "i") — at a quarter of the cost of folding it (0.8 against 3.2 µs a message).
const SEARCH_TEXT = `CASE WHEN octet_length(m."content") = char_length(m."content") THEN lower(m."content" COLLATE "C")
         ELSE public.parley_search_text(m."content") END`;
// A word in the searchable form, its LIKE wildcards escaped (a word holds none today: they separate words).
const escaped = (e: string) => `replace(replace(replace(public.parley_search_text(${e}),
     '\\', '\\\\'), '%', '\\%'), '_', '\\_')`;
// A word part (the query's own tsquery syntax, built by query.ts) as tsquery text; null when it has no lexeme.
const wordsText = (p: string) =>
  `'(' || nullif(to_tsquery('pg_catalog.simple', public.parley_search_text(${p}::text))::text, '') || ')'`;
// The words of the vocabulary that contain a substring, each as a quoted lexeme.
const substringText = (p: string) => `SELECT '''' || replace(replace(v."word", '\\', '\\\\'), '''', '''''') || ''''
           FROM "SearchWord" v
           WHERE public.parley_search_text(v."word") LIKE '%' || ${escaped(`${p}::text`)} || '%'`;

/** A query's shape: whether it has a words part, and per substring clause its word part and substrings. */
const shapeOf = (q: ParsedQuery) =>
  [
    q.tsquery === null ? '' : 'w',
    ...q.substrings.map((c) => (c.tsquery === null ? '' : 'w') + 's'.repeat(c.substrings.length)),
  ].join('.');

/** The whole match as one tsquery: the words part AND each clause; null (no hit) when a clause has no word. */
function tsquery(shape: string, next: () => string): string {
  const [head, ...clauses] = shape.split('.');
  const parts = [
    ...(head ? [`to_tsquery('pg_catalog.simple', public.parley_search_text(${next()}::text))`] : []),
    ...clauses.map((clause) => {
      const any = [...clause].map((kind) => (kind === 'w' ? `SELECT ${wordsText(next())}` : substringText(next())));
      return `(SELECT string_agg(t, ' | ')::tsquery FROM (
         ${any.join('\n         UNION ALL ')}) x(t))`;
    }),
  ];
  return parts.join(' && ');
}

/** The two ways to the newest hits: the newest messages first (common words), or every hit of the word index. */
export type Way = 'window' | 'index';

function text(scope: Scope, shape: string, way: Way): string {
  // $1 the viewer, ($2, $3) the position to continue after, $4 rows; with a peer, $5/$6 the participant key of that
  // one conversation; the window's way, then how many of the newest messages to read and the words every hit
  // contains (text[]); then the match's parameters in the order of the shape (searchParams).
  let n = 4;
  const next = () => `$${++n}`;
  const peer = scope === 'with' ? [next(), next()] : [];
  const mine = `m."conversationId" IN (
           SELECT mb."conversationId" FROM "Membership" mb WHERE mb."userId" = $1::uuid${
             scope === 'with'
               ? ` AND mb."conversationId" = (
             SELECT c."id" FROM "Conversation" c WHERE c."userLowId" = ${peer[0]}::uuid AND c."userHighId" = ${peer[1]}::uuid)`
               : ''
           })
         AND (m."createdAt", m."id") < ($2::timestamptz, $3::uuid) AND m."deletedAt" IS NULL`;
  const [window, required] = way === 'window' ? [next(), next()] : [];
  const q = `q AS MATERIALIZED (SELECT ${tsquery(shape, next)} AS q)`;
  const everyHit = `SELECT m."id", m."createdAt" FROM "Message" m
       WHERE ${SEARCH_WORDS} @@ (SELECT q FROM q)
         AND ${mine}`;
  // The users are joined to the page only, not to every hit. Deleted messages (tombstones, their text blanked
  // anyway) are excluded with the viewer's conversations.
  const page = `SELECT ${MESSAGE_COLUMNS}
     FROM (SELECT * FROM hits ORDER BY "createdAt" DESC, "id" DESC LIMIT $4::int) h
     JOIN "Message" m ON m."id" = h."id" ${JOIN_USERS}
     ORDER BY m."createdAt" DESC, m."id" DESC`;
  if (way === 'index')
    return `WITH ${q},
     hits AS MATERIALIZED (
       ${everyHit}
     )
     ${page}`;
  return `WITH ${q},
     recent AS MATERIALIZED (
       SELECT m."id", m."createdAt" FROM (
         SELECT m."id", m."createdAt", m."content" FROM "Message" m
         WHERE ${mine}
         ORDER BY m."createdAt" DESC, m."id" DESC
         LIMIT ${window}::int
       ) m
       WHERE ${SEARCH_TEXT} LIKE ALL (ARRAY(SELECT '%' || ${escaped('w')} || '%' FROM unnest(${required}::text[]) w))
         AND ${SEARCH_WORDS} @@ (SELECT q FROM q)
       LIMIT $4::int
     ),
     hits AS MATERIALIZED (
       SELECT * FROM recent WHERE (SELECT count(*) FROM recent) = $4::int
       UNION ALL
       ${everyHit}
         AND (SELECT count(*) FROM recent) < $4::int
     )
     ${page}`;
}

// The common shapes are made once, registered (the statement type test checks them) and reused; any other shape is
// built per search from the same fragments and not kept, so a stream of odd queries cannot grow the registry.
const made = new Map<string, Statement<RowOf<Row>>>();
const nameOf = (scope: Scope, shape: string, way: Way) =>
  `search_${scope}_${way}_${shape.replace(/\./g, '_') || 'none'}`;
const make = (scope: Scope, shape: string, way: Way): Statement<RowOf<Row>> =>
  made.get(nameOf(scope, shape, way)) ?? {
    name: nameOf(scope, shape, way),
    text: text(scope, shape, way),
    columns: MESSAGE_ROW,
    prepared: false,
  };

/**
 * The statement for a parsed query and the way chosen, and its parameters after the viewer, position, rows and
 * peer: for the window's way the window and the words every hit contains, then the match's parameters in order.
 */
export function searchStatement(scope: Scope, q: ParsedQuery, way: Way, window: number) {
  const params: unknown[] = way === 'window' ? [window, q.required] : [];
  if (q.tsquery !== null) params.push(q.tsquery);
  for (const clause of q.substrings) {
    if (clause.tsquery !== null) params.push(clause.tsquery);
    params.push(...clause.substrings);
  }
  return { statement: make(scope, shapeOf(q), way), matchParams: params };
}

// The common shapes, made up front so the statement type test checks them: words only, one substring, two
// substrings (an AND), words and a substring, a clause of a phrase OR two substrings.
for (const scope of ['all', 'with'] as const)
  for (const way of ['window', 'index'] as const)
    for (const shape of ['w', '.s', '.s.s', 'w.s', '.wss'])
      made.set(
        nameOf(scope, shape, way),
        statement(nameOf(scope, shape, way), text(scope, shape, way), MESSAGE_ROW, { prepared: false }),
      );
