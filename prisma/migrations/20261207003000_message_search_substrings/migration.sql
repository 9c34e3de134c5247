-- Substrings inside words (issue #20: "dress" finds "address", "gram" finds "Telegram"). pg_trgm ships with
-- PostgreSQL's contrib (a trusted extension) and with PGlite (loaded by api/src/db/extensions.ts, like unaccent).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- A trigram index on the searchable form of the text (lower case, no accents: parley_search_text, the same
-- expression the search statement writes), so `parley_search_text("content") LIKE '%dress%'` is an index scan.
-- Like the word index it follows "content" by itself: an edit or a deletion (which blanks the text) updates it in
-- the same transaction.
CREATE INDEX "Message_search_trgm_idx" ON "Message" USING gin (public.parley_search_text("content") public.gin_trgm_ops);

-- Messages newest first (search's ORDER BY "createdAt" DESC, "id" DESC, read backwards): for a common word or
-- substring the planner walks it and stops after a page, instead of fetching and sorting every hit.
CREATE INDEX "Message_createdAt_id_idx" ON "Message"("createdAt", "id");
