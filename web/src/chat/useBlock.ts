import { useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useState } from 'react';
import { useRefetchOnReconnect } from '../apollo/useRefetchOnReconnect';
import { graphql } from '../gql';
import { describeError } from '../shared/errors';

/** What the server says to a send while either of the two has blocked the other (FORBIDDEN). */
export const CANNOT_MESSAGE = "You can't message this person.";

export const ConversationBlockQuery = graphql(`
  query ConversationBlock($withUserId: ID!) {
    conversation(withUserId: $withUserId) {
      id
      blockedByMe
      blockedMe
    }
  }
`);

export const BlockUserMutation = graphql(`
  mutation BlockUser($userId: ID!) {
    blockUser(userId: $userId)
  }
`);

export const UnblockUserMutation = graphql(`
  mutation UnblockUser($userId: ID!) {
    unblockUser(userId: $userId)
  }
`);

export interface BlockApi {
  /** The viewer has blocked the peer (null: not known yet). */
  blockedByMe: boolean | null;
  /** The peer has blocked the viewer: nothing can be sent to them. */
  blockedMe: boolean;
  block(): Promise<boolean>;
  unblock(): Promise<boolean>;
  busy: boolean;
  /** Why the last block or unblock did not happen. */
  error: string | null;
}

/**
 * Whether the viewer has blocked the peer (`Conversation.blockedByMe`) or the peer the viewer (`blockedMe`), and
 * blocking or unblocking them. Live: a block either way sends the conversation to both by conversationUpdated,
 * whose selection in inbox/useConversationUpdates.ts includes both fields (they land in `Conversation:<id>`);
 * asked again on reconnect. A conversation without a message yet is null on the server: what the viewer did here
 * is then what is known.
 */
export function useBlock(peerId: string): BlockApi {
  const { data, refetch } = useQuery(ConversationBlockQuery, {
    variables: { withUserId: peerId },
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });
  useRefetchOnReconnect(true, refetch);
  const [done, setDone] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [blockUser, blocking] = useMutation(BlockUserMutation);
  const [unblockUser, unblocking] = useMutation(UnblockUserMutation);

  const conversation = data?.conversation;
  const blockedByMe = conversation ? conversation.blockedByMe : (done ?? (data ? false : null));

  const change = useCallback(
    async (blocked: boolean) => {
      setError(null);
      try {
        await (blocked ? blockUser : unblockUser)({
          variables: { userId: peerId },
          // The settings' list of blocked people is asked again when shown (cache-and-network).
          update(cache) {
            if (conversation)
              cache.modify({
                id: cache.identify({ __typename: 'Conversation', id: conversation.id }),
                fields: { blockedByMe: () => blocked },
              });
          },
        });
        setDone(blocked);
        return true;
      } catch (e) {
        setError(`${blocked ? 'Could not block' : 'Could not unblock'}: ${describeError(e)}`);
        return false;
      }
    },
    [blockUser, unblockUser, peerId, conversation],
  );
  return {
    blockedByMe,
    blockedMe: conversation?.blockedMe ?? false,
    block: useCallback(() => change(true), [change]),
    unblock: useCallback(() => change(false), [change]),
    busy: blocking.loading || unblocking.loading,
    error,
  };
}
