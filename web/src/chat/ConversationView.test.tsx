import { gql } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { act, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { connectionStatus } from '../apollo/connectionStatus';
import { ChatHistoryQuery, ConversationView, PAGE_SIZE } from './ConversationView';
import { outboxFor, outboxStorageKey, type OutboxEntry } from './outbox';
import { SendMessageMutation } from './outboxSender';
import { MarkReadMutation } from './useMarkRead';
import { useMessageAddedSubscription } from './useMessageAddedSubscription';
import { useOutboxDelivery } from './useOutboxDelivery';
import { ALICE, BOB, CAROL, connection, message } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { setOnScreen } from '../test/intersection';
import { GEOMETRY, installScrollGeometry } from '../test/scrollGeometry';

const historyMock = (messages: ReturnType<typeof message>[], pageInfo = {}, before?: string) => ({
  request: {
    query: ChatHistoryQuery,
    variables: before ? { withUserId: BOB.id, last: PAGE_SIZE, before } : { withUserId: BOB.id, last: PAGE_SIZE },
  },
  result: { data: { chatHistory: connection(messages, pageInfo) } },
});

type SendFailure = 'network' | { code: string; message: string };

/** A sendMessage mock that records the variables of every attempt it answers. */
function sendMock(
  content: string,
  calls: Array<Record<string, unknown>>,
  opts: { fail?: SendFailure; id?: number | string; delay?: number } = {},
) {
  return {
    request: {
      query: SendMessageMutation,
      variables: (v: Record<string, unknown>) => {
        const match = v.content === content && v.recipientId === BOB.id;
        if (match) calls.push(v);
        return match;
      },
    },
    delay: opts.delay ?? 300, // long enough to observe the pending state reliably
    ...(opts.fail === 'network'
      ? { error: new TypeError('Failed to fetch') }
      : opts.fail
        ? {
            error: new CombinedGraphQLErrors({
              errors: [{ message: opts.fail.message, extensions: { code: opts.fail.code } }],
            }),
          }
        : {
            result: (v: Record<string, unknown>) => ({
              data: {
                sendMessage: storedMessage(opts.id ?? 'sent', content, v.clientMessageId as string),
              },
            }),
          }),
  };
}

/** What the server stores for a send: stamped after every fixture message. */
const storedMessage = (id: number | string, content: string, clientMessageId: string) =>
  message(id, ALICE, { content, clientMessageId, createdAt: '2026-11-25T11:00:00.000Z' });

/** The signed-in app: outbox delivery runs alongside the open conversation. */
function Conversation() {
  useOutboxDelivery(ALICE.id);
  return <ConversationView peerId={BOB.id} onBack={() => {}} />;
}

function ConversationWithLiveUpdates() {
  useMessageAddedSubscription(ALICE.id);
  return <Conversation />;
}

/** Reads a message's readAt straight from the cache. */
const MarkReadProbe = gql`
  fragment MarkReadProbe on Message {
    readAt
  }
`;

// A conversation asks several things as it opens (history, read and block state): on a loaded machine (the
// shared CI box, load 20+) more than jest's default 5 s a test, and more than Testing Library's 1 s for the first
// page to show (with the block state's query, one in two runs went past it; with these margins, none).
jest.setTimeout(20_000);
configure({ asyncUtilTimeout: 4_000 });

const composer = () => screen.getByRole('textbox', { name: /message/i });
const bubbles = () => screen.queryAllByTestId('message');
const bubbleTexts = () => bubbles().map((b) => b.querySelector('.bubble__content')!.textContent);
const bubbleWith = (text: string) => screen.getByText(text).closest('li') as HTMLElement;
/** Where a row sits in the viewport in the fake geometry (scrollGeometry.ts): rows are ITEM tall below 36px. */
const viewportTop = (text: string) => {
  const li = bubbleWith(text);
  const list = li.parentElement!;
  return (
    36 +
    (parseFloat(list.style.paddingTop) || 0) +
    [...list.children].indexOf(li) * GEOMETRY.ITEM -
    screen.getByTestId('transcript').scrollTop
  );
};
const outbox = () => outboxFor(ALICE.id);
/** A message from Alice to Bob as messageAdded delivers it. */
const live = (m: ReturnType<typeof message>) => ({ ...m, recipient: { __typename: 'User', id: BOB.id } });

beforeEach(() => {
  outbox().clear();
  window.localStorage.clear();
});

describe('ConversationView — sending', () => {
  it('shows a sent message at once as pending, then as sent when the server acknowledges it', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const { user } = renderWithApollo(<Conversation />, {
      mocks: [historyMock([message(1, BOB, { readAt: '2026-11-25T09:05:00.000Z' })]), sendMock('Hello Bob', calls)],
    });
    await screen.findByText('Message 1');

    await user.type(composer(), 'Hello Bob{Enter}');

    // In the list immediately, before the 300 ms mutation resolves, and already persisted.
    expect(bubbleWith('Hello Bob')).toHaveAttribute('data-status', 'pending');
    expect(within(bubbleWith('Hello Bob')).getByText('Sending…')).toBeInTheDocument();
    expect(composer()).toHaveValue('');
    expect(JSON.parse(window.localStorage.getItem(outboxStorageKey(ALICE.id))!)).toEqual([
      expect.objectContaining({ recipientId: BOB.id, content: 'Hello Bob', status: 'pending' }),
    ]);

    await waitFor(() => expect(bubbleWith('Hello Bob')).toHaveAttribute('data-status', 'sent'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.clientMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bubbleTexts()).toEqual(['Message 1', 'Hello Bob']);
    expect(window.localStorage.getItem(outboxStorageKey(ALICE.id))).toBeNull();
  });

  it.each([
    ['the acknowledgement', 'ack'],
    ['the live event', 'live'],
  ])(
    'never drops the message from the screen while %s moves it from the outbox to the conversation',
    async (_, via) => {
      const calls: Array<Record<string, unknown>> = [];
      const { user, subscriptions } = renderWithApollo(<ConversationWithLiveUpdates />, {
        mocks: [
          historyMock([message(1, BOB)]),
          sendMock('Still here?', calls, { id: 9, delay: via === 'ack' ? 20 : 5_000 }),
        ],
      });
      await screen.findByText('Message 1');
      // Every DOM change is checked: no frame may lack the message once it is shown.
      const seen: number[] = [];
      const count = () => bubbles().filter((b) => b.textContent?.includes('Still here?')).length;
      const observer = new MutationObserver(() => seen.push(count()));
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });

      await user.type(composer(), 'Still here?{Enter}');
      await waitFor(() => expect(calls).toHaveLength(1));
      if (via === 'live') {
        // Outside act(), as in the browser: React and Apollo schedule their own updates.
        const stored = live(storedMessage(9, 'Still here?', calls[0]!.clientMessageId as string));
        subscriptions.simulateResult({ result: { data: { messageAdded: stored } } });
      }
      await waitFor(() => expect(bubbleWith('Still here?')).toHaveAttribute('data-status', 'sent'));
      await act(() => new Promise((r) => setTimeout(r, 50)));
      observer.disconnect();

      const shown = seen.slice(seen.indexOf(1));
      expect(shown.length).toBeGreaterThan(1);
      expect(shown.filter((n) => n !== 1)).toEqual([]);
      expect(outbox().all()).toEqual([]);
    },
  );

  it('keeps a send that cannot reach the server pending and retries it by itself with the same clientMessageId', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const { user } = renderWithApollo(<Conversation />, {
      mocks: [
        historyMock([]),
        sendMock('Are you there?', calls, { fail: 'network', delay: 5 }),
        sendMock('Are you there?', calls, { id: 'ok' }),
      ],
    });
    await screen.findByText('No messages yet');

    await user.type(composer(), 'Are you there?{Enter}');
    await waitFor(() => expect(within(bubbleWith('Are you there?')).getByText('Waiting to send')).toBeInTheDocument());
    expect(bubbleWith('Are you there?')).toHaveAttribute('data-status', 'pending');
    expect(screen.queryByRole('button', { name: 'Retry sending message' })).not.toBeInTheDocument();

    // The first retry comes after 0.5–1 s of backoff.
    await waitFor(() => expect(bubbleWith('Are you there?')).toHaveAttribute('data-status', 'sent'), { timeout: 3000 });
    expect(calls).toHaveLength(2);
    expect(calls[1]!.clientMessageId).toBe(calls[0]!.clientMessageId);
    expect(bubbles()).toHaveLength(1);
  });

  it('marks a rejected send failed with the reason, Retry re-sends the same clientMessageId, Discard drops it', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const rejected = { code: 'BAD_USER_INPUT', message: 'Message content is too long.' };
    const { user } = renderWithApollo(<Conversation />, {
      mocks: [
        historyMock([]),
        sendMock('Are you there?', calls, { fail: rejected, delay: 5 }),
        sendMock('Are you there?', calls, { id: 'ok' }),
        sendMock('Never mind', calls, {
          fail: { code: 'FORBIDDEN', message: 'You cannot message this user.' },
          delay: 5,
        }),
      ],
    });
    await screen.findByText('No messages yet');

    await user.type(composer(), 'Are you there?{Enter}');
    await waitFor(() => expect(bubbleWith('Are you there?')).toHaveAttribute('data-status', 'failed'));
    expect(within(bubbleWith('Are you there?')).getByText('Not sent')).toBeInTheDocument();
    expect(within(bubbleWith('Are you there?')).getByText('Message content is too long.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Retry sending message' }));
    expect(bubbleWith('Are you there?')).toHaveAttribute('data-status', 'pending');
    await waitFor(() => expect(bubbleWith('Are you there?')).toHaveAttribute('data-status', 'sent'));
    expect(calls.map((c) => c.clientMessageId)).toEqual([calls[0]!.clientMessageId, calls[0]!.clientMessageId]);
    expect(screen.queryByRole('button', { name: 'Retry sending message' })).not.toBeInTheDocument();

    await user.type(composer(), 'Never mind{Enter}');
    await waitFor(() => expect(bubbleWith('Never mind')).toHaveAttribute('data-status', 'failed'));
    await user.click(screen.getByRole('button', { name: 'Discard message' }));
    expect(screen.queryByText('Never mind')).not.toBeInTheDocument();
    expect(outbox().all()).toEqual([]);
    expect(bubbleTexts()).toEqual(['Are you there?']);
  });

  it('after a reload shows the unsent message from the outbox even when the server is unreachable', async () => {
    const left: OutboxEntry = {
      clientMessageId: 'c0ffee00-0000-4000-8000-000000000001',
      recipientId: BOB.id,
      content: 'Written before the reload',
      createdAt: '2026-11-25T10:00:00.000Z',
      attempts: 2,
      status: 'pending',
    };
    window.localStorage.setItem(outboxStorageKey(ALICE.id), JSON.stringify([left]));
    window.localStorage.setItem(
      'parley.peers',
      JSON.stringify({ [BOB.id]: { username: 'bob', displayName: 'Bob Baker' } }),
    );
    outbox().reload(); // what a fresh page would read
    const calls: Array<Record<string, unknown>> = [];
    renderWithApollo(<Conversation />, {
      mocks: [
        { ...historyMock([]), result: undefined, error: new TypeError('Failed to fetch') },
        sendMock('Written before the reload', calls, { fail: 'network', delay: 5 }),
      ],
    });

    await screen.findByText('Written before the reload');
    expect(bubbleWith('Written before the reload')).toHaveAttribute('data-status', 'pending');
    // Titled from the names remembered on this device (nothing in the cache).
    expect(screen.getByRole('heading', { name: 'Bob Baker' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Could not load this conversation: Cannot reach the server. Check your connection and try again. Unsent messages will be sent once the server is reachable.',
    );
    // Delivery was attempted at start, with the stored clientMessageId.
    await waitFor(() => expect(calls.map((c) => c.clientMessageId)).toEqual([left.clientMessageId]));
    await waitFor(() => expect(outbox().get(left.clientMessageId)?.attempts).toBe(3));
    expect(bubbleWith('Written before the reload')).toHaveAttribute('data-status', 'pending');
  });

  it('sends on Enter, inserts a newline on Shift+Enter, and never sends empty input', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const { user } = renderWithApollo(<Conversation />, {
      mocks: [historyMock([]), sendMock('first line\nsecond line', calls)],
    });
    await screen.findByText('No messages yet');
    const send = screen.getByRole('button', { name: 'Send message' });

    expect(send).toBeDisabled();
    await user.type(composer(), '   {Enter}');
    expect(bubbles()).toHaveLength(0);
    expect(send).toBeDisabled();

    await user.clear(composer());
    await user.type(composer(), 'first line{Shift>}{Enter}{/Shift}second line');
    expect(composer()).toHaveValue('first line\nsecond line');
    expect(bubbles()).toHaveLength(0);
    expect(send).toBeEnabled();

    await user.keyboard('{Enter}');
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.content).toBe('first line\nsecond line');
  });
});

