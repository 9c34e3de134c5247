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
