import { ApolloLink } from '@apollo/client/link';
import { ApolloProvider } from '@apollo/client/react';
import { MockLink, MockSubscriptionLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { createCache } from '../apollo/cache';
import { createParleyClient } from '../apollo/client';
import { connectionStatus } from '../apollo/connectionStatus';
import { createErrorLink } from '../apollo/errorLink';
import { MeQuery, SessionProvider } from '../auth/session';
import { tokenStore } from '../auth/tokenStore';
import { EVERYWHERE_UNREACHABLE, LogOutEverywhereMutation, LogOutMutation } from '../auth/useLogOut';
import { outboxFor, outboxStorageKey } from '../chat/outbox';
import { INBOX_PAGE_SIZE, InboxQuery } from '../inbox/useInbox';
import { SearchUsersQuery } from '../users/UserSearch';
import { fakeGraphqlServer, FakeSocket } from '../test/fakeGraphqlServer';
import { ALICE, BOB, inbox } from '../test/fixtures';
import { App } from './App';

const EXPIRED = 'Your session has expired. Please log in again.';
const ENDED_ELSEWHERE = 'You were signed out from another device. Please log in again.';

/** Alice is signed in on this device, with an unsent message and a remembered name. */
function signedInWithLocalData() {
  window.localStorage.setItem('parley.token', 'good-token');
  window.localStorage.setItem('parley.viewer', JSON.stringify({ token: 'good-token', viewer: ALICE }));
  window.localStorage.setItem(
    outboxStorageKey(ALICE.id),
    JSON.stringify([
      {
        clientMessageId: 'c-1',
        recipientId: BOB.id,
        content: 'unsent',
        createdAt: '2026-11-25T10:00:00.000Z',
        attempts: 1,
        status: 'failed', // not resent while the test runs
        error: 'Message content is too long.',
      },
    ]),
  );
  window.localStorage.setItem('parley.peers', JSON.stringify({ [BOB.id]: { username: 'bob', displayName: 'Bob' } }));
  outboxFor(ALICE.id).reload();
  tokenStore.reload();
}

/** Nothing of the session is left on this device. */
function expectLocalDataGone() {
  expect(tokenStore.get()).toBeNull();
  expect(window.localStorage.getItem('parley.token')).toBeNull();
  expect(window.localStorage.getItem('parley.viewer')).toBeNull();
  expect(window.localStorage.getItem(outboxStorageKey(ALICE.id))).toBeNull();
  expect(window.localStorage.getItem('parley.peers')).toBeNull();
}

afterEach(() => {
  window.localStorage.clear();
  tokenStore.reload();
  outboxFor(ALICE.id).reload();
  connectionStatus.reset();
});

describe('with mocked operations', () => {
  /** The app under MockedProvider with the app's error link (UNAUTHENTICATED → drop the token). */
  function renderApp(mocks: MockLink.MockedResponse[]) {
    const operations = new MockLink([
      { request: { query: MeQuery }, result: { data: { me: ALICE } } },
      { request: { query: InboxQuery, variables: { first: INBOX_PAGE_SIZE } }, result: { data: inbox([]) } },
      ...mocks,
    ]);
    const link = ApolloLink.from([
      createErrorLink(),
      ApolloLink.split((op) => isSubscriptionOperation(op.query), new MockSubscriptionLink(), operations),
    ]);
    render(
      <MockedProvider cache={createCache()} link={link}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MockedProvider>,
    );
    return userEvent.setup();
  }

  const counted = <T,>(data: T) => jest.fn(() => ({ data }));

  it('Log out ends the session on the server, then signs out here and forgets the outbox and names', async () => {
    signedInWithLocalData();
    const logOut = counted({ logOut: true });
    const user = renderApp([{ request: { query: LogOutMutation }, result: logOut, delay: 300 }]);
    await screen.findByText('Alice Archer');

    await user.click(screen.getByRole('button', { name: 'Log out' }));
    // While the server answers, this device is still signed in.
    expect(screen.getByRole('button', { name: 'Logging out…' })).toBeDisabled();
    expect(tokenStore.get()).toBe('good-token');

    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(logOut).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(EXPIRED)).not.toBeInTheDocument();
    expectLocalDataGone();
  });

  it('Log out signs out here all the same when the server cannot be reached (nothing to tell: the session lapses)', async () => {
    signedInWithLocalData();
    const user = renderApp([{ request: { query: LogOutMutation }, error: new TypeError('Failed to fetch') }]);
    await screen.findByText('Alice Archer');

    await user.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(EXPIRED)).not.toBeInTheDocument();
    expectLocalDataGone();
  });

  it('Log out of a session the server already refuses (UNAUTHENTICATED) is a log-out, not an expiry', async () => {
    signedInWithLocalData();
    const user = renderApp([
      {
        request: { query: LogOutMutation },
        result: {
          errors: [
            new GraphQLError('The session has ended: log in again.', { extensions: { code: 'UNAUTHENTICATED' } }),
          ],
        },
      },
    ]);
    await screen.findByText('Alice Archer');
    await user.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.queryByText(EXPIRED)).not.toBeInTheDocument();
    expectLocalDataGone();
  });

  it('Log out everywhere is offered from a disclosure next to Log out, and signs out here once the server has ended every session', async () => {
    signedInWithLocalData();
    const everywhere = counted({ logOutEverywhere: 3 });
    const user = renderApp([{ request: { query: LogOutEverywhereMutation }, result: everywhere, delay: 300 }]);
    await screen.findByText('Alice Archer');

    const more = screen.getByRole('button', { name: 'More ways to log out' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('button', { name: 'Log out everywhere' })).not.toBeInTheDocument();
    await user.click(more);
    expect(more).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('group', { name: 'Your sessions' })).toHaveAttribute(
      'id',
      more.getAttribute('aria-controls'),
    );

    // Escape closes it and gives the focus back.
    await user.keyboard('{Tab}{Escape}');
    expect(more).toHaveAttribute('aria-expanded', 'false');
    expect(more).toHaveFocus();

    await user.click(more);
    await user.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    expect(screen.getByRole('button', { name: 'Logging out everywhere…' })).toBeDisabled();
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(everywhere).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(EXPIRED)).not.toBeInTheDocument();
    expectLocalDataGone();
  });

  it('Log out everywhere that fails keeps this device signed in and says the other devices still are', async () => {
    signedInWithLocalData();
    const user = renderApp([
      { request: { query: LogOutEverywhereMutation }, error: new TypeError('Failed to fetch') },
      {
        request: { query: LogOutEverywhereMutation },
        result: {
          errors: [
            new GraphQLError('The database is unavailable right now: try again shortly.', {
              extensions: { code: 'SERVICE_UNAVAILABLE' },
            }),
          ],
        },
      },
      {
        request: { query: LogOutEverywhereMutation },
        result: {
          errors: [
            new GraphQLError('Too many requests: try again in 5 s.', {
              extensions: { code: 'RATE_LIMITED', retryAfter: 5 },
            }),
          ],
        },
      },
      { request: { query: LogOutEverywhereMutation }, result: { data: { logOutEverywhere: 2 } } },
    ]);
    await screen.findByText('Alice Archer');
    await user.click(screen.getByRole('button', { name: 'More ways to log out' }));

    // Unreachable.
    await user.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(EVERYWHERE_UNREACHABLE);
    expect(EVERYWHERE_UNREACHABLE).toBe('Could not reach the server: your other devices are still signed in.');
    expect(screen.getByText('Alice Archer')).toBeInTheDocument();
    expect(tokenStore.get()).toBe('good-token');
    expect(window.localStorage.getItem(outboxStorageKey(ALICE.id))).not.toBeNull();
    expect(window.localStorage.getItem('parley.peers')).not.toBeNull();

    // Reachable, but the database is not: the same for the user.
    await user.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Log out everywhere' })).toBeEnabled());
    expect(screen.getByRole('alert')).toHaveTextContent(EVERYWHERE_UNREACHABLE);

    // Refused for now: the server's reason.
    await user.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Too many requests: try again in 5 s. Your other devices are still signed in.',
      ),
    );
    expect(tokenStore.get()).toBe('good-token');

    // Trying again once it works.
    await user.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expectLocalDataGone();
  });

  it('a session ended from another device (UNAUTHENTICATED) returns to the login screen with a message', async () => {
    signedInWithLocalData();
    const user = renderApp([
      {
        request: { query: SearchUsersQuery, variables: { search: null, first: 30 } },
        result: {
          errors: [
            new GraphQLError('The session has ended (logged out, or its user no longer exists): log in again.', {
              extensions: { code: 'UNAUTHENTICATED' },
            }),
          ],
        },
      },
    ]);
    await screen.findByText('Alice Archer');
    await user.click(screen.getByRole('tab', { name: 'Find people' }));

    // Ended, not expired: the server's message says which.
    expect(await screen.findByText(ENDED_ELSEWHERE)).toBeInTheDocument();
    expect(screen.queryByText(EXPIRED)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(tokenStore.get()).toBeNull();
    // Not a log-out of this device's own choosing: unsent messages wait for the next log-in.
    expect(window.localStorage.getItem(outboxStorageKey(ALICE.id))).not.toBeNull();
  });
});