describe('ConversationView — an unknown person', () => {
  it('says so and turns the composer off when the link names a user that does not exist', async () => {
    renderWithApollo(<Conversation />, {
      mocks: [
        {
          request: { query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: PAGE_SIZE } },
          result: {
            errors: [{ message: 'No user has the id given in withUserId.', extensions: { code: 'NOT_FOUND' } }],
          },
        },
      ],
    });
    expect(await screen.findByText('No such person')).toBeInTheDocument();
    expect(composer()).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Send message' })).toBeDisabled();
    expect(composer()).toHaveAccessibleDescription('You cannot send messages here: this person does not exist.');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('stays so when the socket connects afterwards: nothing is asked again (the composer never comes back on)', async () => {
    const asked: unknown[] = [];
    renderWithApollo(<Conversation />, {
      mocks: [
        {
          request: { query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: PAGE_SIZE } },
          result: () => {
            asked.push(1);
            return {
              errors: [{ message: 'No user has the id given in withUserId.', extensions: { code: 'NOT_FOUND' } }],
            };
          },
          maxUsageCount: 2,
        },
      ],
    });
    expect(await screen.findByText('No such person')).toBeInTheDocument();
    act(() => connectionStatus.set('connected'));
    await act(() => new Promise((r) => setTimeout(r, 100)));
    expect(asked).toHaveLength(1);
    expect(screen.getByText('No such person')).toBeInTheDocument();
    expect(composer()).toBeDisabled();
    connectionStatus.reset();
  });
});

