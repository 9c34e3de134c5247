import { useMutation } from '@apollo/client/react';
import { useCallback, useEffect, useRef } from 'react';
import { graphql } from '../gql';
import { setReadAt } from './conversationCache';

export const MarkReadMutation = graphql(`
  mutation MarkRead($senderId: ID!, $upToMessageId: ID) {
    markRead(senderId: $senderId, upToMessageId: $upToMessageId) {
      count
      readAt
    }
  }
`);

/** A failed markRead is not asked again before this (ms). */
const RETRY_AFTER_MS = 5_000;

interface ReadableMessage {
  id: string;
  readAt: string | null;
  sender: { id: string };
}

/**
 * Reading, as the person sees messages (issue #24): `seen(id)` — the newest of the peer's messages on screen in a
 * visible, focused tab (chat/useSeenOnScreen.ts) — marks the peer's messages read up to it, once, and reflects
 * readAt in the cache. Opening the conversation alone reads nothing.
 */
export function useMarkRead(peerId: string, messages: ReadonlyArray<ReadableMessage>) {
  const [markRead] = useMutation(MarkReadMutation);
  // The newest message asked for (a later `seen` of an older one asks nothing).
  const requested = useRef<string | null>(null);
  const held = useRef(messages);
  useEffect(() => {
    held.current = messages;
  }, [messages]);

  return useCallback(
    (seenId: string) => {
      const list = held.current;
      const at = list.findIndex((m) => m.id === seenId);
      if (at < 0) return;
      if (requested.current && list.findIndex((m) => m.id === requested.current) >= at) return;
      const ids = list
        .slice(0, at + 1)
        .filter((m) => m.sender.id === peerId && !m.readAt)
        .map((m) => m.id);
      if (ids.length === 0) return;
      requested.current = seenId;
      markRead({
        variables: { senderId: peerId, upToMessageId: seenId },
        update(cache, { data }) {
          if (data) setReadAt(cache, ids, data.markRead.readAt);
        },
      }).catch(() => {
        // Not critical: asked again when it is seen after a pause (not at once: offline, each try would fail).
        setTimeout(() => {
          if (requested.current === seenId) requested.current = null;
        }, RETRY_AFTER_MS);
      });
    },
    [peerId, markRead],
  );
}
