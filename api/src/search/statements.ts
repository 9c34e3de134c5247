// The search statement, one per shape of query. Everything the query asks becomes one tsquery on the word index
// (parley_search_words): its word terms as they are, and each substring term as the words of the vocabulary
// ("SearchWord", a trigram index over distinct words) that contain it, ORed — a substring is always inside one word.
// The text is built only from fixed fragments and $n placeholders: user text is always a parameter.
//
// Two ways to the newest hits, chosen inside the statement (one round trip) by what it finds:
// - a common query: the viewer's newest WINDOW messages are read newest first (the (createdAt, id) index) and
//   filtered, stopping at a page of hits — first by a cheap LIKE on the searchable text for the words every hit must
//   contain, then by the tsquery on the row;
// - otherwise (fewer than a page of hits in the window): every hit from the word index (a bitmap scan), then the
//   page's newest. The window has shown the hits are rare, so there are few to fetch and sort. Materialized: else
//   the planner, which cannot see how rare the words are, could walk the time index here too.
// The match, the viewer's conversations (their Membership rows) and the keyset position are all in the same WHERE,
// so a cursor can only say where to continue, never widen what is searched. Newest first by (createdAt, id).
// Unnamed (no prepared statement): planned for each search with its own words and viewer, which folds the
// normalized patterns into constants (the vocabulary's trigram index needs them). Still one round trip.
import { statement, type RowOf, type Statement } from '../db/sql.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, MESSAGE_ROW } from '../chat/rows.ts';
import type { ParsedQuery } from './query.ts';

type Row = typeof MESSAGE_ROW;
export type Scope = 'all' | 'with';

/** How many of the viewer's newest messages are read before the word index is asked for every hit. */
export const WINDOW = 1000;

const SEARCH_WORDS = `public.parley_search_words(m."content")`;
const SEARCH_TEXT = `public.parley_search_text(m."content")`;
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

// The share of messages that hold every required word, from the word index's statistics (ANALYZE: the most common
// words and their shares, then the least and the greatest share; a word not among them is rarer than the least): 1, read the window, when there
// are no statistics (a new database, PGlite) or no required word.
const ESTIMATE = `estimate AS MATERIALIZED (
       SELECT coalesce(exp(sum(ln(greatest(f, 1e-9)))), 1) AS share FROM (
         SELECT greatest(
           (SELECT coalesce(sum(x.f), 0) FROM unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) x(e, f)
            WHERE x.e LIKE p),
           s.most_common_elem_freqs[cardinality(s.most_common_elem_freqs) - 1]) AS f
         FROM unnest((SELECT patterns FROM required)) p, pg_catalog.pg_stats s
         WHERE s.schemaname = 'public' AND s.tablename = 'Message_search_idx'
           AND s.most_common_elems IS NOT NULL
       ) words
     )`;

function text(scope: Scope, shape: string): string {
  // $1 the viewer, ($2, $3) the position to continue after, $4 rows, $5 the words every hit contains (text[]); with
  // a peer, $6/$7 the participant key of that one conversation; then the match's parameters in the order of the
  // shape (searchParams).
  let n = scope === 'with' ? 7 : 5;
  const next = () => `$${++n}`;
  const mine = `m."conversationId" IN (
           SELECT mb."conversationId" FROM "Membership" mb WHERE mb."userId" = $1::uuid${
             scope === 'with'
               ? ` AND mb."conversationId" = (
             SELECT c."id" FROM "Conversation" c WHERE c."userLowId" = $6::uuid AND c."userHighId" = $7::uuid)`
               : ''
           })
         AND (m."createdAt", m."id") < ($2::timestamptz, $3::uuid) AND m."deletedAt" IS NULL`;
  // The users are joined to the page only, not to every hit. Deleted messages (tombstones, their text blanked
  // anyway) are excluded with the viewer's conversations.
  return `WITH q AS MATERIALIZED (SELECT ${tsquery(shape, next)} AS q),
     required AS MATERIALIZED (
       SELECT array_agg('%' || ${escaped('w')} || '%') AS patterns FROM unnest($5::text[]) w
     ),
     ${ESTIMATE},
     recent AS MATERIALIZED (
       SELECT m."id", m."createdAt" FROM (
         SELECT * FROM "Message" m
         WHERE ${mine}
         ORDER BY m."createdAt" DESC, m."id" DESC
         LIMIT ${WINDOW}
       ) m
       WHERE (SELECT share FROM estimate) * ${WINDOW} >= $4::int
         AND ${SEARCH_TEXT} LIKE ALL (coalesce((SELECT patterns FROM required), '{}'))
         AND ${SEARCH_WORDS} @@ (SELECT q FROM q)
       LIMIT $4::int
     ),
     hits AS MATERIALIZED (
       SELECT * FROM recent WHERE (SELECT count(*) FROM recent) = $4::int
       UNION ALL
       SELECT m."id", m."createdAt" FROM "Message" m
       WHERE ${SEARCH_WORDS} @@ (SELECT q FROM q)
         AND ${mine}
         AND (SELECT count(*) FROM recent) < $4::int
     )
     SELECT ${MESSAGE_COLUMNS}
     FROM (SELECT * FROM hits ORDER BY "createdAt" DESC, "id" DESC LIMIT $4::int) h
     JOIN "Message" m ON m."id" = h."id" ${JOIN_USERS}
     ORDER BY m."createdAt" DESC, m."id" DESC`;
}

// The common shapes are made once, registered (the statement type test checks them) and reused; any other shape is
// built per search from the same fragments and not kept, so a stream of odd queries cannot grow the registry.
const made = new Map<string, Statement<RowOf<Row>>>();
const nameOf = (scope: Scope, shape: string) => `search_${scope}_${shape.replace(/\./g, '_') || 'none'}`;
const make = (scope: Scope, shape: string): Statement<RowOf<Row>> =>
  made.get(nameOf(scope, shape)) ?? {
    name: nameOf(scope, shape),
    text: text(scope, shape),
    columns: MESSAGE_ROW,
    prepared: false,
  };

/** The statement for a parsed query, and the match's parameters in its order. */
export function searchStatement(scope: Scope, q: ParsedQuery) {
  const params: string[] = [];
  if (q.tsquery !== null) params.push(q.tsquery);
  for (const clause of q.substrings) {
    if (clause.tsquery !== null) params.push(clause.tsquery);
    params.push(...clause.substrings);
  }
  return { statement: make(scope, shapeOf(q)), matchParams: params };
}

// The common shapes, made up front so the statement type test checks them: words only, one substring, two
// substrings (an AND), words and a substring, a clause of a phrase OR two substrings.
for (const scope of ['all', 'with'] as const)
  for (const shape of ['w', '.s', '.s.s', 'w.s', '.wss'])
    made.set(
      nameOf(scope, shape),
      statement(nameOf(scope, shape), text(scope, shape), MESSAGE_ROW, { prepared: false }),
    );