describe('ConversationView — one bubble per message', () => {
  it.each([
    ['the live event arrives before the acknowledgement', 'live-first'],
    ['the acknowledgement arrives before the live event', 'ack-first'],
  ])('shows a sent message once when %s', async (_, order) => {
    const calls: Array<Record<string, unknown>> = [];
    const { user, subscriptions } = renderWithApollo(<ConversationWithLiveUpdates />, {
      mocks: [historyMock([message(1, BOB, { readAt: 'x' })]), sendMock('Only once', calls, { id: 7, delay: 400 })],
    });
    await screen.findByText('Message 1');
    await user.type(composer(), 'Only once{Enter}');
    await waitFor(() => expect(calls).toHaveLength(1));
    const stored = live(storedMessage(7, 'Only once', calls[0]!.clientMessageId as string));

    if (order === 'live-first') {
      act(() => subscriptions.simulateResult({ result: { data: { messageAdded: stored } } }));
      // The stored message replaced the pending one (same clientMessageId) at once.
      await waitFor(() => expect(bubbleWith('Only once')).toHaveAttribute('data-status', 'sent'));
      expect(bubbleTexts()).toEqual(['Message 1', 'Only once']);
      expect(outbox().all()).toEqual([]);
      await act(() => new Promise((r) => setTimeout(r, 500))); // the acknowledgement lands too
    } else {
      await waitFor(() => expect(bubbleWith('Only once')).toHaveAttribute('data-status', 'sent'));
      act(() => subscriptions.simulateResult({ result: { data: { messageAdded: stored } } }));
    }
    expect(bubbleTexts()).toEqual(['Message 1', 'Only once']);
    expect(bubbleWith('Only once')).toHaveAttribute('data-status', 'sent');
    expect(outbox().all()).toEqual([]);
  });

  it('hides an outbox entry whose message is already in the conversation (acknowledgement lost, page reloaded)', async () => {
    const left: OutboxEntry = {
      clientMessageId: 'c0ffee00-0000-4000-8000-000000000002',
      recipientId: BOB.id,
      content: 'Stored, answer lost',
      createdAt: '2026-11-25T10:00:00.000Z',
      attempts: 1,
      status: 'pending',
    };
    window.localStorage.setItem(outboxStorageKey(ALICE.id), JSON.stringify([left]));
    outbox().reload();
    const calls: Array<Record<string, unknown>> = [];
    renderWithApollo(<Conversation />, {
      mocks: [
        historyMock([storedMessage(5, left.content, left.clientMessageId)]),
        sendMock(left.content, calls, { id: 5, delay: 800 }),
      ],
    });
    await waitFor(() => expect(bubbles().some((b) => b.dataset.status === 'sent')).toBe(true));
    // The entry is still in the outbox (its resend is in flight) but not shown twice.
    expect(outbox().all()).toHaveLength(1);
    expect(bubbleTexts()).toEqual(['Stored, answer lost']);
    expect(bubbleWith('Stored, answer lost')).toHaveAttribute('data-status', 'sent');
    // The resend is answered with the stored message and clears the entry.
    await waitFor(() => expect(outbox().all()).toEqual([]));
    expect(calls.map((c) => c.clientMessageId)).toEqual([left.clientMessageId]);
    expect(bubbleTexts()).toEqual(['Stored, answer lost']);
  });
});

