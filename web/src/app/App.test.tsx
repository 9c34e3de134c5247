import { ApolloLink } from '@apollo/client/link';
import { MockLink, MockSubscriptionLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createCache } from '../apollo/cache';
import { createErrorLink } from '../apollo/errorLink';
import { MeQuery, SessionProvider } from '../auth/session';
import { tokenStore } from '../auth/tokenStore';
import { LogOutMutation } from '../auth/useLogOut';
import { outboxFor, outboxStorageKey } from '../chat/outbox';
import { SendMessageMutation } from '../chat/outboxSender';
import { INBOX_PAGE_SIZE, InboxQuery } from '../inbox/useInbox';
import { ALICE, BOB, CAROL, inbox, inboxConversation } from '../test/fixtures';
import { httpGraphql, type HttpAnswer } from '../test/httpGraphql';
import { SearchUsersQuery } from '../users/UserSearch';
import { App } from './App';

const inboxMock = (data: ReturnType<typeof inbox>) => ({
  request: { query: InboxQuery, variables: { first: INBOX_PAGE_SIZE } },
  result: { data },
});

let http: ReturnType<typeof httpGraphql> | undefined;
afterEach(() => {
  http?.restore();
  http = undefined;
});

/**
 * The app: what it sends before the signed-in app is loaded goes over plain HTTP (`overHttp`, by operation name);
 * the signed-in app's operations go to a MockLink (`mocks`).
 */
function renderApp(mocks: MockLink.MockedResponse[], overHttp: Record<string, HttpAnswer | HttpAnswer[]> = {}) {
  http = httpGraphql(overHttp);
  const operations = new MockLink(mocks);
  const link = ApolloLink.from([
    createErrorLink(), // the app's own: UNAUTHENTICATED → drop the token
    ApolloLink.split((op) => isSubscriptionOperation(op.query), new MockSubscriptionLink(), operations),
  ]);
  return render(
    <MockedProvider cache={createCache()} link={link}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </MockedProvider>,
  );
}

const unauthenticated = {
  data: { me: null },
  errors: [{ message: 'The token is not valid: log in again.', extensions: { code: 'UNAUTHENTICATED' } }],
};

it('sends an expired/invalid token back to the login screen, then logs in', async () => {
  window.localStorage.setItem('parley.token', 'stale-token');
  tokenStore.reload();

  renderApp(
    [
      { request: { query: MeQuery }, result: { data: { me: ALICE } } },
      inboxMock(
        inbox([
          inboxConversation(BOB, { id: 'm2', content: 'Lunch?', from: BOB, at: '2026-11-25T10:00:00.000Z' }, 2),
          inboxConversation(CAROL, { id: 'm1', content: 'See you', from: ALICE, at: '2026-11-24T10:00:00.000Z' }),
        ]),
      ),
      {
        request: { query: SearchUsersQuery, variables: { search: null, first: 30 } },
        result: {
          data: {
            users: {
              __typename: 'UserConnection',
              edges: [ALICE, BOB].map((node) => ({ __typename: 'UserEdge', cursor: `c-${node.id}`, node })),
            },
          },
        },
      },
    ],
    {
      Me: unauthenticated,
      LogIn: ({ variables }) =>
        variables.username === 'alice' && variables.password === 'hunter2hunter2'
          ? { data: { logIn: { __typename: 'AuthPayload', token: 'fresh-token', user: ALICE } } }
          : { errors: [{ message: 'Wrong username or password.', extensions: { code: 'UNAUTHENTICATED' } }] },
    },
  );

  expect(await screen.findByText('Your session has expired. Please log in again.')).toBeInTheDocument();
  expect(tokenStore.get()).toBeNull();
  expect(window.localStorage.getItem('parley.token')).toBeNull();

  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'hunter2hunter2');
  await user.click(screen.getByRole('button', { name: 'Log in' }));

  expect(await screen.findByRole('button', { name: 'Log out' })).toBeInTheDocument();
  expect(tokenStore.get()).toBe('fresh-token');
  expect(window.localStorage.getItem('parley.token')).toBe('fresh-token');
  // Home is the inbox, most recent first, with the unread total in the title.
  const conversations = await screen.findByRole('list', { name: 'Conversations' });
  const rows = within(conversations).getAllByRole('button');
  // Each row is named first by who it is with, as shown.
  expect(rows[0]).toBe(within(conversations).getByRole('button', { name: /^Bob Baker\b.*Lunch\?.*2 unread$/ }));
  expect(rows[1]).toBe(within(conversations).getByRole('button', { name: /^Carol Chen\b.*You: See you$/ }));
  expect(within(rows[0]!).getByRole('img', { name: '2 unread' })).toHaveTextContent('2');
  expect(document.title).toBe('(2) parley');

  // Finding someone new is a tab away; the viewer is not offered as someone to talk to.
  await user.click(screen.getByRole('tab', { name: 'Find people' }));
  expect(await screen.findByRole('button', { name: /^Open conversation with Bob Baker\b/ })).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: /^Open conversation with Alice Archer\b/ })).not.toBeInTheDocument();
});

