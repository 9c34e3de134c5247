import { useSubscription } from '@apollo/client/react';
import { graphql } from '../gql';
import type { MessageAddedSubscriptionVariables } from '../gql/graphql';
import { appendMessageToConversation } from './conversationCache';
import { outboxFor } from './outbox';

export const MessageAddedSubscription = graphql(`
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

export interface MessageAddedOptions {
  /** Only this conversation; omit for every message involving the viewer. */
  withUserId?: string;
  /**
   * With withUserId: a chatHistory cursor; the server first replays every
   * stored message after it, then goes live. graphql-ws resubscribes with the
   * same variables after a reconnect, so the replay covers the outage too.
   */
  after?: string;
  skip?: boolean;
}

export function messageAddedVariables(options: MessageAddedOptions): MessageAddedSubscriptionVariables {
  return { withUserId: options.withUserId ?? null, after: options.withUserId ? (options.after ?? null) : null };
}

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
      // The conversation's own stream resumes from the last cursor held, so what
      // it delivers leaves no gap: its cursor is a resume point. The
      // all-conversations stream has no catch-up, so it gives none.
      appendMessageToConversation(client.cache, peerId, message, options.withUserId ? message.cursor : undefined);
      // Our own message, stored: whatever happened to the mutation's answer
      // (lost in an outage, another tab sent it), it needs no more sending.
      if (mine) outboxFor(viewerId).acknowledge(message.clientMessageId);
    },
  });
}