describe('ConversationView — history', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = installScrollGeometry();
  });
  afterEach(() => restore());

  it('offers a way back to the latest whenever scrolled up, counting the new messages below', async () => {
    const history = Array.from({ length: 20 }, (_, i) => message(1 + i, i % 2 ? ALICE : BOB, { readAt: 'x' }));
    const { subscriptions, user } = renderWithApollo(<ConversationWithLiveUpdates />, {
      mocks: [historyMock(history)],
    });
    await screen.findByText('Message 20');
    const scroller = screen.getByTestId('transcript');
    expect(screen.queryByRole('button', { name: /latest|new message/ })).toBeNull();

    act(() => {
      scroller.scrollTop = 0;
      fireEvent.scroll(scroller);
    });
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeInTheDocument();

    for (const n of [21, 22]) {
      const live = { ...message(n, BOB, { content: `Live ${n}` }), recipient: { __typename: 'User', id: ALICE.id } };
      act(() => subscriptions.simulateResult({ result: { data: { messageAdded: live } } }));
      // Arrived (announced); its row is below the reader, outside the virtualised window.
      await waitFor(() => expect(screen.getByRole('log', { name: 'New messages' })).toHaveTextContent(`Live ${n}`));
    }
    expect(scroller.scrollTop).toBe(0); // the reader's place is kept
    await user.click(screen.getByRole('button', { name: '2 new messages' }));
    expect(scroller.scrollTop).toBe(scroller.scrollHeight - scroller.clientHeight);
    await screen.findByText('Live 22');
    expect(screen.queryByRole('button', { name: /latest|new message/ })).toBeNull();
  });

  it('starts at the newest message and merges an older page on scroll-up, keeping the position', async () => {
    const newest = Array.from({ length: 30 }, (_, i) => message(31 + i, i % 2 ? ALICE : BOB, { readAt: 'x' }));
    // The older page overlaps the newest by one message (m31): it must appear once.
    const older = Array.from({ length: 31 }, (_, i) => message(1 + i, i % 2 ? ALICE : BOB, { readAt: 'x' }));
    renderWithApollo(<Conversation />, {
      mocks: [historyMock(newest, { hasPreviousPage: true }), historyMock(older, {}, 'c-m31')],
    });
    await screen.findByText('Message 60');
    const scroller = screen.getByTestId('transcript');

    // Starts scrolled to the bottom.
    expect(scroller.scrollTop).toBe(scroller.scrollHeight - scroller.clientHeight);
    expect(screen.queryByText('Message 30')).not.toBeInTheDocument();

    // Scroll to the top: the older page is requested and prepended.
    act(() => {
      scroller.scrollTop = 0;
      fireEvent.scroll(scroller);
    });
    await screen.findByText('This is the beginning of your conversation.');

    // The reader still looks at the same messages: Message 31 stays where it was at the top, below its day
    // (within a row: rows are estimated until measured; without keeping the place it would move by 30 rows).
    await waitFor(() => expect(Math.abs(viewportTop('Message 31') - (36 + GEOMETRY.ITEM))).toBeLessThan(GEOMETRY.ITEM));
    expect(scroller.scrollTop).toBeGreaterThanOrEqual(30 * GEOMETRY.ITEM);
    // Virtualised: only the rows around the reader are in the DOM, consecutive and oldest first.
    const shown = () => bubbleTexts().map((t) => Number(t!.replace('Message ', '')));
    expect(shown().length).toBeLessThan(60);
    expect(shown()).toEqual(Array.from({ length: shown().length }, (_, i) => shown()[0]! + i));

    // All 60 are there, each once: scrolled to the top, the first ones are shown.
    act(() => {
      scroller.scrollTop = 0;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(shown()[0]).toBe(1));
    expect(shown()).toEqual(Array.from({ length: shown().length }, (_, i) => i + 1));
  });
});

