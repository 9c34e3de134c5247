import { gql } from '@apollo/client';
import { savedViewer } from '../auth/savedViewer';
import { tokenStore } from '../auth/tokenStore';
import { createCache } from './cache';
import {
  CACHE_STORAGE_KEY,
  MAX_CHARS,
  MESSAGES_PER_CONVERSATION,
  persistCache,
  snapshotText,
} from './cachePersistence';

const HISTORY = gql`
  query History($withUserId: ID!) {
    chatHistory(withUserId: $withUserId) {
      edges {
        cursor
        node {
          id
          content
          createdAt
        }
      }
      pageInfo {
        hasPreviousPage
        hasNextPage
        startCursor
        endCursor
      }
    }
  }
`;
const ME = gql`
  query Me {
    me {
      id
      username
      displayName
    }
  }
`;

const ada = { __typename: 'User' as const, id: 'u-ada', username: 'ada', displayName: 'Ada' };

function history(peer: string, count: number, content = (i: number) => `${peer} ${i}`) {
  const edges = Array.from({ length: count }, (_, i) => ({
    __typename: 'MessageEdge',
    cursor: `${peer}-c${i}`,
    node: {
      __typename: 'Message',
      id: `${peer}-m${i}`,
      content: content(i),
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    },
  }));
  return {
    chatHistory: {
      __typename: 'MessageConnection',
      edges,
      pageInfo: {
        __typename: 'PageInfo',
        hasPreviousPage: false,
        hasNextPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    },
  };
}

function signIn(token: string, viewer = ada) {
  savedViewer.set(token, viewer);
  tokenStore.set(token);
}

let stops: Array<() => void> = [];
function persisted() {
  const cache = createCache();
  stops.push(persistCache(cache));
  return cache;
}

beforeEach(() => {
  jest.useFakeTimers();
  localStorage.clear();
  signIn('token-ada');
});
afterEach(() => {
  stops.forEach((stop) => stop());
  stops = [];
  tokenStore.clear();
  jest.useRealTimers();
});

it('restores what the same user saw, before anything is asked', () => {
  const first = persisted();
  first.writeQuery({ query: HISTORY, variables: { withUserId: 'ben' }, data: history('ben', 3) });
  first.writeQuery({ query: ME, data: { me: ada } });
  jest.advanceTimersByTime(1_000);
  expect(localStorage.getItem(CACHE_STORAGE_KEY)).not.toBeNull();

  const reloaded = persisted();
  const restored = reloaded.readQuery({ query: HISTORY, variables: { withUserId: 'ben' } }) as ReturnType<
    typeof history
  > | null;
  expect(restored?.chatHistory.edges.map((e) => e.node.content)).toEqual(['ben 0', 'ben 1', 'ben 2']);
  // `me` is asked again on a reload (how an ended session is noticed).
  expect(reloaded.readQuery({ query: ME })).toBeNull();
});

it('groups writes and flushes them when the page is left', () => {
  const cache = persisted();
  cache.writeQuery({ query: HISTORY, variables: { withUserId: 'ben' }, data: history('ben', 1) });
  expect(localStorage.getItem(CACHE_STORAGE_KEY)).toBeNull();
  window.dispatchEvent(new Event('pagehide'));
  expect(localStorage.getItem(CACHE_STORAGE_KEY)).toContain('ben 0');
});

it('is wiped on log-out and never restored for another user', () => {
  const cache = persisted();
  cache.writeQuery({ query: HISTORY, variables: { withUserId: 'ben' }, data: history('ben', 2) });
  jest.advanceTimersByTime(1_000);
  expect(localStorage.getItem(CACHE_STORAGE_KEY)).not.toBeNull();

  // A write still waiting when the user logs out is dropped too.
  cache.writeQuery({ query: HISTORY, variables: { withUserId: 'cy' }, data: history('cy', 2) });
  tokenStore.clear('user');
  expect(localStorage.getItem(CACHE_STORAGE_KEY)).toBeNull();
  jest.advanceTimersByTime(5_000);
  expect(localStorage.getItem(CACHE_STORAGE_KEY)).toBeNull();

  // A snapshot of Ada's is not shown to Bea on this device.
  signIn('token-ada');
  cache.writeQuery({ query: HISTORY, variables: { withUserId: 'ben' }, data: history('ben', 2) });
  jest.advanceTimersByTime(1_000);
  expect(localStorage.getItem(CACHE_STORAGE_KEY)).not.toBeNull();
  const stored = localStorage.getItem(CACHE_STORAGE_KEY);
  tokenStore.set('token-bea'); // e.g. another tab; savedViewer knows nobody for it yet
  localStorage.setItem(CACHE_STORAGE_KEY, stored!);
  savedViewer.set('token-bea', { ...ada, id: 'u-bea', username: 'bea' });
  const other = persisted();
  expect(other.readQuery({ query: HISTORY, variables: { withUserId: 'ben' } })).toBeNull();
  expect(localStorage.getItem(CACHE_STORAGE_KEY)).toBeNull();
});

it('keeps the newest messages of each conversation, and says older ones exist', () => {
  const cache = createCache();
  cache.writeQuery({
    query: HISTORY,
    variables: { withUserId: 'ben' },
    data: history('ben', MESSAGES_PER_CONVERSATION + 10),
  });
  const text = snapshotText('u-ada', cache.extract());
  const data = JSON.parse(text!).data;
  const connection = data.ROOT_QUERY['chatHistory:{"withUserId":"ben"}'];
  expect(connection.edges).toHaveLength(MESSAGES_PER_CONVERSATION);
  expect(connection.edges[0].cursor).toBe('ben-c10');
  expect(connection.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: 'ben-c10' });
  // Messages no longer reached are not kept.
  expect(data['Message:ben-m9']).toBeUndefined();
  expect(data['Message:ben-m10']).toBeDefined();
});

