import { gql } from '@apollo/client';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ChatHistoryQuery, ConversationView, PAGE_SIZE } from './ConversationView';
import { MarkReadMutation } from './useMarkRead';
import { useMessageAddedSubscription } from './useMessageAddedSubscription';
import { SendMessageMutation } from './useSendMessage';
import { failedSends } from './failedSends';
import { ALICE, BOB, CAROL, connection, message } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { GEOMETRY, installScrollGeometry } from '../test/scrollGeometry';

const historyMock = (messages: ReturnType<typeof message>[], pageInfo = {}, before?: string) => ({
  request: {
    query: ChatHistoryQuery,
    variables: before ? { withUserId: BOB.id, last: PAGE_SIZE, before } : { withUserId: BOB.id, last: PAGE_SIZE },
  },
  result: { data: { chatHistory: connection(messages, pageInfo) } },
});

/** A sendMessage mock that records the variables it was called with. */
function sendMock(content: string, calls: Array<Record<string, unknown>>, opts: { fail?: boolean; id?: string } = {}) {
  return {
    request: {
      query: SendMessageMutation,
      variables: (v: Record<string, unknown>) => v.content === content && v.recipientId === BOB.id,
    },
    delay: 300, // long enough to observe the pending state reliably
    ...(opts.fail
      ? { error: new Error('Failed to fetch') }
      : {
          result: (v: Record<string, unknown>) => {
            calls.push(v);
            return {
              data: {
                sendMessage: message(opts.id ?? 'sent', ALICE, {
                  content,
                  clientMessageId: v.clientMessageId as string,
                }),
              },
            };
          },
        }),
  };
}

function Conversation() {
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

const composer = () => screen.getByRole('textbox', { name: /message/i });
const bubbles = () => screen.queryAllByTestId('message');
const bubbleWith = (text: string) => screen.getByText(text).closest('li') as HTMLElement;

beforeEach(() => failedSends.clear());

describe('ConversationView — sending', () => {
  it('shows a sent message at once as pending, then as sent when the server acknowledges it', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const { user } = renderWithApollo(<Conversation />, {
      mocks: [historyMock([message(1, BOB, { readAt: '2026-11-25T09:05:00.000Z' })]), sendMock('Hello Bob', calls)],
    });
    await screen.findByText('Message 1');

    await user.type(composer(), 'Hello Bob{Enter}');

    // Optimistic: in the list immediately, before the 300 ms mutation resolves.
    expect(bubbleWith('Hello Bob')).toHaveAttribute('data-status', 'pending');
    expect(within(bubbleWith('Hello Bob')).getByText('Sending…')).toBeInTheDocument();
    expect(composer()).toHaveValue('');

    await waitFor(() => expect(bubbleWith('Hello Bob')).toHaveAttribute('data-status', 'sent'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.clientMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bubbles().map((b) => b.textContent)).toEqual([
      expect.stringContaining('Message 1'),
      expect.stringContaining('Hello Bob'),
    ]);
  });

  it('marks a failed send with a retry action that re-sends the same clientMessageId', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const attempted: string[] = [];
    const failing = sendMock('Are you there?', calls, { fail: true });
    const failingMatcher = failing.request.variables;
    failing.request.variables = (v) => {
      const match = failingMatcher(v);
      if (match) attempted.push(v.clientMessageId as string);
      return match;
    };
    const { user } = renderWithApollo(<Conversation />, {
      mocks: [historyMock([]), failing, sendMock('Are you there?', calls, { id: 'ok' })],
    });
    await screen.findByText('No messages yet');

    await user.type(composer(), 'Are you there?{Enter}');
    await waitFor(() => expect(bubbleWith('Are you there?')).toHaveAttribute('data-status', 'failed'));
    expect(within(bubbleWith('Are you there?')).getByText('Not sent')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Retry sending message' }));
    expect(bubbleWith('Are you there?')).toHaveAttribute('data-status', 'pending');
    await waitFor(() => expect(bubbleWith('Are you there?')).toHaveAttribute('data-status', 'sent'));

    expect(attempted).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.clientMessageId).toBe(attempted[0]);
    expect(screen.queryByRole('button', { name: 'Retry sending message' })).not.toBeInTheDocument();
    expect(bubbles()).toHaveLength(1);
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

describe('ConversationView — history', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = installScrollGeometry();
  });
  afterEach(() => restore());

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
    const heightBefore = scroller.scrollHeight;
    act(() => {
      scroller.scrollTop = 0;
      fireEvent.scroll(scroller);
    });
    await screen.findByText('Message 1');
    await screen.findByText('This is the beginning of your conversation.');

    const texts = bubbles().map((b) => b.querySelector('.bubble__content')!.textContent);
    expect(texts).toEqual(Array.from({ length: 60 }, (_, i) => `Message ${i + 1}`));
    // The reader still looks at the same messages: offset by the added height.
    expect(scroller.scrollTop).toBe(scroller.scrollHeight - heightBefore);
    expect(scroller.scrollTop).toBeGreaterThanOrEqual(30 * GEOMETRY.ITEM);
  });
});

describe('ConversationView — live messages', () => {
  it('appends messageAdded results to the open conversation and marks them read', async () => {
    const markReadCalls: Array<Record<string, unknown>> = [];
    const { subscriptions, cache } = renderWithApollo(<ConversationWithLiveUpdates />, {
      mocks: [
        historyMock([message(1, ALICE)]),
        {
          request: { query: MarkReadMutation, variables: (v: Record<string, unknown>) => (markReadCalls.push(v), true) },
          result: { data: { markRead: { __typename: 'MarkReadPayload', count: 1, readAt: '2026-11-25T10:00:00.000Z' } } },
        },
      ],
    });
    await screen.findByText('Message 1');

    const live = { ...message(2, BOB, { content: 'Hi Alice, live!' }), recipient: { __typename: 'User', id: ALICE.id } };
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: live } } }));
    await screen.findByText('Hi Alice, live!');

    // A message in another conversation is not shown here…
    const other = { ...message(3, CAROL, { content: 'From Carol' }), recipient: { __typename: 'User', id: ALICE.id } };
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: other } } }));
    // …and a second delivery of the same message is not duplicated.
    act(() => subscriptions.simulateResult({ result: { data: { messageAdded: live } } }));

    await waitFor(() => expect(markReadCalls).toEqual([{ senderId: BOB.id, upToMessageId: 'm2' }]));
    await waitFor(() =>
      expect(cache.readFragment({ id: 'Message:m2', fragment: MarkReadProbe })).toEqual({ __typename: 'Message', readAt: '2026-11-25T10:00:00.000Z' }),
    );
    expect(screen.queryByText('From Carol')).not.toBeInTheDocument();
    expect(bubbles().map((b) => b.querySelector('.bubble__content')!.textContent)).toEqual(['Message 1', 'Hi Alice, live!']);
  });
});
