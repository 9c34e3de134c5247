-- One time index on "Message", not two: ("createdAt", "id") (search's newest-first walk, *_message_search_substrings)
-- also serves the retention sweep's range on "createdAt", which had an index of its own (*_account_safety). A send
-- wrote both; it now writes one (and 1M messages keep ~22 MiB less).
-- DropIndex
DROP INDEX "Message_createdAt_idx";
