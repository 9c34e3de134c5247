import { useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import { describeError } from '../app/errors';
import { useViewer, type Viewer } from '../auth/session';
import { graphql } from '../gql';
import type { SendMessageMutation as SendMessageData } from '../gql/graphql';
import { appendMessageToConversation } from './conversationCache';
import { failedSends, useFailedSends, type FailedSend } from './failedSends';
import { newClientMessageId, optimisticMessageId } from './optimisticId';

/*
 * All sending goes through this module: optimistic insert (pending), cache
 * append on acknowledgement, failed → kept with its clientMessageId for retry.
 * Issue 4's persistent outbox plugs in here (replace failedSends, queue offline).
 */

export const SendMessageMutation = graphql(`
  mutation SendMessage($recipientId: ID!, $content: String!, $clientMessageId: String) {
    sendMessage(recipientId: $recipientId, content: $content, clientMessageId: $clientMessageId) {
      id
      ...ConversationView_message
    }
  }
`);

interface Draft {
  clientMessageId: string;
  content: string;
  createdAt: string;
}

/**
 * The optimistic message must carry every field the conversation renders
 * (ConversationView_message and the fragments it spreads) or the cache would
 * read the conversation as incomplete. Built unmasked, hence the cast.
 */
function optimisticMessage(draft: Draft, viewer: Viewer): SendMessageData['sendMessage'] {
  return {
    __typename: 'Message',
    id: optimisticMessageId(draft.clientMessageId),
    clientMessageId: draft.clientMessageId,
    content: draft.content,
    createdAt: draft.createdAt,
    readAt: null,
    sender: { __typename: 'User', id: viewer.id, username: viewer.username, displayName: viewer.displayName },
  } as unknown as SendMessageData['sendMessage'];
}

export interface SendApi {
  /** Send trimmed content; returns false (and does nothing) when it is empty. */
  send(content: string): boolean;
  retry(clientMessageId: string): void;
  failed: FailedSend[];
}

export function useSendMessage(peerId: string): SendApi {
  const viewer = useViewer();
  const [mutate] = useMutation(SendMessageMutation);
  const failed = useFailedSends(peerId);

  const dispatch = useCallback(
    async (draft: Draft) => {
      try {
        await mutate({
          variables: { recipientId: peerId, content: draft.content, clientMessageId: draft.clientMessageId },
          optimisticResponse: { sendMessage: optimisticMessage(draft, viewer) },
          // Runs for the optimistic result (pending bubble) and again for the real one.
          update(cache, { data }) {
            if (data) appendMessageToConversation(cache, peerId, data.sendMessage);
          },
        });
        failedSends.remove(peerId, draft.clientMessageId);
      } catch (error) {
        failedSends.add({ ...draft, peerId, error: describeError(error) });
      }
    },
    [mutate, peerId, viewer],
  );

  const send = useCallback(
    (raw: string) => {
      const content = raw.trim();
      if (!content) return false;
      void dispatch({ clientMessageId: newClientMessageId(), content, createdAt: new Date().toISOString() });
      return true;
    },
    [dispatch],
  );

  const retry = useCallback(
    (clientMessageId: string) => {
      const entry = failedSends.get(peerId, clientMessageId);
      if (!entry) return;
      failedSends.remove(peerId, clientMessageId);
      // Same clientMessageId: if the first attempt did reach the server, it dedupes.
      void dispatch({ clientMessageId, content: entry.content, createdAt: new Date().toISOString() });
    },
    [dispatch, peerId],
  );

  return { send, retry, failed };
}
