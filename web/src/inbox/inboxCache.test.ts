import { createCache } from '../apollo/cache';
import { ALICE, BOB, CAROL, inbox, inboxConversation } from '../test/fixtures';
import { addToInbox } from './inboxCache';
import { InboxRow_conversation } from './InboxRow';
import { INBOX_PAGE_SIZE, InboxQuery } from './useInbox';

const DAN = { __typename: 'User' as const, id: 'u-dan', username: 'dan', displayName: 'Dan Dunn' };
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();
const conv = (peer: typeof BOB, minute: number, unread = 0) =>
  inboxConversation(
    peer,
    { id: `m-${peer.id}-${minute}`, content: `at ${minute}`, from: peer, at: at(minute) },
    unread,
  );

function write(cache: ReturnType<typeof createCache>, data: ReturnType<typeof inbox>, after?: string) {
  cache.writeQuery({ query: InboxQuery, variables: { first: INBOX_PAGE_SIZE, after }, data });
}
function peers(cache: ReturnType<typeof createCache>) {
  const data = cache.readQuery({ query: InboxQuery, variables: { first: INBOX_PAGE_SIZE } });
  return data?.conversations.edges.map((e) => (e.node as unknown as { id: string }).id.replace('conv-', '')) ?? null;
}
/** What a conversationUpdated event does first: Apollo writes the conversation. */
function event(cache: ReturnType<typeof createCache>, conversation: ReturnType<typeof conv>) {
  cache.writeFragment({
    id: cache.identify(conversation),
    fragment: InboxRow_conversation,
    data: conversation,
  });
  addToInbox(cache, conversation);
}

describe('the inbox in the cache', () => {
  it('reads most recent activity first, whatever order the conversations were written or updated in', () => {
    const cache = createCache();
    write(cache, inbox([conv(BOB, 10), conv(CAROL, 5)]));
    expect(peers(cache)).toEqual([BOB.id, CAROL.id]);
    event(cache, conv(CAROL, 20, 1)); // already held: moves by its new lastActivityAt
    expect(peers(cache)).toEqual([CAROL.id, BOB.id]);
  });

  it('adds a new peer at the top, once', () => {
    const cache = createCache();
    write(cache, inbox([conv(BOB, 10), conv(CAROL, 5)]));
    event(cache, conv(DAN, 30, 1));
    event(cache, conv(DAN, 31, 2));
    expect(peers(cache)).toEqual([DAN.id, BOB.id, CAROL.id]);
  });

  it('leaves a conversation older than every one held to its page while more pages follow', () => {
    const cache = createCache();
    write(cache, inbox([conv(BOB, 10), conv(CAROL, 5)], 0, { hasNextPage: true, endCursor: 'k2' }));
    event(cache, conv(DAN, 1)); // e.g. read on another device: no new activity
    expect(peers(cache)).toEqual([BOB.id, CAROL.id]);
    write(cache, inbox([conv(DAN, 1)]), 'k2');
    expect(peers(cache)).toEqual([BOB.id, CAROL.id, DAN.id]);
  });

  it('does nothing before the inbox is loaded', () => {
    const cache = createCache();
    event(cache, conv(DAN, 1));
    expect(peers(cache)).toBeNull();
  });

  it('appends later pages without duplicates; a first page (refetch) replaces the list', () => {
    const cache = createCache();
    write(cache, inbox([conv(BOB, 10), conv(CAROL, 5)], 0, { hasNextPage: true, endCursor: 'k2' }));
    // CAROL moved to the top meanwhile and also comes with the next page: once.
    write(cache, inbox([conv(CAROL, 5), conv(DAN, 1)]), 'k2');
    expect(peers(cache)).toEqual([BOB.id, CAROL.id, DAN.id]);
    const page = cache.readQuery({ query: InboxQuery, variables: { first: INBOX_PAGE_SIZE } })!;
    expect(page.conversations.pageInfo).toEqual({
      __typename: 'PageInfo',
      hasNextPage: false,
      endCursor: 'c-conv-u-dan',
    });

    write(cache, inbox([conv(ALICE, 50), conv(BOB, 10)], 0, { hasNextPage: true, endCursor: 'k2b' }));
    expect(peers(cache)).toEqual([ALICE.id, BOB.id]);
  });
});
