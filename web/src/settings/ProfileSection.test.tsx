import { screen, waitFor } from '@testing-library/react';
import { savedViewer } from '../auth/savedViewer';
import { tokenStore } from '../auth/tokenStore';
import { ALICE } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { ProfileSection, UpdateProfileMutation } from './ProfileSection';

// Typing and round trips through the mocks: generous on a loaded machine.
jest.setTimeout(20_000);

afterEach(() => {
  tokenStore.clear();
  window.localStorage.clear();
});

it('checks the name as it is typed by sign-up’s rules, saves it and makes it the viewer’s', async () => {
  const { user } = renderWithApollo(<ProfileSection />, {
    mocks: [
      {
        request: { query: UpdateProfileMutation, variables: { displayName: 'Alice A.' } },
        result: { data: { updateProfile: { ...ALICE, displayName: 'Alice A.' } } },
      },
    ],
  });
  const input = screen.getByLabelText('Display name');
  expect(input).toHaveValue('Alice Archer');
  expect(screen.getByRole('button', { name: 'Save name' })).toBeDisabled(); // nothing changed

  await user.clear(input);
  await user.type(input, 'x'.repeat(65));
  expect(screen.getByText('DisplayName must be at most 64 characters.')).toBeInTheDocument();
  expect(input).toHaveAttribute('aria-invalid', 'true');
  expect(input).toHaveAccessibleDescription(/at most 64 characters/);
  await user.click(screen.getByRole('button', { name: 'Save name' }));
  expect(input).toHaveFocus(); // refused before sending: no mock answers anything else

  await user.clear(input);
  await user.type(input, '  Alice   A.  ');
  expect(input).not.toHaveAttribute('aria-invalid');
  await user.click(screen.getByRole('button', { name: 'Save name' }));
  expect(await screen.findByText('Name saved.')).toBeInTheDocument();
  expect(input).toHaveValue('Alice A.');
  // The session's viewer, kept for the next reload.
  await waitFor(() => expect(savedViewer.get('test-token')?.displayName).toBe('Alice A.'));
});

it('shows the server’s refusal under the field', async () => {
  const { user } = renderWithApollo(<ProfileSection />, {
    mocks: [
      {
        request: { query: UpdateProfileMutation, variables: { displayName: 'Alicia' } },
        result: {
          errors: [
            {
              message: 'displayName must not contain control or bidirectional override characters.',
              extensions: { code: 'BAD_USER_INPUT', argument: 'displayName' },
            },
          ],
        },
      },
    ],
  });
  const input = screen.getByLabelText('Display name');
  await user.clear(input);
  await user.type(input, 'Alicia');
  await user.click(screen.getByRole('button', { name: 'Save name' }));
  expect(
    await screen.findByText('DisplayName must not contain control or bidirectional override characters.'),
  ).toBeInTheDocument();
  expect(input).toHaveAttribute('aria-invalid', 'true');
  expect(input).toHaveFocus();
});
