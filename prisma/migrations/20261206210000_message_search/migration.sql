-- Full-text search over messages (issue #20). Prisma cannot describe functions or expression indexes: they live in
-- this migration only, and the drift check ignores them.
--
-- unaccent ships with PostgreSQL's contrib (a trusted extension: a database owner may create it) and with PGlite
-- (loaded by api/src/db). Its dictionary is named explicitly so the functions below do not depend on search_path.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- The searchable form of a text: lower-cased, accents removed ("Café" → "cafe"). unaccent() is only STABLE (its
-- dictionary could change); this wrapper is IMMUTABLE so it can be indexed — the standard pattern.
CREATE FUNCTION public.parley_search_text(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, lower($1)) $$;

-- The words of a text, as a `simple` tsvector (no stemming, no stop words): punctuation, symbols and spaces separate
-- words ("john@mail.example" is john, mail, example; "e-mail" is e, mail), and every character of a script written
-- without spaces (Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar) is a word of its own, so a run of them is
-- found as a phrase of single characters: a substring. The same two classes are in api/src/search/words.ts, which
-- splits queries and finds highlights; change them together (in a new migration that rebuilds the index).
CREATE FUNCTION public.parley_search_words(text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT to_tsvector('pg_catalog.simple', regexp_replace(regexp_replace(public.parley_search_text($1),
    '[\u0000-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u2000-\u2bff\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\U0001f000-\U0001faff]+',
    ' ', 'g'),
    '([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff])',
    ' \1 ', 'g')) $$;

-- The index follows "content" by itself: an edit or a blanked (deleted) message updates its entry in the same
-- transaction. GIN serves words, prefixes (:*), phrases (<->, rechecked on the row), OR and exclusion.
CREATE INDEX "Message_search_idx" ON "Message" USING gin (public.parley_search_words("content"));