describe('ConversationView — live messages', () => {
  it('appends messageAdded results to the open conversation and marks them read', async () => {
    const markReadCalls: Array<Record<string, unknown>> = [];
    const { subscriptions, cache } = renderWithApollo(<ConversationWithLiveUpdates />, {
      mocks: [
        historyMock([message(1, ALICE)]),
        {
          request: {
            query: MarkReadMutation,
            variables: (v: Record<string, unknown>) => (markReadCalls.push(v), true),
          },
          result: {
            data: { markRead: { __typename: 'MarkReadPayload', count: 1, readAt: '2026-11-25T10:00:00.000Z' } },
          },
        },
      ],
    });
    await screen.findByText('Message 1');

    const live = {
      ...message(2, BOB, { content: 'Hi Alice, live!' }),
      recipient: { __typename: 'User', id: ALICE.id },
    };
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: live } } }));
    await screen.findByText('Hi Alice, live!');

    // A message in another conversation is not shown here…
    const other = { ...message(3, CAROL, { content: 'From Carol' }), recipient: { __typename: 'User', id: ALICE.id } };
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: other } } }));
    // …and a second delivery of the same message is not duplicated.
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: live } } }));

    await waitFor(() => expect(markReadCalls).toEqual([{ senderId: BOB.id, upToMessageId: 'm2' }]));
    await waitFor(() =>
      expect(cache.readFragment({ id: 'Message:m2', fragment: MarkReadProbe })).toEqual({
        __typename: 'Message',
        readAt: '2026-11-25T10:00:00.000Z',
      }),
    );
    expect(screen.queryByText('From Carol')).not.toBeInTheDocument();
    expect(bubbles().map((b) => b.querySelector('.bubble__content')!.textContent)).toEqual([
      'Message 1',
      'Hi Alice, live!',
    ]);
  });
});

