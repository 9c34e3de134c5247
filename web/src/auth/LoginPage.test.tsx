import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import manifest from '../gql/persisted-documents.json';
import { httpGraphql, type HttpAnswer } from '../test/httpGraphql';
import { ALICE } from '../test/fixtures';
import { LoginPage } from './LoginPage';
import { savedViewer } from './savedViewer';
import { SessionProvider } from './session';
import { tokenStore } from './tokenStore';

let server: ReturnType<typeof httpGraphql> | undefined;
afterEach(() => {
  server?.restore();
  server = undefined;
  window.localStorage.clear();
  tokenStore.reload();
});

/** The login page alone, as the browser first gets it: no Apollo anywhere, the server over HTTP. */
function renderLogin(answers: Record<string, HttpAnswer | HttpAnswer[]>) {
  tokenStore.clear();
  server = httpGraphql(answers);
  render(
    <SessionProvider>
      <LoginPage />
    </SessionProvider>,
  );
  return userEvent.setup();
}

it('logs in by the trusted document’s id, and keeps the token with the viewer', async () => {
  const user = renderLogin({ LogIn: { data: { logIn: { __typename: 'AuthPayload', token: 'fresh', user: ALICE } } } });
  await user.type(screen.getByLabelText('Username'), ' alice ');
  await user.type(screen.getByLabelText('Password'), 'hunter2hunter2');
  await user.click(screen.getByRole('button', { name: 'Log in' }));

  // Signed in (App.tsx then swaps the page for the chat).
  await waitFor(() => expect(tokenStore.get()).toBe('fresh'));
  expect(savedViewer.get('fresh')).toEqual(ALICE);
  const [request] = server!.received;
  expect(request).toEqual({
    operationName: 'LogIn',
    variables: { username: 'alice', password: 'hunter2hunter2' },
    query: undefined, // only the id: a server with TRUSTED_DOCUMENTS=only runs it
    sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    authorization: null,
  });
  expect((manifest as Record<string, string>)[`sha256:${request!.sha256Hash}`]).toMatch(/^mutation LogIn\b/);
});

it('sends the text as well when the server does not know the id (PERSISTED_QUERY_NOT_FOUND)', async () => {
  const user = renderLogin({
    SignUp: [
      { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
      { data: { signUp: { __typename: 'AuthPayload', token: 'new', user: ALICE } } },
    ],
  });
  await user.click(screen.getByRole('tab', { name: 'Sign up' }));
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'correct horse');
  await user.click(screen.getByRole('button', { name: 'Create account' }));

  await waitFor(() => expect(tokenStore.get()).toBe('new'));
  const [first, second] = server!.received;
  expect(first!.query).toBeUndefined();
  expect(second!.sha256Hash).toBe(first!.sha256Hash);
  expect(second!.query).toMatch(/^mutation SignUp\(/);
  expect(second!.variables).toEqual({ username: 'alice', password: 'correct horse', displayName: null });
});

it('shows the server’s “try again in N s” when log-in is throttled (RATE_LIMITED, HTTP 429), and stays on the form', async () => {
  const user = renderLogin({
    LogIn: {
      status: 429,
      headers: { 'content-type': 'application/graphql-response+json', 'retry-after': '898' },
      body: JSON.stringify({
        errors: [
          {
            message: 'Too many requests: try again in 898 s.',
            extensions: { code: 'RATE_LIMITED', retryAfter: 898 },
          },
        ],
      }),
    },
  });
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'guess-number-6');
  await user.click(screen.getByRole('button', { name: 'Log in' }));

  expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests: try again in 898 s.');
  expect(screen.getByRole('button', { name: 'Log in' })).toBeEnabled();
  expect(tokenStore.get()).toBeNull();
});

it('says the same for a sign-up refused with a bare 429 (no GraphQL body), from its Retry-After', async () => {
  const user = renderLogin({
    SignUp: { status: 429, headers: { 'retry-after': '60', 'content-type': 'text/plain' }, body: 'Too Many Requests' },
  });
  await user.click(screen.getByRole('tab', { name: 'Sign up' }));
  await user.type(screen.getByLabelText('Username'), 'newcomer');
  await user.type(screen.getByLabelText('Password'), 'correct horse');
  await user.click(screen.getByRole('button', { name: 'Create account' }));

  expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests: try again in 60 s.');
});

