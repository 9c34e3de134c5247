import { ServerError } from '@apollo/client/errors';
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { LoginPage, LogInMutation, SignUpMutation } from './LoginPage';
import { SessionProvider } from './session';
import { tokenStore } from './tokenStore';

function renderLogin(mocks: MockLink.MockedResponse[]) {
  tokenStore.clear();
  render(
    <MockedProvider mocks={mocks}>
      <SessionProvider>
        <LoginPage />
      </SessionProvider>
    </MockedProvider>,
  );
  return userEvent.setup();
}

it('shows the server’s “try again in N s” when log-in is throttled (RATE_LIMITED, HTTP 429), and stays on the form', async () => {
  const user = renderLogin([
    {
      request: { query: LogInMutation, variables: { username: 'alice', password: 'guess-number-6' } },
      result: {
        errors: [
          new GraphQLError('Too many requests: try again in 898 s.', {
            extensions: { code: 'RATE_LIMITED', retryAfter: 898 },
          }),
        ],
      },
    },
  ]);
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'guess-number-6');
  await user.click(screen.getByRole('button', { name: 'Log in' }));

  expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests: try again in 898 s.');
  expect(screen.getByRole('button', { name: 'Log in' })).toBeEnabled();
  expect(tokenStore.get()).toBeNull();
});

it('says the same for a sign-up refused with a bare 429 (no GraphQL body), from its Retry-After', async () => {
  const user = renderLogin([
    {
      request: {
        query: SignUpMutation,
        variables: () => true,
      },
      error: new ServerError('Response not successful: Received status code 429', {
        response: { status: 429, headers: new Headers({ 'retry-after': '60' }) } as Response,
        bodyText: 'Too Many Requests',
      }),
    },
  ]);
  await user.click(screen.getByRole('tab', { name: 'Sign up' }));
  await user.type(screen.getByLabelText('Username'), 'newcomer');
  await user.type(screen.getByLabelText('Password'), 'correct horse');
  await user.click(screen.getByRole('button', { name: 'Create account' }));

  expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests: try again in 60 s.');
});

it('follows the ARIA tabs pattern: arrow keys, Home and End move between Log in and Sign up', async () => {
  const user = renderLogin([]);
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
  const user = renderLogin([
    {
      request: { query: SignUpMutation, variables: () => true },
      result: {
        errors: [
          new GraphQLError('That username is taken.', {
            extensions: { code: 'BAD_USER_INPUT', argument: 'username' },
          }),
        ],
      },
    },
  ]);
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

  // The server's refusal names a field: that one gets the focus.
  await user.click(screen.getByRole('tab', { name: 'Sign up' }));
  await user.type(screen.getByLabelText('Password'), 'correct horse');
  await user.click(screen.getByRole('button', { name: 'Create account' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('That username is taken.');
  expect(screen.getByLabelText('Username')).toHaveFocus();
  expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
});
