// A conversation is identified by its two participants, stored in a fixed order so each pair has one row.
import { badInput } from '../errors.ts';
import { parseId } from './validation.ts';

export type ParticipantKey = { userLowId: string; userHighId: string };

export function participantKey(a: string, b: string): ParticipantKey {
  return a < b ? { userLowId: a, userHighId: b } : { userLowId: b, userHighId: a };
}

/** An argument naming the other participant, checked for shape (whether that user exists is each statement's
 * business, so it costs no extra round trip). */
export function parseOtherUser(viewerId: string, value: string, argument: string): string {
  const otherId = parseId(value, argument, 'user id');
  if (otherId === viewerId)
    throw badInput(`${argument} is you: conversations are between two different users.`, argument);
  return otherId;
}

export const NO_SUCH_USER = (argument: string) => `No user has the id given in ${argument}.`;