describe('ConversationView — catching up with after', () => {
  afterEach(() => connectionStatus.reset());

  /** The conversation opens on a click (after a test has filled the cache), beside the all-conversations stream. */
  function OpensLater() {
    const [shown, setShown] = useState(false);
    useMessageAddedSubscription(ALICE.id);
    return shown ? (
      <Conversation />
    ) : (
      <button type="button" onClick={() => setShown(true)}>
        Open the conversation
      </button>
    );
  }
  const fromBob = (n: number) => ({
    ...message(n, BOB, { readAt: 'x' }),
    recipient: { __typename: 'User', id: ALICE.id },
  });

  it('opened fresh, the conversation has no stream of its own: the all-conversations one brings its messages, once', async () => {
    act(() => connectionStatus.set('connected'));
    const { subscriptions } = renderWithApollo(<ConversationWithLiveUpdates />, {
      mocks: [historyMock([message(1, BOB, { readAt: 'x' }), message(2, ALICE)])],
    });
    const subscribed: Array<Record<string, unknown>> = [];
    subscriptions.onSetup(() => subscribed.push({ ...subscriptions.operation!.variables }));
    await screen.findByText('Message 2');
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: fromBob(3) } } }));
    await screen.findByText('Message 3');
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(subscribed.filter((v) => v.withUserId)).toEqual([]);
  });

  it('from a kept cache: catches up after the newest page until it meets the all-conversations stream, and again after a reconnect', async () => {
    act(() => connectionStatus.set('connected'));
    const { subscriptions, cache } = renderWithApollo(<OpensLater />, {
      // The server's newest page, past what the cache kept.
      mocks: [historyMock([message(1, BOB, { readAt: 'x' }), message(2, ALICE), message(3, ALICE)])],
    });
    const subscribed: Array<Record<string, unknown>> = [];
    const unsubscribed: Array<Record<string, unknown>> = [];
    subscriptions.onSetup(() => subscribed.push({ ...subscriptions.operation!.variables }));
    const catchUps = () => subscribed.filter((v) => v.withUserId);
    cache.writeQuery({
      query: ChatHistoryQuery,
      variables: { withUserId: BOB.id, last: PAGE_SIZE },
      data: { chatHistory: connection([message(1, BOB, { readAt: 'x' }), message(2, ALICE)]) },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Open the conversation' }));
    // What the cache kept, at once; the catch-up waits for the newest page and goes on after it.
    expect(bubbleTexts()).toEqual(['Message 1', 'Message 2']);
    await screen.findByText('Message 3');
    await waitFor(() => expect(catchUps()).toEqual([{ withUserId: BOB.id, after: 'c-m3' }]));
    subscriptions.onUnsubscribe(() => unsubscribed.push({ ...subscriptions.operation!.variables }));

    // A message both streams deliver: they met, the catch-up ends (the next one crosses the socket once).
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: fromBob(4) } } }));
    await screen.findByText('Message 4');
    await waitFor(() => expect(unsubscribed.length).toBeGreaterThanOrEqual(1));
    expect(bubbleTexts()).toEqual(['Message 1', 'Message 2', 'Message 3', 'Message 4']);

    // The socket drops and comes back: what came meanwhile reached neither stream; the catch-up goes out again,
    // after the newest message held.
    act(() => connectionStatus.set('reconnecting'));
    act(() => connectionStatus.set('connected'));
    await waitFor(() =>
      expect(catchUps()).toEqual([
        { withUserId: BOB.id, after: 'c-m3' },
        { withUserId: BOB.id, after: 'c-m4' },
      ]),
    );
  });
});