it('says when the server cannot be reached, or a proxy answers for it', async () => {
  const user = renderLogin({
    LogIn: [new TypeError('Failed to fetch'), { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>' }],
  });
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'hunter2hunter2');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
  expect(await screen.findByRole('alert')).toHaveTextContent(
    'Cannot reach the server. Check your connection and try again.',
  );
  await user.click(screen.getByRole('button', { name: 'Log in' }));
  expect(await screen.findByText('The server is not available right now.')).toBeInTheDocument();
});

it('follows the ARIA tabs pattern: arrow keys, Home and End move between Log in and Sign up', async () => {
  const user = renderLogin({});
  const logIn = screen.getByRole('tab', { name: 'Log in' });
  const signUp = screen.getByRole('tab', { name: 'Sign up' });
  expect(logIn).toHaveAttribute('aria-selected', 'true');
  expect(logIn).toHaveAttribute('tabindex', '0');
  expect(signUp).toHaveAttribute('tabindex', '-1');
  expect(screen.getByRole('tabpanel', { name: 'Log in' })).toBeInTheDocument();

  logIn.focus();
  await user.keyboard('{ArrowRight}');
  expect(signUp).toHaveFocus();
  expect(signUp).toHaveAttribute('aria-selected', 'true');
  expect(screen.getByRole('tabpanel', { name: 'Sign up' })).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Create account' })).toBeInTheDocument();

  await user.keyboard('{ArrowRight}'); // wraps around
  expect(logIn).toHaveFocus();
  await user.keyboard('{End}');
  expect(signUp).toHaveFocus();
  await user.keyboard('{Home}');
  expect(logIn).toHaveFocus();
  await user.keyboard('{ArrowLeft}');
  expect(signUp).toHaveFocus();
});

it('after a failed submit, says what is missing and focuses the first invalid field', async () => {
  const user = renderLogin({
    SignUp: {
      errors: [{ message: 'That username is taken.', extensions: { code: 'BAD_USER_INPUT', argument: 'username' } }],
    },
  });
  await user.click(screen.getByRole('button', { name: 'Log in' }));
  const username = screen.getByLabelText('Username');
  const password = screen.getByLabelText('Password');
  expect(username).toHaveFocus();
  expect(username).toHaveAttribute('aria-invalid', 'true');
  expect(username).toHaveAccessibleDescription('Enter your username.');
  expect(password).toHaveAttribute('aria-invalid', 'true');

  await user.type(username, 'alice');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
  expect(password).toHaveFocus();
  expect(username).not.toHaveAttribute('aria-invalid');

  // The server's refusal names a field: it is said under that one, which gets the focus.
  await user.click(screen.getByRole('tab', { name: 'Sign up' }));
  await user.type(screen.getByLabelText('Password'), 'correct horse');
  await user.click(screen.getByRole('button', { name: 'Create account' }));
  await waitFor(() => expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('That username is taken.'));
  expect(screen.getByLabelText('Username')).toHaveFocus();
  expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
  expect(screen.queryByRole('alert')).toBeNull(); // not a second time below the form
  // Typing a new username retires it.
  await user.type(screen.getByLabelText('Username'), 'x');
  expect(screen.getByLabelText('Username')).not.toHaveAttribute('aria-invalid');
});

it("sign-up checks the server's rules as one types: every problem at once, each under its own field", async () => {
  const user = renderLogin({});
  await user.click(screen.getByRole('tab', { name: 'Sign up' }));
  const username = screen.getByLabelText('Username');
  const password = screen.getByLabelText('Password');
  await user.type(username, 'al');
  await user.type(password, 'short');
  await user.tab();
  expect(username).toHaveAccessibleDescription('Username must be 3..32 characters: letters, digits, ".", "_" or "-".');
  expect(password).toHaveAccessibleDescription('Password must be at least 8 characters.');
  // Fixed as one types, it goes at once.
  await user.type(password, 'enough');
  expect(password).not.toHaveAttribute('aria-invalid');
  // Nothing is sent while a rule is broken; the first field to fix gets the focus.
  await user.click(screen.getByRole('button', { name: 'Create account' }));
  expect(username).toHaveFocus();
  expect(server!.received).toHaveLength(0);
});
