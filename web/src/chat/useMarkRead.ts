import { useMutation } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
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

interface ReadableMessage {
  id: string;
  readAt: string | null;
  sender: { id: string };
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

/**
 * While a conversation is open (and the page visible), mark the peer's unread
 * messages as read up to the newest one, and reflect readAt in the cache.
 */
export function useMarkRead(peerId: string, messages: ReadableMessage[]) {
  const [markRead] = useMutation(MarkReadMutation);
  const visible = usePageVisible();
  const requested = useRef<string | null>(null);

  const unread = messages.filter((m) => m.sender.id === peerId && !m.readAt);
  const newest = unread.at(-1)?.id ?? null;
  const unreadIds = unread.map((m) => m.id).join(',');

  useEffect(() => {
    if (!visible || !newest || requested.current === newest) return;
    requested.current = newest;
    const ids = unreadIds.split(',');
    markRead({
      variables: { senderId: peerId, upToMessageId: newest },
      update(cache, { data }) {
        if (data) setReadAt(cache, ids, data.markRead.readAt);
      },
    }).catch(() => {
      // Not critical: try again when the next message arrives or on revisit.
      requested.current = null;
    });
  }, [visible, newest, unreadIds, peerId, markRead]);
}