describe('ConversationView — for screen readers', () => {
  it('names each message’s sender and time, and announces new incoming messages once', async () => {
    const { subscriptions } = renderWithApollo(<ConversationWithLiveUpdates />, {
      mocks: [historyMock([message(1, BOB, { content: 'Old news' }), message(2, ALICE, { content: 'Mine' })])],
    });
    await screen.findByText('Old news');
    const time = (n: number) =>
      new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(
        new Date(Date.UTC(2026, 10, 25, 9, 0) + n * 60_000),
      );
    expect(bubbleWith('Old news').closest('li')).toHaveTextContent(`Bob Baker, ${time(1)}: Old news`);
    expect(bubbleWith('Mine').closest('li')).toHaveTextContent(`You, ${time(2)}: Mine`);
    // The full date-time is on hover (title) and while the bubble has the focus: the bubble is the message's one
    // Tab stop, its time is not another.
    const shownTime = bubbleWith('Mine').querySelector('time')!;
    expect(shownTime).toHaveAttribute('title');
    expect(shownTime).toHaveAttribute('data-full', shownTime.getAttribute('title')!);
    expect(shownTime).not.toHaveAttribute('tabindex');
    expect(bubbleWith('Mine').closest('li')).toHaveAttribute('tabindex', '0');

    // The history is not announced…
    const log = screen.getByRole('log', { name: 'New messages' });
    expect(log).toHaveAttribute('aria-live', 'polite');
    expect(log).toBeEmptyDOMElement();

    // …a message arriving live is, once.
    const live = { ...message(3, BOB, { content: 'Fresh' }), recipient: { __typename: 'User', id: ALICE.id } };
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: live } } }));
    await screen.findByText('Fresh');
    expect(
      within(log)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([`Bob Baker, ${time(3)}: Fresh`]);
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: live } } }));
    expect(within(log).getAllByRole('listitem')).toHaveLength(1);
  });

  it('puts the focus in the composer when the conversation opens', async () => {
    renderWithApollo(<Conversation />, { mocks: [historyMock([message(1, BOB)])] });
    await screen.findByText('Message 1');
    expect(composer()).toHaveFocus();
  });
});

