import { useQuery, useSubscription } from '@apollo/client/react';
import { useRefetchOnReconnect } from '../apollo/useRefetchOnReconnect';
import { graphql } from '../gql';

/** How far the peer has read the viewer's messages (✓✓ on every message of the viewer's up to it). */
export const ConversationReadQuery = graphql(`
  query ConversationRead($withUserId: ID!) {
    conversation(withUserId: $withUserId) {
      id
      peerLastRead {
        id
        createdAt
      }
    }
  }
`);

const ConversationMessagesReadSubscription = graphql(`
  subscription ConversationMessagesRead($withUserId: ID!) {
    messagesRead(withUserId: $withUserId) {
      conversation {
        id
        peerLastRead {
          id
          createdAt
        }
      }
    }
  }
`);

export interface PeerLastRead {
  id: string;
  createdAt: string;
}

/**
 * The newest of the viewer's messages that the peer has read, live: loaded
 * with the conversation, then moved by every read receipt (the peer reading,
 * or the viewer in another session) through `Conversation:<id>` in the cache —
 * which conversationUpdated events update too. Receipts missed while the
 * socket was down are state: fetched again when it reconnects.
 */
export function useReadReceipts(peerId: string): PeerLastRead | null {
  const { data, refetch } = useQuery(ConversationReadQuery, {
    variables: { withUserId: peerId },
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });
  useRefetchOnReconnect(true, refetch);

  useSubscription(ConversationMessagesReadSubscription, {
    variables: { withUserId: peerId },
    onData({ client, data: receipt }) {
      const conversation = receipt.data?.messagesRead.conversation;
      // Also when the conversation was still empty (null) when loaded: a read means it exists now.
      if (conversation)
        client.cache.writeQuery({
          query: ConversationReadQuery,
          variables: { withUserId: peerId },
          data: { conversation },
        });
    },
  });

  return data?.conversation?.peerLastRead ?? null;
}

/**
 * Index of the last message covered by `peerLastRead` in `messages` (oldest
 * first): the message itself when it is held, else the last one not newer than
 * it; -1 when none is.
 */
export function readThrough(
  messages: ReadonlyArray<{ id: string; createdAt: string }>,
  peerLastRead: PeerLastRead | null | undefined,
): number {
  if (!peerLastRead) return -1;
  const held = messages.findIndex((m) => m.id === peerLastRead.id);
  if (held >= 0) return held;
  let i = messages.length - 1;
  while (i >= 0 && messages[i]!.createdAt > peerLastRead.createdAt) i--;
  return i;
}
