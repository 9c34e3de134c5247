// Closing an account for good (deleteAccount): the user row stays — peers' histories refer to it — but as
// "Deleted user", with a username nobody can sign up with (so the old one is free again), no password (nobody can
// log in), and deletedAt set (search and sends leave it out). Their blocks, in both directions, go.
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';

export const DELETED_DISPLAY_NAME = 'Deleted user';

// $1 the user. "deleted-" and 32 hex digits: 40 characters, over sign-up's 32, so no sign-up can take it. `peers`:
// the users whose blocks with this one were removed (their block lists changed).
const CLOSE = statement(
  'users_close_account',
  `WITH closed AS (
     UPDATE "User" SET "username" = 'deleted-' || replace("id"::text, '-', ''), "displayName" = '${DELETED_DISPLAY_NAME}',
       "passwordHash" = '', "deletedAt" = now()
     WHERE "id" = $1::uuid AND "deletedAt" IS NULL
     RETURNING "id"
   ), unblocked AS (
     DELETE FROM "Block" WHERE ("blockerId" = $1::uuid OR "blockedId" = $1::uuid) AND EXISTS (SELECT 1 FROM closed)
     RETURNING CASE WHEN "blockerId" = $1::uuid THEN "blockedId" ELSE "blockerId" END AS "peerId"
   )
   SELECT EXISTS (SELECT 1 FROM closed) AS "closed",
     coalesce((SELECT json_agg(DISTINCT "peerId") FROM unblocked), '[]'::json) AS "peers"`,
  { closed: col.bool, peers: col.json<string[]>() },
);

/** Closes the account; `closed` false when it already was. */
export async function closeAccount(sql: Sql, userId: string): Promise<{ closed: boolean; peers: string[] }> {
  const [row] = await sql.query(CLOSE, [userId]);
  return row;
}
