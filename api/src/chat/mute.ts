// setConversationMuted: a member's flag on their Membership row (per user and peer: one conversation per pair).
// A muted conversation sends that member no Web Push (the push trigger reads the flag in the send's transaction);
// its unread count still counts.
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import { notFound } from '../errors.ts';
import { parseOtherUser, participantKey } from './conversation.ts';
import { conversationWith } from './inbox.ts';
import type { ConversationView } from './types.ts';

// $1 viewer, $2/$3 the participant key, $4 muted.
export const SET_MUTED = statement(
  'chat_set_muted',
  `UPDATE "Membership" SET "muted" = $4::boolean
   WHERE "userId" = $1::uuid
     AND "conversationId" = (SELECT "id" FROM "Conversation" WHERE "userLowId" = $2::uuid AND "userHighId" = $3::uuid)
   RETURNING "conversationId"`,
  { conversationId: col.uuid },
);

export async function setConversationMuted(
  sql: Sql,
  viewerId: string,
  args: { withUserId: string; muted: boolean },
): Promise<ConversationView> {
  const peerId = parseOtherUser(viewerId, args.withUserId, 'withUserId');
  const { userLowId, userHighId } = participantKey(viewerId, peerId);
  await sql.query(SET_MUTED, [viewerId, userLowId, userHighId, args.muted]);
  // NOT_FOUND (no such user) comes from conversationWith; no conversation yet: nothing to mute.
  const view = await conversationWith(sql, viewerId, peerId);
  if (!view) throw notFound('You have no conversation with withUserId yet (it starts with its first message).');
  return view;
}
