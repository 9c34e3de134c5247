-- Substrings found through the words (issue #20's speed targets). The trigram index over every message's text
-- cost ~30% of send throughput (one GIN entry per trigram of each message) and a substring search read and rechecked
-- every candidate row. Instead: the vocabulary, every distinct word the word index holds (parley_search_words), with
-- a trigram index over the words only. A substring ("dress") is looked up there ("address", "addressed"), and the
-- messages are found by those words on the word index: a substring is always inside one word, since the query keeps
-- a substring only for a single word without separators (api/src/search/query.ts).
--
-- The vocabulary only grows: a word of an edited or deleted message stays (it then matches no message: the word index
-- decides what is found), so an edit or a deletion costs nothing here, and a send only looks its words up.
CREATE TABLE "SearchWord" (
    "word" TEXT NOT NULL,

    CONSTRAINT "SearchWord_pkey" PRIMARY KEY ("word")
);

-- The words are in the searchable form already (lower case, no accents): parley_search_text leaves them as they are,
-- and is written here because the drift check ignores expression indexes (Prisma cannot describe a trigram index).
CREATE INDEX "SearchWord_trgm_idx" ON "SearchWord" USING gin (public.parley_search_text("word") public.gin_trgm_ops);

-- A message's new words, in the same transaction as the message (insert, or an edit of its text). In order, so two
-- sends with the same new words wait for each other instead of deadlocking.
CREATE FUNCTION public.parley_search_learn() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO "SearchWord" ("word")
    SELECT w FROM unnest(tsvector_to_array(public.parley_search_words(NEW."content"))) w ORDER BY w
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Message_search_learn" AFTER INSERT OR UPDATE OF "content" ON "Message"
  FOR EACH ROW EXECUTE FUNCTION public.parley_search_learn();

INSERT INTO "SearchWord" ("word")
  SELECT DISTINCT unnest(tsvector_to_array(public.parley_search_words("content"))) FROM "Message"
  ON CONFLICT DO NOTHING;

DROP INDEX IF EXISTS "Message_search_trgm_idx";
