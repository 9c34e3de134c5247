import { act, screen, waitFor, within } from '@testing-library/react';
import { connectionStatus } from '../apollo/connectionStatus';
import { useTypingFeed } from '../apollo/typing';
import { ALICE, BOB, CAROL, inbox, inboxConversation } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { Inbox } from './Inbox';
import { NotificationToggle } from './NotificationToggle';
import { desktopNotifications } from './notifications';
import { UnreadCountQuery, useUnreadTitle } from './unreadTotal';
import { useConversationUpdates } from './useConversationUpdates';
import { INBOX_PAGE_SIZE, InboxQuery } from './useInbox';

const DAN = { __typename: 'User' as const, id: 'u-dan', username: 'dan', displayName: 'Dan Dunn' };

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

const fromBob = inboxConversation(BOB, { id: 'b1', content: 'Lunch\ntoday?', from: BOB, at: at(10) }, 1);
const toCarol = inboxConversation(CAROL, { id: 'c1', content: 'See you', from: ALICE, at: at(5) });

const inboxMock = (data: ReturnType<typeof inbox>, after?: string) => ({
  request: { query: InboxQuery, variables: after ? { first: INBOX_PAGE_SIZE, after } : { first: INBOX_PAGE_SIZE } },
  result: { data },
});
const unreadMock = (unreadCount: number) => ({
  request: { query: UnreadCountQuery },
  result: { data: { unreadCount } },
});

/** The signed-in home as ChatShell composes it: the live inbox and the title. */
function Home(props: { onOpen?(peerId: string): void; onFindPeople?(): void; activePeerId?: string }) {
  const onOpen = props.onOpen ?? (() => {});
  useConversationUpdates(ALICE.id, { onOpen });
  useUnreadTitle();
  useTypingFeed();
  return (
    <Inbox
      viewerId={ALICE.id}
      activePeerId={props.activePeerId}
      onOpen={onOpen}
      onFindPeople={props.onFindPeople ?? (() => {})}
    />
  );
}

const list = () => screen.getByRole('list', { name: 'Conversations' });
const rowNames = () =>
  within(list())
    .getAllByRole('button')
    .map((b) => b.querySelector('.inbox-row__name')!.textContent);
const row = (name: string) => within(list()).getByRole('button', { name: new RegExp(`^${name}\\b`) });

afterEach(() => {
  connectionStatus.reset();
  document.title = 'parley';
});