it('leaves out the least recently active conversations when too big', () => {
  const cache = createCache();
  const long = 'x'.repeat(Math.ceil(MAX_CHARS / MESSAGES_PER_CONVERSATION / 1.5));
  // "old" ends before "new" begins (createdAt by index; "new" is shifted later).
  cache.writeQuery({ query: HISTORY, variables: { withUserId: 'old' }, data: history('old', 40, () => long) });
  const recent = history('new', 40, () => long);
  recent.chatHistory.edges.forEach(
    (e, i) => (e.node.createdAt = new Date(Date.UTC(2026, 5, 1, 0, 0, i)).toISOString()),
  );
  cache.writeQuery({ query: HISTORY, variables: { withUserId: 'new' }, data: recent });
  const text = snapshotText('u-ada', cache.extract());
  expect(text!.length).toBeLessThanOrEqual(MAX_CHARS);
  const root = JSON.parse(text!).data.ROOT_QUERY;
  expect(Object.keys(root)).toEqual(['__typename', 'chatHistory:{"withUserId":"new"}']);
});

it('cuts a conversation only where it can be paged back from (not at a cursor the client made up)', () => {
  const cache = createCache();
  const data = history('ben', MESSAGES_PER_CONVERSATION + 10);
  // Messages that came in live, ahead of a possible gap, have placeholder cursors (chat/resumeCursor.ts).
  for (const i of [10, 11, 12]) data.chatHistory.edges[i]!.cursor = `live:ben-m${i}`;
  cache.writeQuery({ query: HISTORY, variables: { withUserId: 'ben' }, data });
  const connection = JSON.parse(snapshotText('u-ada', cache.extract())!).data.ROOT_QUERY[
    'chatHistory:{"withUserId":"ben"}'
  ];
  expect(connection.edges[0].cursor).toBe('ben-c13');
  expect(connection.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: 'ben-c13' });

  // Nothing but placeholders at the newest end: not kept (it loads from the server).
  const live = history('cy', MESSAGES_PER_CONVERSATION + 1);
  live.chatHistory.edges.forEach((e, i) => i > 0 && (e.cursor = `live:cy-m${i}`));
  cache.writeQuery({ query: HISTORY, variables: { withUserId: 'cy' }, data: live });
  const root = JSON.parse(snapshotText('u-ada', cache.extract())!).data.ROOT_QUERY;
  expect(root['chatHistory:{"withUserId":"cy"}']).toBeUndefined();
  expect(root['chatHistory:{"withUserId":"ben"}']).toBeDefined();
});
