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
  /** Only this conversation; omit for every message involving the viewer. */
  withUserId?: string;
  /**
   * With withUserId: a chatHistory cursor (useResumeCursor); the server first
   * replays every stored message after it, then goes live.
   */
  after?: string;
  skip?: boolean;
}

function messageAddedVariables(options: MessageAddedOptions): MessageAddedSubscriptionVariables {
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
      appendMessageToConversation(client.cache, peerId, message, deliveredResumeCursor(message, options));
      // Our own message, stored: whatever happened to the mutation's answer
      // (lost in an outage, another tab sent it), it needs no more sending.
      if (mine) outboxFor(viewerId).acknowledge(message.clientMessageId);
    },
  });
}
