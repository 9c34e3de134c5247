// addReaction and removeReaction: either participant's emoji on a message, one statement each (see changes.ts).
// Reactions live on the message row as [{ emoji, userIds }] in the order each emoji was first added; the update is
// computed from the row's latest version, so concurrent reactions from both sides both stay. Both idempotent;
// never on a tombstone; at most MAX_EMOJI distinct emoji on a message.
import emojiRegex from 'emoji-regex';
import { badInput } from '../errors.ts';
import { changeStatement, noSuchMessage, publishChange } from './changes.ts';
import type { ChangeDeps } from './edit.ts';
import { toChatMessage } from './rows.ts';
import type { ChatMessage } from './types.ts';
import { parseId } from './validation.ts';

export const MAX_EMOJI = 20;

// One emoji and nothing else: the maintained Unicode emoji grammar (RGI sequences, ZWJ, flags, skin tones) of the
// emoji-regex package, anchored.
const base = emojiRegex();
const ONE_EMOJI = new RegExp(`^(?:${base.source})$`, base.flags.replace('g', ''));

export function parseEmoji(value: string): string {
  if (value.length > 64 || !ONE_EMOJI.test(value)) throw badInput('emoji must be exactly one emoji.', 'emoji');
  return value;
}

const has = (r: string, who: string) =>
  `EXISTS (SELECT 1 FROM jsonb_array_elements(${r}."reactions") e
           WHERE e->>'emoji' = $3::text${who ? ` AND e->'userIds' @> jsonb_build_array(${who})` : ''})`;

// $3 emoji.
export const ADD_REACTION = changeStatement('chat_react', {
  when: `t."deletedAt" IS NULL AND NOT ${has('t', '$1::text')}
         AND (${has('t', '')} OR jsonb_array_length(t."reactions") < ${MAX_EMOJI})`,
  set: `"reactions" = CASE
          WHEN ${has('x', '')} THEN (
            SELECT jsonb_agg(CASE WHEN e->>'emoji' = $3::text AND NOT e->'userIds' @> jsonb_build_array($1::text)
                                  THEN jsonb_set(e, '{userIds}', (e->'userIds') || jsonb_build_array($1::text))
                                  ELSE e END ORDER BY i)
            FROM jsonb_array_elements(x."reactions") WITH ORDINALITY AS r(e, i))
          WHEN jsonb_array_length(x."reactions") < ${MAX_EMOJI}
            THEN x."reactions" || jsonb_build_array(jsonb_build_object('emoji', $3::text, 'userIds', jsonb_build_array($1::text)))
          ELSE x."reactions" END`,
  still: `x."deletedAt" IS NULL`,
});

export const REMOVE_REACTION = changeStatement('chat_unreact', {
  when: `t."deletedAt" IS NULL AND ${has('t', '$1::text')}`,
  set: `"reactions" = COALESCE((
          SELECT jsonb_agg(CASE WHEN e->>'emoji' = $3::text THEN jsonb_set(e, '{userIds}', (e->'userIds') - $1::text)
                                ELSE e END ORDER BY i)
          FROM jsonb_array_elements(x."reactions") WITH ORDINALITY AS r(e, i)
          WHERE NOT (e->>'emoji' = $3::text AND e->'userIds' = jsonb_build_array($1::text))), '[]'::jsonb)`,
  still: `x."deletedAt" IS NULL`,
});

export type ReactionArgs = { messageId: string; emoji: string };

async function react(deps: ChangeDeps, viewerId: string, args: ReactionArgs, adding: boolean): Promise<ChatMessage> {
  const id = parseId(args.messageId, 'messageId', 'message id');
  const emoji = parseEmoji(args.emoji);
  const [row] = await deps.sql.query(adding ? ADD_REACTION : REMOVE_REACTION, [viewerId, id, emoji]);
  if (!row) throw noSuchMessage('messageId');
  const message = toChatMessage(row);
  if (row.changed) {
    publishChange(deps.pubsub, message);
    return message;
  }
  if (message.deletedAt) throw badInput('The message was deleted: it takes no reactions.', 'messageId');
  const group = message.reactions.find((r) => r.emoji === emoji);
  if (adding && !group?.userIds.includes(viewerId)) {
    if (!group && message.reactions.length >= MAX_EMOJI) {
      throw badInput(`A message has at most ${MAX_EMOJI} different emoji.`, 'emoji');
    }
    throw badInput('The message was deleted: it takes no reactions.', 'messageId'); // deleted meanwhile
  }
  return message; // already there (adding) or not there (removing): nothing to do
}

export const addReaction = (deps: ChangeDeps, viewerId: string, args: ReactionArgs) =>
  react(deps, viewerId, args, true);
export const removeReaction = (deps: ChangeDeps, viewerId: string, args: ReactionArgs) =>
  react(deps, viewerId, args, false);
