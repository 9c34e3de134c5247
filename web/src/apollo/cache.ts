import { InMemoryCache, type FieldPolicy } from '@apollo/client/cache';
import { forwardConnectionPolicy, relayConnectionPolicy, type CachedConnection } from './connectionMerge';

const CHAT_HISTORY_KEY_ARGS = ['withUserId'];

export function chatHistoryStoreFieldName(withUserId: string): string {
  // Matches how InMemoryCache names a field stored under keyArgs ['withUserId'].
  return `chatHistory:${JSON.stringify({ withUserId })}`;
}

/**
 * The inbox (`conversations`): one list whatever the page arguments, pages
 * merged (apollo/connectionMerge.ts), read most recent activity first — so a
 * conversation moves to the top as soon as a conversationUpdated event writes
 * its new lastActivityAt into `Conversation:<id>`, and one added to the list
 * (inbox/inboxCache.ts) lands in its place.
 */
function inboxPolicy(): FieldPolicy<CachedConnection> {
  return {
    ...forwardConnectionPolicy(),
    read(existing, { readField }) {
      if (!existing) return existing;
      const at = (edge: CachedConnection['edges'][number]) => readField<string>('lastActivityAt', edge.node) ?? '';
      // ISO-8601 UTC strings of one format order as text; the sort is stable for ties.
      const edges = [...existing.edges].sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0));
      return { ...existing, edges };
    },
  };
}

export function createCache() {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // One conversation per peer; pages (last/before) merge into it.
          chatHistory: relayConnectionPolicy(CHAT_HISTORY_KEY_ARGS),
          // Search results are per search term; paging is not used by the UI yet.
          users: { keyArgs: ['search'] },
          conversations: inboxPolicy(),
          // The account's sessions and the people it blocked (settings/): pages appended (first/after).
          sessions: forwardConnectionPolicy(),
          blockedUsers: forwardConnectionPolicy(),
        },
      },
      Message: {
        fields: {
          // Read is one-way: a late or re-delivered copy of a message (e.g. a
          // subscription replay) must not turn a known readAt back into null.
          readAt: {
            merge: (existing: string | null | undefined, incoming: string | null) => incoming ?? existing ?? null,
          },
          // A deletion is final: a late copy from before it (a page, a replayed event) does not bring the text back.
          deletedAt: {
            merge: (existing: string | null | undefined, incoming: string | null) => existing ?? incoming ?? null,
          },
          content: {
            merge(existing: string | undefined, incoming: string, { readField }) {
              return readField<string | null>('deletedAt') ? '' : (incoming ?? existing);
            },
          },
          // The server's list is the whole state: the new one replaces the old (no merge of unidentified objects).
          reactions: { merge: false },
        },
      },
      Reaction: { keyFields: false },
      // Connections/edges/pageInfo have no identity of their own.
      MessageConnection: { keyFields: false },
      MessageEdge: { keyFields: false },
      UserConnection: { keyFields: false },
      UserEdge: { keyFields: false },
      // Conversation is normalised by id (the default): every event about it updates it in place.
      ConversationConnection: { keyFields: false },
      ConversationEdge: { keyFields: false },
      SessionConnection: { keyFields: false },
      SessionEdge: { keyFields: false },
      ReadReceipt: { keyFields: false },
      TypingEvent: { keyFields: false },
      PageInfo: { keyFields: false },
      MarkReadPayload: { keyFields: false },
      AuthPayload: { keyFields: false },
    },
  });
}
