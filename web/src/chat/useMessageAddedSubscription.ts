import { useSubscription } from '@apollo/client/react';
import { graphql } from '../gql';
import type { MessageAddedSubscriptionVariables } from '../gql/graphql';
import { appendMessageToConversation } from './conversationCache';
import { outboxFor } from './outbox';
import { deliveredResumeCursor } from './resumeCursor';

const MessageAddedSubscription = graphql(`
  subscription MessageAdded($withUserId: ID, $after: String) {
    messageAdded(withUserId: $withUserId, after: $after) {
      id
      clientMessageId
      cursor
      sender {
        id
      }
      recipient {
        id
      }
      ...ConversationView_message
    }
  }
`);

interface MessageAddedOptions {
  /** Only this conversation (the catch-up, chat/useCatchUp.ts); omit for every message involving the viewer. */
  withUserId?: string;
  /**
   * With withUserId: a chatHistory cursor (useResumeCursor); the server first
   * replays every stored message after it, then goes live.
   */
  after?: string;
  skip?: boolean;
  /**
   * With withUserId: `onMet` is called when this stream delivers a message the all-conversations stream delivered
   * after `since` (a `streamsMeet.mark()` taken as this stream started), or the reverse: from there on that one
   * carries the conversation (see `streamsMeet`).
   */
  meet?: { since: () => number; onMet(): void };
}

function messageAddedVariables(options: MessageAddedOptions): MessageAddedSubscriptionVariables {
  return { withUserId: options.withUserId ?? null, after: options.withUserId ? (options.after ?? null) : null };
}

/**
 * Where the two streams meet. The all-conversations stream delivers, within its life, every message after its
 * starting point in order; a catch-up delivers every message after its `after` in order. Once the catch-up delivers
 * one the other stream delivered *after the catch-up started* (not one it delivered before an outage), nothing
 * between is missing and the other stream carries everything after it: the catch-up can stop. Bounded: only the
 * latest deliveries are remembered.
 */
const REMEMBERED = 500;
let deliveries = 0;
/** Message id → when (a count of deliveries) the all-conversations stream delivered it. */
const byAll = new Map<string, number>();
/** Message id → the catch-up that delivered it first, waiting for the other stream. */
const waiting = new Map<string, () => void>();
const remember = <V>(map: Map<string, V>, id: string, value: V) => {
  map.set(id, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value!);
};
export const streamsMeet = {
  /** A catch-up (re)starts now: only what the other stream delivers from here on counts. */
  mark: () => deliveries,
  deliveredByAll(id: string) {
    remember(byAll, id, ++deliveries);
    const met = waiting.get(id);
    waiting.delete(id);
    met?.();
  },
  deliveredByCatchUp(id: string, since: number, onMet: () => void) {
    if ((byAll.get(id) ?? -1) > since) onMet();
    else remember(waiting, id, onMet);
  },
};

/**
 * Live messages: each one is written to the cache by Apollo and added to its
 * conversation (keyed by the *other* participant), so open conversations
 * update without refetching. Replays of messages we hold are no-ops.
 */
export function useMessageAddedSubscription(viewerId: string, options: MessageAddedOptions = {}) {
  return useSubscription(MessageAddedSubscription, {
    variables: messageAddedVariables(options),
    skip: options.skip,
    onData({ client, data }) {
      const message = data.data?.messageAdded;
      if (!message) return;
      const mine = message.sender.id === viewerId;
      const peerId = mine ? message.recipient.id : message.sender.id;
      appendMessageToConversation(client.cache, peerId, message, deliveredResumeCursor(message, options, peerId));
      // Our own message, stored: whatever happened to the mutation's answer
      // (lost in an outage, another tab sent it), it needs no more sending.
      if (mine) outboxFor(viewerId).acknowledge(message.clientMessageId);
      if (!options.withUserId) streamsMeet.deliveredByAll(message.id);
      else if (options.meet) streamsMeet.deliveredByCatchUp(message.id, options.meet.since(), options.meet.onMet);
    },
  });
}
