import { screen, within } from '@testing-library/react';
import { tokenStore } from '../auth/tokenStore';
import { renderWithApollo } from '../test/renderWithApollo';
import { LogOutSessionMutation, SESSIONS_PAGE_SIZE, SessionsQuery, SessionsSection } from './SessionsSection';

// Typing and round trips through the mocks: generous on a loaded machine.
jest.setTimeout(20_000);

afterEach(() => {
  tokenStore.clear();
  window.localStorage.clear();
});

const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1';

const session = (id: string, userAgent: string | null, current = false) => ({
  __typename: 'Session' as const,
  id,
  createdAt: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-06T10:00:00.000Z',
  userAgent,
  current,
});
const page = (sessions: ReturnType<typeof session>[], hasNextPage: boolean) => ({
  data: {
    sessions: {
      __typename: 'SessionConnection' as const,
      edges: sessions.map((node) => ({ __typename: 'SessionEdge' as const, cursor: `c-${node.id}`, node })),
      pageInfo: {
        __typename: 'PageInfo' as const,
        hasNextPage,
        endCursor: sessions.at(-1)?.id ? `c-${sessions.at(-1)!.id}` : null,
      },
    },
  },
});

it('lists where the user is signed in, this device marked, pages on, and signs out another', async () => {
  const { user } = renderWithApollo(<SessionsSection />, {
    mocks: [
      {
        request: { query: SessionsQuery, variables: { first: SESSIONS_PAGE_SIZE } },
        result: page([session('s1', CHROME_LINUX, true), session('s2', FIREFOX_WINDOWS)], true),
      },
      {
        request: { query: SessionsQuery, variables: { first: SESSIONS_PAGE_SIZE, after: 'c-s2' } },
        result: page([session('s3', SAFARI_IPHONE)], false),
      },
      { request: { query: LogOutSessionMutation, variables: { id: 's2' } }, result: { data: { logOutSession: true } } },
    ],
  });
  expect(screen.getByText('Loading your sessions…')).toBeInTheDocument();
  const list = await screen.findByRole('list', { name: 'Sessions' });
  const rows = within(list).getAllByRole('listitem');
  expect(rows).toHaveLength(2);
  expect(rows[0]).toHaveTextContent('Chrome on Linux');
  expect(rows[0]).toHaveTextContent('This device');
  expect(within(rows[0]!).queryByRole('button')).not.toBeInTheDocument(); // this one is "Log out"'s
  expect(rows[1]).toHaveTextContent('Firefox on Windows');
  expect(rows[1]).not.toHaveTextContent('This device');

  await user.click(screen.getByRole('button', { name: 'Show more sessions' }));
  expect(await within(list).findByText('Safari on iPhone')).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: 'Show more sessions' })).not.toBeInTheDocument();

  await user.click(screen.getByRole('button', { name: /^Sign out Firefox on Windows/ }));
  expect(await screen.findByText('Signed out Firefox on Windows.')).toBeInTheDocument();
  expect(within(list).queryByText('Firefox on Windows')).not.toBeInTheDocument();
  expect(within(list).getAllByRole('listitem')).toHaveLength(2);
  // The focus stays in the list (the button it was on is gone).
  expect(screen.getByRole('button', { name: /^Sign out Safari on iPhone/ })).toHaveFocus();
});

it('says when the list cannot be loaded, and tries again', async () => {
  const { user } = renderWithApollo(<SessionsSection />, {
    mocks: [
      {
        request: { query: SessionsQuery, variables: { first: SESSIONS_PAGE_SIZE } },
        error: new TypeError('Failed to fetch'),
      },
      {
        request: { query: SessionsQuery, variables: { first: SESSIONS_PAGE_SIZE } },
        result: page([session('s1', null, true)], false),
      },
    ],
  });
  expect(await screen.findByRole('alert')).toHaveTextContent('Could not load your sessions.');
  await user.click(screen.getByRole('button', { name: 'Try again' }));
  expect(await screen.findByText('Unknown device')).toBeInTheDocument();
});

it('says why another session could not be signed out', async () => {
  const { user } = renderWithApollo(<SessionsSection />, {
    mocks: [
      {
        request: { query: SessionsQuery, variables: { first: SESSIONS_PAGE_SIZE } },
        result: page([session('s1', CHROME_LINUX, true), session('s2', FIREFOX_WINDOWS)], false),
      },
      {
        request: { query: LogOutSessionMutation, variables: { id: 's2' } },
        result: { errors: [{ message: 'No such session.', extensions: { code: 'NOT_FOUND' } }] },
      },
    ],
  });
  await user.click(await screen.findByRole('button', { name: /^Sign out Firefox on Windows/ }));
  expect(await screen.findByRole('alert')).toHaveTextContent('Could not sign out Firefox on Windows. No such session.');
  expect(screen.getByText('Firefox on Windows')).toBeInTheDocument();
});
