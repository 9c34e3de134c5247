import { useSubscription } from '@apollo/client/react';
import { graphql } from '../gql';
import type { MessageAddedSubscriptionVariables } from '../gql/graphql';
import { appendMessageToConversation } from './conversationCache';
import { failedSends } from './failedSends';

export const MessageAddedSubscription = graphql(`
  subscription MessageAdded($withUserId: ID) {
    messageAdded(withUserId: $withUserId) {
      id
      clientMessageId
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
  // Catch-up (a later issue): add `after?: string` here and pass it through
  // `messageAddedVariables`; the cache update below needs no change.
}

export function messageAddedVariables(options: MessageAddedOptions): MessageAddedSubscriptionVariables {
  return { withUserId: options.withUserId ?? null };
}

/**
 * Live messages: each one is written to the cache by Apollo and appended to
 * its conversation (keyed by the *other* participant), so open conversations
 * update without refetching.
 */
export function useMessageAddedSubscription(viewerId: string, options: MessageAddedOptions = {}) {
  return useSubscription(MessageAddedSubscription, {
    variables: messageAddedVariables(options),
    onData({ client, data }) {
      const message = data.data?.messageAdded;
      if (!message) return;
      const peerId = message.sender.id === viewerId ? message.recipient.id : message.sender.id;
      appendMessageToConversation(client.cache, peerId, message);
      // A send we had given up on did reach the server after all.
      failedSends.remove(peerId, message.clientMessageId);
    },
  });
}
