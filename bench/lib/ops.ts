// The GraphQL operations the bench sends, the same to parley and to the thin server.

export const SEND = /* GraphQL */ `
  mutation BenchSend($to: ID!, $text: String!, $cid: String) {
    sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) {
      id
      createdAt
    }
  }
`;

/** The README's history query: newest page (last) or older pages (before). */
export const HISTORY_BACK = /* GraphQL */ `
  query BenchHistory($with: ID!, $last: Int, $before: String) {
    chatHistory(withUserId: $with, last: $last, before: $before) {
      edges {
        cursor
        node {
          id
          content
          createdAt
          readAt
          sender {
            id
            displayName
          }
        }
      }
      pageInfo {
        hasPreviousPage
        startCursor
      }
    }
  }
`;

/** Forward paging (first/after), as a client catching up by polling would. */
export const HISTORY_FORWARD = /* GraphQL */ `
  query BenchHistoryForward($with: ID!, $first: Int, $after: String) {
    chatHistory(withUserId: $with, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          content
          createdAt
          readAt
          sender {
            id
            displayName
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const MARK_READ = /* GraphQL */ `
  mutation BenchMarkRead($sender: ID!) {
    markRead(senderId: $sender) {
      count
      readAt
    }
  }
`;

export const ME = /* GraphQL */ `
  query BenchMe {
    me {
      id
    }
  }
`;

export const SIGN_UP = /* GraphQL */ `
  mutation BenchSignUp($u: String!, $p: String!) {
    signUp(username: $u, password: $p) {
      token
      user {
        id
      }
    }
  }
`;

export const MESSAGE_ADDED = /* GraphQL */ `
  subscription BenchLive($with: ID, $after: String) {
    messageAdded(withUserId: $with, after: $after) {
      id
      content
      createdAt
      cursor
      sender {
        id
        displayName
      }
    }
  }
`;

/** The web inbox's row (web/src/inbox/InboxRow.tsx's InboxRow_conversation fragment), inlined. */
const INBOX_ROW = `
  id
  unreadCount
  lastActivityAt
  peer {
    id
    username
    displayName
  }
  lastMessage {
    id
    content
    createdAt
    sender {
      id
    }
  }`;

/** One page of the inbox: conversations(first:) selecting what a web inbox row shows. */
export const CONVERSATIONS = /* GraphQL */ `
  query BenchConversations($first: Int, $after: String) {
    conversations(first: $first, after: $after) {
      edges {
        cursor
        node {${INBOX_ROW}
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** The unread total (web/src/inbox/unreadTotal.ts's UnreadCount query). */
export const UNREAD_COUNT = /* GraphQL */ `
  query BenchUnreadCount {
    unreadCount
  }
`;

/** What the web app asks when the inbox opens (web/src/inbox/useInbox.ts's Inbox query): both at once. */
export const INBOX = /* GraphQL */ `
  query BenchInbox($first: Int, $after: String) {
    conversations(first: $first, after: $after) {
      edges {
        cursor
        node {${INBOX_ROW}
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    unreadCount
  }
`;

export type InboxRowData = {
  id: string;
  unreadCount: number;
  lastActivityAt: string;
  peer: { id: string; username: string; displayName: string };
  lastMessage: { id: string; content: string; createdAt: string; sender: { id: string } };
};

export type ConversationsPage = {
  conversations: {
    edges: { cursor: string; node: InboxRowData }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

export type HistoryPage = {
  chatHistory: {
    edges: { cursor: string; node: { id: string; content: string } }[];
    pageInfo: {
      hasPreviousPage?: boolean;
      startCursor?: string | null;
      hasNextPage?: boolean;
      endCursor?: string | null;
    };
  };
};