describe('ConversationView — reading is seeing', () => {
  afterEach(() => {
    setOnScreen(() => true);
    jest.restoreAllMocks();
  });

  it('opens under "New messages"; reads nothing off screen or unfocused, then up to the newest one seen', async () => {
    const markReadCalls: Array<Record<string, unknown>> = [];
    setOnScreen(() => false);
    renderWithApollo(<Conversation />, {
      mocks: [
        historyMock([message(1, BOB, { readAt: '2026-11-25T09:05:00.000Z' }), message(2, BOB), message(3, BOB)]),
        {
          request: {
            query: MarkReadMutation,
            variables: (v: Record<string, unknown>) => (markReadCalls.push(v), true),
          },
          result: {
            data: { markRead: { __typename: 'MarkReadPayload', count: 1, readAt: '2026-11-25T10:00:00.000Z' } },
          },
        },
      ],
    });
    await screen.findByText('Message 3');
    // The divider is right above the first unread message.
    const divider = await screen.findByText('New messages');
    expect(divider.closest('li')!.nextElementSibling).toHaveTextContent('Message 2');

    // The conversation is open, nothing is on screen: nothing is read.
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(markReadCalls).toEqual([]);

    // On screen, but the window has not the focus: still nothing.
    const hasFocus = jest.spyOn(document, 'hasFocus').mockReturnValue(false);
    act(() => void window.dispatchEvent(new Event('blur')));
    act(() => setOnScreen((el) => el.textContent?.includes('Message 2') ?? false));
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(markReadCalls).toEqual([]);

    // Focused: read up to Message 2 (on screen), not Message 3 (not).
    hasFocus.mockReturnValue(true);
    act(() => void window.dispatchEvent(new Event('focus')));
    await waitFor(() => expect(markReadCalls).toEqual([{ senderId: BOB.id, upToMessageId: 'm2' }]));
  });
});
