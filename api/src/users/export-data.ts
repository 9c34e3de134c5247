// The account part of a user's data export (GET /export): the profile and the blocks they made.
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';

const PROFILE = statement(
  'export_profile',
  `SELECT "id", "username", "displayName", "createdAt" FROM "User" WHERE "id" = $1::uuid`,
  { id: col.uuid, username: col.text, displayName: col.text, createdAt: col.timestamptz },
);

const BLOCKS = statement(
  'export_blocks',
  `SELECT b."blockedId" AS "userId", u."username", u."displayName", b."createdAt"
   FROM "Block" b JOIN "User" u ON u."id" = b."blockedId" WHERE b."blockerId" = $1::uuid ORDER BY b."createdAt"`,
  { userId: col.uuid, username: col.text, displayName: col.text, createdAt: col.timestamptz },
);

export async function exportProfile(sql: Sql, userId: string) {
  return (await sql.query(PROFILE, [userId]))[0] ?? null;
}

/** Whom the user blocked (a short list: read at once). */
export const exportBlocks = (sql: Sql, userId: string) => sql.query(BLOCKS, [userId]);