describe('Inbox', () => {
  it('lists conversations by latest activity: name, preview (“You: …” for your own), time and unread badge; the total in the title', async () => {
    const { user } = renderWithApollo(<Home onOpen={(id) => opened.push(id)} activePeerId={CAROL.id} />, {
      mocks: [inboxMock(inbox([toCarol, fromBob]))], // the read policy orders them
    });
    const opened: string[] = [];
    await screen.findByRole('list', { name: 'Conversations' });

    expect(rowNames()).toEqual(['Bob Baker', 'Carol Chen']);
    expect(row('Bob Baker')).toHaveAccessibleName(/^Bob Baker\b.*Lunch today\?.*1 unread$/);
    expect(within(row('Bob Baker')).getByRole('img', { name: '1 unread' })).toHaveTextContent('1');
    expect(row('Bob Baker').querySelector('time')).toHaveAttribute('dateTime', at(10));
    expect(row('Carol Chen')).toHaveTextContent('You: See you');
    expect(within(row('Carol Chen')).queryByRole('img')).not.toBeInTheDocument();
    expect(row('Carol Chen')).toHaveAttribute('aria-current', 'page');
    expect(document.title).toBe('(1) parley');

    await user.click(row('Bob Baker'));
    expect(opened).toEqual([BOB.id]);
  });

  it('says “Muted” on a muted conversation’s row, and follows Conversation.muted in the cache', async () => {
    const { cache } = renderWithApollo(<Home />, {
      mocks: [inboxMock(inbox([{ ...fromBob, muted: true }, toCarol]))],
    });
    await screen.findByRole('list', { name: 'Conversations' });
    expect(within(row('Bob Baker')).getByRole('img', { name: 'Muted' })).toBeInTheDocument();
    expect(within(row('Carol Chen')).queryByRole('img', { name: 'Muted' })).not.toBeInTheDocument();
    // Muted from the conversation header (chat/MuteToggle.tsx writes Conversation:<id>).
    act(() => {
      cache.modify({ id: cache.identify(toCarol), fields: { muted: () => true } });
    });
    await waitFor(() => expect(within(row('Carol Chen')).getByRole('img', { name: 'Muted' })).toBeInTheDocument());
  });

  it('moves a conversation to the top and bumps its badge on a live update, adds a new peer at the top, clears a badge read elsewhere', async () => {
    const { subscription } = renderWithApollo(<Home />, {
      mocks: [inboxMock(inbox([fromBob, toCarol])), unreadMock(3), unreadMock(4), unreadMock(3)],
    });
    await screen.findByRole('list', { name: 'Conversations' });
    const updates = subscription('ConversationUpdated');

    // Carol writes: her conversation goes to the top with 2 unread.
    const fromCarol = inboxConversation(CAROL, { id: 'c2', content: 'Are you there?', from: CAROL, at: at(20) }, 2);
    act(() => updates.simulateResult({ result: { data: { conversationUpdated: fromCarol } } }));
    await waitFor(() => expect(rowNames()).toEqual(['Carol Chen', 'Bob Baker']));
    expect(row('Carol Chen')).toHaveAccessibleName(/Are you there\?.*2 unread$/);
    await waitFor(() => expect(document.title).toBe('(3) parley')); // asked again from the server

    // Someone new: added at the top.
    const fromDan = inboxConversation(DAN, { id: 'd1', content: 'Hello!', from: DAN, at: at(30) }, 1);
    act(() => updates.simulateResult({ result: { data: { conversationUpdated: fromDan } } }));
    await waitFor(() => expect(rowNames()).toEqual(['Dan Dunn', 'Carol Chen', 'Bob Baker']));
    await waitFor(() => expect(document.title).toBe('(4) parley'));

    // Bob's read on another device: same place (no new activity), badge gone.
    act(() => updates.simulateResult({ result: { data: { conversationUpdated: { ...fromBob, unreadCount: 0 } } } }));
    await waitFor(() => expect(within(row('Bob Baker')).queryByRole('img')).not.toBeInTheDocument());
    expect(rowNames()).toEqual(['Dan Dunn', 'Carol Chen', 'Bob Baker']);
    await waitFor(() => expect(document.title).toBe('(3) parley'));
  });

  it('fetches the inbox again, once, when the socket reconnects after an outage', async () => {
    act(() => connectionStatus.set('connected'));
    renderWithApollo(<Home />, {
      mocks: [
        inboxMock(inbox([fromBob, toCarol])),
        // Missed while disconnected: Carol wrote, Bob's was read elsewhere.
        inboxMock(
          inbox([
            inboxConversation(CAROL, { id: 'c2', content: 'Missed this?', from: CAROL, at: at(40) }, 1),
            { ...fromBob, unreadCount: 0 },
          ]),
        ),
      ],
    });
    await screen.findByRole('list', { name: 'Conversations' });
    expect(document.title).toBe('(1) parley');

    act(() => connectionStatus.set('reconnecting'));
    act(() => connectionStatus.set('connected'));
    await waitFor(() => expect(rowNames()).toEqual(['Carol Chen', 'Bob Baker']));
    expect(row('Carol Chen')).toHaveAccessibleName(/Missed this\?.*1 unread$/);
    expect(within(row('Bob Baker')).queryByRole('img')).not.toBeInTheDocument();
    expect(document.title).toBe('(1) parley');
  });

  it('pages forward with “Show more conversations”', async () => {
    const older = inboxConversation(DAN, { id: 'd0', content: 'Long ago', from: DAN, at: at(1) });
    const { user } = renderWithApollo(<Home />, {
      mocks: [
        inboxMock(inbox([fromBob, toCarol], 1, { hasNextPage: true, endCursor: 'cursor-2' })),
        inboxMock(inbox([older], 1), 'cursor-2'),
      ],
    });
    await screen.findByRole('list', { name: 'Conversations' });
    await user.click(screen.getByRole('button', { name: 'Show more conversations' }));
    await waitFor(() => expect(rowNames()).toEqual(['Bob Baker', 'Carol Chen', 'Dan Dunn']));
    expect(screen.queryByRole('button', { name: 'Show more conversations' })).not.toBeInTheDocument();
  });

  it('shows “typing…” in a row while the peer types, and the preview again when they stop', async () => {
    act(() => connectionStatus.set('connected'));
    // More rows than a page: every one follows its peer's typing through the app's one subscription.
    const others = Array.from({ length: INBOX_PAGE_SIZE + 1 }, (_, i) =>
      inboxConversation(
        { __typename: 'User' as const, id: `u-${i}`, username: `p${i}`, displayName: `Person ${i}` },
        { id: `p${i}`, content: `Note ${i}`, from: ALICE, at: at(1) },
      ),
    );
    const last = others.at(-1)!.peer;
    const { subscription } = renderWithApollo(<Home />, { mocks: [inboxMock(inbox([fromBob, ...others]))] });
    await screen.findByRole('list', { name: 'Conversations' });
    const typing = subscription('Typing');
    await waitFor(() => expect(typing.operation?.variables).toEqual({}));
    const event = (who: { id: string }, on: boolean) => ({
      result: { data: { typing: { __typename: 'TypingEvent', user: { __typename: 'User', id: who.id }, typing: on } } },
    });

    act(() => typing.simulateResult(event(BOB, true)));
    await waitFor(() => expect(row('Bob Baker')).toHaveTextContent('typing…'));
    expect(row('Bob Baker')).not.toHaveTextContent('Lunch');
    expect(row('Person 0')).not.toHaveTextContent('typing…');
    // The last row, beyond the first page's worth, too.
    act(() => typing.simulateResult(event(last, true)));
    await waitFor(() => expect(row(last.displayName)).toHaveTextContent('typing…'));

    act(() => typing.simulateResult(event(BOB, false)));
    await waitFor(() => expect(row('Bob Baker')).toHaveTextContent('Lunch today?'));

    // Nothing stale after an outage: the socket dropping hides it.
    act(() => typing.simulateResult(event(BOB, true)));
    await waitFor(() => expect(row('Bob Baker')).toHaveTextContent('typing…'));
    act(() => connectionStatus.set('reconnecting'));
    await waitFor(() => expect(row('Bob Baker')).toHaveTextContent('Lunch today?'));
    expect(row(last.displayName)).toHaveTextContent(`Note ${INBOX_PAGE_SIZE}`);
  }, 20_000);

  it('offers to find someone when there is no conversation yet', async () => {
    const found: string[] = [];
    const { user } = renderWithApollo(<Home onFindPeople={() => found.push('yes')} />, {
      mocks: [inboxMock(inbox([]))],
    });
    expect(await screen.findByText('No conversations yet — find someone to talk to')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Find people' }));
    expect(found).toEqual(['yes']);
  });

  it('says so when the inbox cannot be loaded, and tries again', async () => {
    const { user } = renderWithApollo(<Home />, {
      mocks: [
        {
          request: { query: InboxQuery, variables: { first: INBOX_PAGE_SIZE } },
          error: new TypeError('Failed to fetch'),
        },
        inboxMock(inbox([fromBob])),
      ],
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load your conversations. Cannot reach the server.',
    );
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rowNames()).toEqual(['Bob Baker']));
  });
});

