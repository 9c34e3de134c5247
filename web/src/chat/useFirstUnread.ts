import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { graphql } from '../gql';
import { LARGEST_PAGE } from './historyPages';

/** Only what tells read from unread: pages back past what is held, when every held message of the peer is unread. */
const UnreadBoundaryQuery = graphql(`
  query UnreadBoundary($withUserId: ID!, $before: String, $last: Int) {
    chatHistory(withUserId: $withUserId, before: $before, last: $last) {
      edges {
        cursor
        node {
          id
          readAt
          sender {
            id
          }
        }
      }
      pageInfo {
        hasPreviousPage
        startCursor
      }
    }
  }
`);

/** At most this many pages back (of 100): past them, the oldest unread message found is taken as the first. */
const MAX_PAGES_BACK = 10;

interface HeldMessage {
  id: string;
  cursor: string;
  readAt: string | null;
  sender: { id: string };
}

/** The first unread message, and whether it is outside what the transcript holds (a window around it to load). */
export interface FirstUnread {
  id: string;
  cursor: string;
  far: boolean;
}

/**
 * Scans newest first: the peer's messages after the newest read one are unread (markRead reads a prefix).
 * `found`: a read message of the peer, or the conversation's beginning, was reached.
 */
export function unreadBoundary(messages: readonly HeldMessage[], peerId: string, atBeginning: boolean) {
  let first: HeldMessage | null = null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.sender.id !== peerId) continue;
    if (m.readAt) return { found: true, first };
    first = m;
  }
  return { found: atBeginning || !first, first };
}

/**
 * Where a conversation opens (issue #24): at its first unread message, decided once per open when the newest page
 * is in (`ready`; before that the cache may be stale). `undefined` until decided, `null` when nothing is unread.
 */
export function useFirstUnread(
  peerId: string,
  messages: readonly HeldMessage[],
  older: { hasOlder: boolean; startCursor?: string | null },
  ready: boolean,
): FirstUnread | null | undefined {
  const client = useApolloClient();
  const [first, setFirst] = useState<FirstUnread | null | undefined>(undefined);
  // What is held decides at once when it reaches a read message or the beginning (state adjusted during render);
  // otherwise `search` pages back for it.
  const [search, setSearch] = useState<{ near: FirstUnread | null; before: string } | null>(null);
  if (ready && first === undefined && !search) {
    const held = unreadBoundary(messages, peerId, !older.hasOlder);
    const near = held.first && { id: held.first.id, cursor: held.first.cursor, far: false };
    if (held.found || !older.startCursor) setFirst(near);
    else setSearch({ near, before: older.startCursor });
  }
  useEffect(() => {
    if (!search) return;
    let current = true;
    const pageBack = async () => {
      let oldest = search.near;
      let before = search.before;
      for (let n = 0; n < MAX_PAGES_BACK; n++) {
        const { data } = await client.query({
          query: UnreadBoundaryQuery,
          variables: { withUserId: peerId, before, last: LARGEST_PAGE },
          fetchPolicy: 'no-cache',
        });
        const page = data!.chatHistory;
        const nodes = page.edges.map((e) => ({ ...e.node, cursor: e.cursor }));
        const { found, first: f } = unreadBoundary(nodes, peerId, !page.pageInfo.hasPreviousPage);
        if (f) oldest = { id: f.id, cursor: f.cursor, far: true };
        if (found || !page.pageInfo.startCursor) break;
        before = page.pageInfo.startCursor;
      }
      return oldest;
    };
    pageBack().then(
      (found) => current && setFirst(found),
      () => current && setFirst(search.near), // offline: the oldest unread held
    );
    return () => {
      current = false;
    };
  }, [search, client, peerId]);
  return first;
}