describe('with the real client and a server that closes the socket (4403) when the session ends', () => {
  let dispose: (() => void) | undefined;
  afterEach(() => {
    dispose?.();
    dispose = undefined;
  });

  /** The app as main.tsx and SignedIn wire it, against a scripted server; waits for the subscription socket. */
  async function start(answers: Parameters<typeof fakeGraphqlServer>[0]) {
    const server = fakeGraphqlServer({
      Me: { data: { me: ALICE } },
      Inbox: { data: inbox([]) },
      UnreadCount: { data: { unreadCount: 0 } },
      ...answers,
    });
    const parley = createParleyClient({
      httpUri: 'http://parley.test/graphql',
      wsUrl: 'ws://parley.test/graphql',
      webSocketImpl: FakeSocket,
      fetch: server.fetch,
    });
    // As app/SignedIn.tsx wires the page's own client: the socket re-authenticates on every change of session
    // (SignedIn follows the session for a client provided to it, the socket aside).
    const stopRestarting = tokenStore.subscribe(() => parley.restartSocket());
    dispose = () => {
      stopRestarting();
      parley.dispose();
    };
    render(
      <ApolloProvider client={parley.client}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </ApolloProvider>,
    );
    await screen.findByText('Alice Archer');
    await waitFor(() => expect(connectionStatus.get()).toBe('connected'));
    return { ...server, user: userEvent.setup() };
  }

  /** What parley does: the session ends, its sockets are closed at once — before the answer goes out. */
  const endsSessionFirst = (socket: FakeSocket | null) => {
    if (!socket) return { errors: [{ message: 'expected over the socket' }] };
    socket.close(4403, 'Logged out');
    return 'no answer' as const;
  };

  it('Log out over the socket: the socket closing first is the log-out succeeding, not an expiry', async () => {
    signedInWithLocalData();
    const { user, received } = await start({ LogOut: endsSessionFirst });

    await user.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(received.filter((r) => r.operationName === 'LogOut')).toEqual([
      { operationName: 'LogOut', transport: 'socket' },
    ]);
    expect(screen.queryByText(EXPIRED)).not.toBeInTheDocument();
    await waitFor(() => expectLocalDataGone());
  });

  it('Log out everywhere over the socket: signed out here (never an error), everything forgotten', async () => {
    signedInWithLocalData();
    const { user, received } = await start({ LogOutEverywhere: endsSessionFirst });

    await user.click(screen.getByRole('button', { name: 'More ways to log out' }));
    await user.click(screen.getByRole('button', { name: 'Log out everywhere' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(received.filter((r) => r.operationName === 'LogOutEverywhere')).toEqual([
      { operationName: 'LogOutEverywhere', transport: 'socket' },
    ]);
    expect(screen.queryByText(EXPIRED)).not.toBeInTheDocument();
    expect(screen.queryByText(/other devices are still signed in/)).not.toBeInTheDocument();
    await waitFor(() => expectLocalDataGone());
  });

  it('Log out over HTTP (no socket up): the token goes with it, then this device signs out', async () => {
    signedInWithLocalData();
    const { user, received, socket } = await start({ LogOut: { data: { logOut: true } } });
    // The socket drops (network): the next operations go over HTTP.
    act(() => socket()!.close(1006, 'Abnormal closure'));

    await user.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(received.filter((r) => r.operationName === 'LogOut')).toEqual([
      { operationName: 'LogOut', transport: 'http', authorization: 'Bearer good-token' },
    ]);
    expectLocalDataGone();
  });

  it('another device logging out everywhere: the server closes this socket (4403) and the app returns to the login screen with a message', async () => {
    signedInWithLocalData();
    const { socket } = await start({});

    act(() => socket()!.close(4403, 'Logged out'));
    expect(await screen.findByText(ENDED_ELSEWHERE)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(tokenStore.get()).toBeNull();
    // Not this device's own log-out: its unsent messages wait for the next log-in.
    expect(window.localStorage.getItem(outboxStorageKey(ALICE.id))).not.toBeNull();
  });
});
