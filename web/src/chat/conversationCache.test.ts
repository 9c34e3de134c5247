import { chatHistoryStoreFieldName, createCache } from '../apollo/cache';
import { ALICE, BOB, CAROL, connection, message } from '../test/fixtures';
import { appendMessageToConversation } from './conversationCache';
import { ChatHistoryQuery, ConversationView_message } from './ConversationView';
import { newestServerCursor } from './resumeCursor';

const range = (from: number, to: number, who = BOB) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i, i % 2 ? ALICE : who));

function ids(cache: ReturnType<typeof createCache>, withUserId = BOB.id) {
  const data = cache.readQuery({ query: ChatHistoryQuery, variables: { withUserId, last: 30 } });
  return data?.chatHistory.edges.map((e) => e.node.id) ?? null;
}

function write(
  cache: ReturnType<typeof createCache>,
  msgs: ReturnType<typeof message>[],
  vars: { before?: string; withUserId?: string } = {},
  pageInfo: { hasPreviousPage?: boolean } = {},
) {
  cache.writeQuery({
    query: ChatHistoryQuery,
    variables: { withUserId: vars.withUserId ?? BOB.id, last: 30, before: vars.before },
    data: { chatHistory: connection(msgs, pageInfo) },
  });
}

describe('chatHistory cache policy (Relay-style, paged backwards)', () => {
  it('prepends an older page before the newest one, without duplicating the overlap', () => {
    const cache = createCache();
    write(cache, range(31, 60), {}, { hasPreviousPage: true });
    // The older page overlaps the newest page by one message (m31).
    write(cache, range(1, 31), { before: 'c-m31' }, { hasPreviousPage: false });

    expect(ids(cache)).toEqual(range(1, 60).map((m) => m.id));
    const data = cache.readQuery({ query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: 30 } });
    expect(data?.chatHistory.pageInfo).toMatchObject({
      hasPreviousPage: false,
      startCursor: 'c-m1',
      endCursor: 'c-m60',
    });
  });

  it('keeps older pages when the newest window is refetched and unions new messages', () => {
    const cache = createCache();
    write(cache, range(31, 60), {}, { hasPreviousPage: true });
    write(cache, range(1, 30), { before: 'c-m31' });
    // Refetch of the newest 30 after two new messages arrived.
    write(cache, range(33, 62), {}, { hasPreviousPage: true });

    expect(ids(cache)).toEqual(range(1, 62).map((m) => m.id));
    const data = cache.readQuery({ query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: 30 } });
    expect(data?.chatHistory.pageInfo.hasPreviousPage).toBe(false);
  });

  it('replaces the list when the newest window does not overlap (a gap it cannot bridge)', () => {
    const cache = createCache();
    write(cache, range(1, 30));
    write(cache, range(100, 129), {}, { hasPreviousPage: true });
    expect(ids(cache)).toEqual(range(100, 129).map((m) => m.id));
  });

  it('keeps one conversation per peer', () => {
    const cache = createCache();
    write(cache, [message(1, BOB)]);
    write(cache, [message(2, CAROL)], { withUserId: CAROL.id });
    expect(ids(cache, BOB.id)).toEqual(['m1']);
    expect(ids(cache, CAROL.id)).toEqual(['m2']);
  });

  it('appendMessageToConversation adds a live message to the right conversation once', () => {
    const cache = createCache();
    write(cache, [message(1, BOB)]);
    write(cache, [message(2, CAROL)], { withUserId: CAROL.id });
    expect(Object.keys(cache.extract().ROOT_QUERY!)).toContain(chatHistoryStoreFieldName(BOB.id));

    const live = message(3, BOB);
    cache.writeFragment({ fragment: ConversationView_message, fragmentName: 'ConversationView_message', data: live });
    appendMessageToConversation(cache, BOB.id, live);
    appendMessageToConversation(cache, BOB.id, live); // duplicate delivery

    expect(ids(cache, BOB.id)).toEqual(['m1', 'm3']);
    expect(ids(cache, CAROL.id)).toEqual(['m2']);
  });

  it('gives an appended message a resume cursor only when nothing before it can be missing', () => {
    const cache = createCache();
    write(cache, [message(1, BOB)]);
    const cursors = () =>
      cache
        .readQuery({ query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: 30 } })!
        .chatHistory.edges.map((e) => e.cursor);
    const add = (m: ReturnType<typeof message>, resume?: string) => {
      cache.writeFragment({ fragment: ConversationView_message, fragmentName: 'ConversationView_message', data: m });
      appendMessageToConversation(cache, BOB.id, m, resume);
    };

    // The sendMessage answer (or the all-conversations stream): maybe ahead of a gap.
    add(message(3, ALICE));
    expect(cursors()).toEqual(['c-m1', 'live:m3']);
    expect(newestServerCursor(cursors().map((cursor) => ({ cursor })))).toBe('c-m1');
    // The conversation's own stream delivers what was missing, then the same message again.
    add(message(2, BOB), 'c-m2');
    add(message(3, ALICE), 'c-m3');
    expect(cursors()).toEqual(['c-m1', 'c-m2', 'c-m3']);
    expect(newestServerCursor(cursors().map((cursor) => ({ cursor })))).toBe('c-m3');
    // A later placeholder delivery does not take the resume cursor back.
    add(message(3, ALICE));
    expect(cursors()).toEqual(['c-m1', 'c-m2', 'c-m3']);
  });
});
