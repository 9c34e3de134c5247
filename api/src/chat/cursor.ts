// Opaque message cursors: base64url("<conversationId>:<seq>"). `seq` is the message's position in its
// conversation, handed out in commit order, so "after this cursor" never skips a row committed later.
import { badInput } from '../errors.ts';

export type MessagePosition = { conversationId: string; seq: number };

/** Positions are PostgreSQL integers: a larger one was not made here. */
const MAX_SEQ = 2_147_483_647;

export function encodeMessageCursor(m: MessagePosition): string {
  return Buffer.from(`${m.conversationId}:${m.seq}`).toString('base64url');
}

export function decodeMessageCursor(cursor: string, argument: string): MessagePosition {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^([0-9a-f-]{36}):(\d{1,10})$/.exec(decoded);
  if (!match || Number(match[2]) > MAX_SEQ)
    throw badInput(`${argument} is not a cursor returned by this API.`, argument);
  return { conversationId: match[1], seq: Number(match[2]) };
}

/** The cursor's position, once it is known to be in `conversationId` (null: the two have no conversation yet). */
export function seqIn(position: MessagePosition, conversationId: string | null, argument: string): number {
  if (position.conversationId !== conversationId)
    throw badInput(`${argument} is a cursor from another conversation.`, argument);
  return position.seq;
}

/** A position in a conversation's change log (Message.updateCursor, Conversation.updateCursor). */
export type ChangePosition = { conversationId: string; changeSeq: number };

// base64url("u:<conversationId>:<changeSeq>"): the prefix keeps them apart from message cursors.
export function encodeChangeCursor(p: ChangePosition): string {
  return Buffer.from(`u:${p.conversationId}:${p.changeSeq}`).toString('base64url');
}

export function decodeChangeCursor(cursor: string, argument: string): ChangePosition {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^u:([0-9a-f-]{36}):(\d{1,10})$/.exec(decoded);
  if (!match || Number(match[2]) > MAX_SEQ)
    throw badInput(`${argument} is not an updateCursor returned by this API.`, argument);
  return { conversationId: match[1], changeSeq: Number(match[2]) };
}
