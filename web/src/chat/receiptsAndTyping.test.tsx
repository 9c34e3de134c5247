import { act, screen, waitFor } from '@testing-library/react';
import { connectionStatus } from '../apollo/connectionStatus';
import { useTypingFeed } from '../apollo/typing';
import { ALICE, BOB, CAROL, connection, message } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { ChatHistoryQuery, ConversationView, PAGE_SIZE } from './ConversationView';
import { outboxFor } from './outbox';
import { ConversationReadQuery, readThrough } from './useReadReceipts';
import { SetTypingMutation, TYPING_REFRESH_MS } from './useTypingSender';

const historyMock = (messages: ReturnType<typeof message>[]) => ({
  request: { query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: PAGE_SIZE } },
  result: { data: { chatHistory: connection(messages) } },
});
const readPosition = (m: ReturnType<typeof message> | null) => ({
  __typename: 'Conversation' as const,
  id: 'conv-ab',
  peerLastRead: m && { __typename: 'Message' as const, id: m.id, createdAt: m.createdAt },
});
const readMock = (m: ReturnType<typeof message> | null) => ({
  request: { query: ConversationReadQuery, variables: { withUserId: BOB.id } },
  result: { data: { conversation: m && readPosition(m) } },
});
const receipt = (m: ReturnType<typeof message>) => ({
  result: { data: { messagesRead: { __typename: 'ReadReceipt', conversation: readPosition(m) } } },
});

const status = (text: string) => screen.getByText(text).closest('li')!.getAttribute('data-status');
const statuses = (...texts: string[]) => texts.map(status);
const composer = () => screen.getByRole('textbox', { name: /message/i });
const header = () => screen.getByRole('heading', { name: 'Bob Baker' }).closest('header')!;

beforeEach(() => {
  outboxFor(ALICE.id).clear();
  window.localStorage.clear();
});
afterEach(() => {
  connectionStatus.reset();
  jest.restoreAllMocks();
});

describe('read receipts (✓✓)', () => {
  it('marks the viewer’s messages read up to the peer’s read position, and moves it live with each receipt', async () => {
    const [m1, m2, m3, m4] = [
      message(1, ALICE),
      message(2, ALICE),
      message(3, BOB, { readAt: 'x' }),
      message(4, ALICE),
    ];
    const { subscription } = renderWithApollo(<ConversationView peerId={BOB.id} onBack={() => {}} />, {
      mocks: [historyMock([m1!, m2!, m3!, m4!]), readMock(m1!)],
    });
    await waitFor(() => expect(statuses('Message 1', 'Message 2', 'Message 4')).toEqual(['read', 'sent', 'sent']));

    const receipts = subscription('ConversationMessagesRead');
    await waitFor(() => expect(receipts.operation?.variables).toEqual({ withUserId: BOB.id }));
    act(() => receipts.simulateResult(receipt(m2!)));
    await waitFor(() => expect(statuses('Message 1', 'Message 2', 'Message 4')).toEqual(['read', 'read', 'sent']));
    act(() => receipts.simulateResult(receipt(m4!)));
    await waitFor(() => expect(status('Message 4')).toBe('read'));
  });

  it('shows the first receipt of a conversation that was empty when opened', async () => {
    const m1 = message(1, ALICE);
    const { subscription } = renderWithApollo(<ConversationView peerId={BOB.id} onBack={() => {}} />, {
      mocks: [historyMock([m1]), readMock(null)],
    });
    await waitFor(() => expect(status('Message 1')).toBe('sent'));
    act(() => subscription('ConversationMessagesRead').simulateResult(receipt(m1)));
    await waitFor(() => expect(status('Message 1')).toBe('read'));
  });

  it('counts messages not held by their time', () => {
    const list = [message(1, ALICE), message(5, ALICE), message(9, ALICE)];
    expect(readThrough(list, null)).toBe(-1);
    expect(readThrough(list, { id: 'm5', createdAt: list[1]!.createdAt })).toBe(1);
    expect(readThrough(list, { id: 'older', createdAt: message(0, ALICE).createdAt })).toBe(-1);
    expect(readThrough(list, { id: 'between', createdAt: message(6, ALICE).createdAt })).toBe(1);
    expect(readThrough(list, { id: 'newer', createdAt: message(12, ALICE).createdAt })).toBe(2);
  });
});

describe('typing', () => {
  it('shows “typing…” in the header while the peer types, until they stop or the socket drops', async () => {
    act(() => connectionStatus.set('connected'));
    // As ChatShell composes it: the app's one typing subscription, the conversation reading from it.
    function WithTypingFeed() {
      useTypingFeed();
      return <ConversationView peerId={BOB.id} onBack={() => {}} />;
    }
    const { subscription } = renderWithApollo(<WithTypingFeed />, {
      mocks: [historyMock([message(1, BOB, { readAt: 'x' })])],
    });
    await screen.findByText('Message 1');
    const typing = subscription('Typing');
    // Everyone's typing to the viewer (no withUserId), one subscription.
    await waitFor(() => expect(typing.operation?.variables).toEqual({}));
    const event = (who: { id: string }, on: boolean) => ({
      result: { data: { typing: { __typename: 'TypingEvent', user: { __typename: 'User', id: who.id }, typing: on } } },
    });

    // Someone else typing to the viewer is not Bob.
    act(() => typing.simulateResult(event(CAROL, true)));
    act(() => typing.simulateResult(event(BOB, true)));
    await waitFor(() => expect(header()).toHaveTextContent('typing…'));
    act(() => typing.simulateResult(event(BOB, false)));
    await waitFor(() => expect(header()).not.toHaveTextContent('typing…'));
    expect(header()).toHaveTextContent('@bob');

    act(() => typing.simulateResult(event(BOB, true)));
    await waitFor(() => expect(header()).toHaveTextContent('typing…'));
    act(() => connectionStatus.set('reconnecting'));
    await waitFor(() => expect(header()).not.toHaveTextContent('typing…'));
  });

  it('tells the peer: at most every few seconds while typing, and stopped when emptied, sent or left', async () => {
    const calls: boolean[] = [];
    const start = Date.now();
    let now = start;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const { user } = renderWithApollo(<ConversationView peerId={BOB.id} onBack={() => {}} />, {
      mocks: [
        historyMock([message(1, BOB, { readAt: 'x' })]),
        {
          request: {
            query: SetTypingMutation,
            variables: (v: Record<string, unknown>) => (
              v.withUserId === BOB.id && calls.push(v.typing as boolean),
              true
            ),
          },
          result: { data: { setTyping: true } },
          maxUsageCount: Number.POSITIVE_INFINITY,
        },
      ],
    });
    await screen.findByText('Message 1');

    await user.type(composer(), 'Hello');
    expect(calls).toEqual([true]); // five keystrokes, one notice
    now += TYPING_REFRESH_MS + 100;
    await user.type(composer(), ' Bob');
    expect(calls).toEqual([true, true]); // refreshed
    await user.clear(composer());
    await waitFor(() => expect(calls).toEqual([true, true, false]));

    await user.type(composer(), 'Hi{Enter}');
    await waitFor(() => expect(calls).toEqual([true, true, false, true, false])); // sent
    await user.type(composer(), 'One more');
    await user.tab(); // focus leaves the composer
    await waitFor(() => expect(calls).toEqual([true, true, false, true, false, true, false]));
  });
});