describe('desktop notifications', () => {
  class FakeNotification {
    static permission: NotificationPermission = 'default';
    static requestPermission = jest.fn(async () => {
      FakeNotification.permission = FakeNotification.answer;
      return FakeNotification.answer;
    });
    static answer: NotificationPermission = 'granted';
    static shown: FakeNotification[] = [];
    onclick: (() => void) | null = null;
    onclose: (() => void) | null = null;
    closed = false;
    constructor(
      public title: string,
      public options: NotificationOptions,
    ) {
      FakeNotification.shown.push(this);
    }
    close() {
      this.closed = true;
      this.onclose?.();
    }
  }

  const setHidden = (hidden: boolean) =>
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });

  beforeEach(() => {
    (window as unknown as { Notification: unknown }).Notification = FakeNotification;
    jest.spyOn(window, 'focus').mockImplementation(() => {});
    FakeNotification.permission = 'default';
    FakeNotification.answer = 'granted';
    FakeNotification.shown = [];
    FakeNotification.requestPermission.mockClear();
    window.localStorage.clear();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    setHidden(false);
    delete (window as unknown as { Notification?: unknown }).Notification;
  });

  it('asks for permission only from the click, shows one when a message arrives in a hidden tab, and opens the conversation from it', async () => {
    const opened: string[] = [];
    const { user, subscription } = renderWithApollo(
      <>
        <NotificationToggle />
        <Home onOpen={(id) => opened.push(id)} />
      </>,
      { mocks: [inboxMock(inbox([fromBob])), unreadMock(2), unreadMock(2), unreadMock(0)] },
    );
    await screen.findByRole('list', { name: 'Conversations' });
    const toggle = screen.getByRole('button', { name: 'Desktop notifications' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled(); // never on load

    await user.click(toggle);
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(toggle).toHaveAttribute('aria-pressed', 'true'));

    const updates = subscription('ConversationUpdated');
    // Visible tab: no notification.
    const second = inboxConversation(BOB, { id: 'b2', content: 'Visible', from: BOB, at: at(11) }, 2);
    act(() => updates.simulateResult({ result: { data: { conversationUpdated: second } } }));
    await waitFor(() => expect(row('Bob Baker')).toHaveTextContent('Visible'));
    expect(FakeNotification.shown).toHaveLength(0);

    setHidden(true);
    const third = inboxConversation(BOB, { id: 'b3', content: 'Are you\nthere?', from: BOB, at: at(12) }, 3);
    act(() => updates.simulateResult({ result: { data: { conversationUpdated: third } } }));
    await waitFor(() => expect(FakeNotification.shown).toHaveLength(1));
    const [notification] = FakeNotification.shown;
    expect(notification!.title).toBe('Bob Baker');
    expect(notification!.options).toMatchObject({ body: 'Are you there?', tag: `parley-conversation-${fromBob.id}` });
    // The same message again (e.g. read elsewhere, then an update): not shown twice.
    act(() => updates.simulateResult({ result: { data: { conversationUpdated: { ...third } } } }));
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(FakeNotification.shown).toHaveLength(1);

    act(() => notification!.onclick!());
    expect(opened).toEqual([BOB.id]);
    expect(notification!.closed).toBe(true);
  });

  it('stays off when the browser refuses', async () => {
    FakeNotification.answer = 'denied';
    const { user } = renderWithApollo(<NotificationToggle />);
    const toggle = screen.getByRole('button', { name: 'Desktop notifications' });
    await user.click(toggle);
    await waitFor(() => expect(toggle).toBeDisabled());
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(desktopNotifications.state()).toBe('denied');
  });

  it('can be turned off again, which is remembered', async () => {
    FakeNotification.permission = 'granted';
    const { user } = renderWithApollo(<NotificationToggle />);
    const toggle = screen.getByRole('button', { name: 'Desktop notifications' });
    expect(toggle).toHaveAttribute('aria-pressed', 'true'); // allowed before, never turned off here
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(desktopNotifications.state()).toBe('off');
    expect(window.localStorage.getItem('parley.notifications')).toBe('off');
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
  });
});
