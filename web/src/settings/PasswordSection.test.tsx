import { screen } from '@testing-library/react';
import { tokenStore } from '../auth/tokenStore';
import { renderWithApollo } from '../test/renderWithApollo';
import { ChangePasswordMutation, PasswordSection } from './PasswordSection';

// Typing and round trips through the mocks: generous on a loaded machine.
jest.setTimeout(20_000);

afterEach(() => {
  tokenStore.clear();
  window.localStorage.clear();
});

const wrongPassword = {
  errors: [{ message: 'The current password is wrong.', extensions: { code: 'UNAUTHENTICATED' } }],
};

it('checks the new password as it is typed, and the current one on submit', async () => {
  const { user } = renderWithApollo(<PasswordSection />);
  await user.type(screen.getByLabelText('New password'), 'short');
  expect(screen.getByText('Password must be at least 8 characters.')).toBeInTheDocument();
  expect(screen.queryByText('Enter your current password.')).not.toBeInTheDocument();
  await user.click(screen.getByRole('button', { name: 'Change password' }));
  expect(screen.getByText('Enter your current password.')).toBeInTheDocument();
  expect(screen.getByLabelText('Current password')).toHaveFocus();
});

it('a wrong current password is said under that field, and this device stays signed in', async () => {
  const { user } = renderWithApollo(<PasswordSection />, {
    mocks: [
      {
        request: {
          query: ChangePasswordMutation,
          variables: { currentPassword: 'not-my-password', newPassword: 'a much better one' },
        },
        result: wrongPassword,
      },
    ],
  });
  await user.type(screen.getByLabelText('Current password'), 'not-my-password');
  await user.type(screen.getByLabelText('New password'), 'a much better one');
  await user.click(screen.getByRole('button', { name: 'Change password' }));
  expect(await screen.findByText('The current password is wrong.')).toBeInTheDocument();
  expect(screen.getByLabelText('Current password')).toHaveAttribute('aria-invalid', 'true');
  expect(screen.getByLabelText('Current password')).toHaveFocus();
  expect(tokenStore.get()).toBe('test-token');
});

it('changes it: the fields are emptied and a success message says the other sessions were signed out', async () => {
  const { user } = renderWithApollo(<PasswordSection />, {
    mocks: [
      {
        request: {
          query: ChangePasswordMutation,
          variables: { currentPassword: 'hunter2hunter2', newPassword: 'a much better one' },
        },
        result: { data: { changePassword: true } },
      },
    ],
  });
  await user.type(screen.getByLabelText('Current password'), 'hunter2hunter2');
  await user.type(screen.getByLabelText('New password'), 'a much better one');
  await user.click(screen.getByRole('button', { name: 'Change password' }));
  expect(await screen.findByText('Password changed. Your other sessions were signed out.')).toBeInTheDocument();
  expect(screen.getByLabelText('Current password')).toHaveValue('');
  expect(screen.getByLabelText('New password')).toHaveValue('');
});

it('a session that has ended meanwhile signs this device out', async () => {
  const { user } = renderWithApollo(<PasswordSection />, {
    mocks: [
      {
        request: { query: ChangePasswordMutation, variables: () => true },
        result: {
          errors: [
            {
              message: 'The session has ended (logged out). Log in again.',
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ],
        },
      },
    ],
  });
  await user.type(screen.getByLabelText('Current password'), 'hunter2hunter2');
  await user.type(screen.getByLabelText('New password'), 'a much better one');
  await user.click(screen.getByRole('button', { name: 'Change password' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('The session has ended');
  expect(tokenStore.get()).toBeNull();
});