it('shows the server’s message when the credentials are wrong, and keeps the user on the form', async () => {
  tokenStore.clear();
  renderApp([], {
    LogIn: { errors: [{ message: 'Wrong username or password.', extensions: { code: 'UNAUTHENTICATED' } }] },
  });
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'wrong-password');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
  expect(screen.queryByText(/session has expired/)).not.toBeInTheDocument();
});

it('opens the chat with the saved viewer when the server cannot be reached after a reload; logging out forgets it and the outbox', async () => {
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
        status: 'pending',
      },
    ]),
  );
  window.localStorage.setItem(
    'parley.peers',
    JSON.stringify({ [BOB.id]: { username: 'bob', displayName: 'Bob Baker' } }),
  );
  outboxFor(ALICE.id).reload();
  tokenStore.reload();

  renderApp([
    { request: { query: MeQuery }, error: new TypeError('Failed to fetch') },
    { request: { query: InboxQuery, variables: { first: INBOX_PAGE_SIZE } }, error: new TypeError('Failed to fetch') },
    // The outbox is delivered at start (and fails: offline).
    { request: { query: SendMessageMutation, variables: () => true }, error: new TypeError('Failed to fetch') },
    // Log out cannot end the session on the server either: it signs out here all the same.
    { request: { query: LogOutMutation }, error: new TypeError('Failed to fetch') },
  ]);

  expect(await screen.findByText('Alice Archer')).toBeInTheDocument();
  expect(screen.queryByText(/Could not reach parley/)).not.toBeInTheDocument();
  expect(await screen.findByText(/Could not load your conversations/)).toBeInTheDocument();

  await userEvent.setup().click(screen.getByRole('button', { name: 'Log out' }));
  expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
  expect(window.localStorage.getItem('parley.viewer')).toBeNull();
  expect(window.localStorage.getItem(outboxStorageKey(ALICE.id))).toBeNull();
  expect(window.localStorage.getItem('parley.peers')).toBeNull();
});

it('does not use a viewer saved for another token', async () => {
  window.localStorage.setItem('parley.token', 'other-token');
  window.localStorage.setItem('parley.viewer', JSON.stringify({ token: 'good-token', viewer: ALICE }));
  tokenStore.reload();
  renderApp([{ request: { query: MeQuery }, result: { data: { me: BOB } } }, inboxMock(inbox([]))], {
    Me: new TypeError('Failed to fetch'),
  });
  expect(await screen.findByText('Could not reach parley. Failed to fetch')).toBeInTheDocument();
  expect(http!.received).toEqual([
    expect.objectContaining({ operationName: 'Me', authorization: 'Bearer other-token' }),
  ]);

  // Trying again once the server answers.
  http!.restore();
  http = httpGraphql({ Me: { data: { me: BOB } } });
  await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
  expect(await screen.findByText('Bob Baker')).toBeInTheDocument();
});

it('follows another tab: logging out there logs out here, and logging in there signs in here', async () => {
  window.localStorage.setItem('parley.token', 'good-token');
  window.localStorage.setItem('parley.viewer', JSON.stringify({ token: 'good-token', viewer: ALICE }));
  tokenStore.reload();
  const people = inboxMock(inbox([])); // each session's inbox: empty
  const byToken: Record<string, typeof ALICE> = { 'Bearer bob-token': BOB, 'Bearer carol-token': CAROL };
  renderApp(
    [
      { request: { query: MeQuery }, result: { data: { me: ALICE } } },
      people,
      { request: { query: MeQuery }, result: { data: { me: BOB } } },
      people,
      // Asked by the refetch as Carol's token replaces Bob's, and again once her session is shown.
      { request: { query: MeQuery }, result: { data: { me: CAROL } }, maxUsageCount: 2 },
      { ...people, maxUsageCount: 2 },
    ],
    // A session this tab has no viewer saved for is asked for over HTTP first.
    { Me: ({ authorization }) => ({ data: { me: byToken[authorization ?? ''] ?? null } }) },
  );
  expect(await screen.findByText('Alice Archer')).toBeInTheDocument();

  // What the browser tells this tab when another one changes the token.
  const otherTab = (token: string | null) =>
    act(() => {
      if (token) window.localStorage.setItem('parley.token', token);
      else window.localStorage.removeItem('parley.token');
      window.dispatchEvent(
        new StorageEvent('storage', { key: 'parley.token', newValue: token, storageArea: window.localStorage }),
      );
    });

  otherTab(null);
  expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
  expect(tokenStore.get()).toBeNull();
  expect(screen.queryByText(/session has expired/)).not.toBeInTheDocument();

  // Nothing of Alice's session is left to show: Bob is asked for from the server.
  otherTab('bob-token');
  expect(await screen.findByText('Bob Baker')).toBeInTheDocument();
  expect(screen.queryByText('Alice Archer')).not.toBeInTheDocument();
  expect(tokenStore.get()).toBe('bob-token');

  // A different session replacing this one directly (events missed): Bob's is ended first.
  otherTab('carol-token');
  expect(await screen.findByText('Carol Chen')).toBeInTheDocument();
  expect(screen.queryByText('Bob Baker')).not.toBeInTheDocument();
});
