import { screen, waitFor } from '@testing-library/react';
import { useSession } from '../auth/session';
import { tokenStore, type LogoutReason } from '../auth/tokenStore';
import { renderWithApollo } from '../test/renderWithApollo';
import { DeleteAccountMutation, DeleteAccountSection } from './DeleteAccountSection';

/** As in the app: the settings are shown while signed in only (the login page replaces them). */
function SignedInOnly(props: { forget(): void }) {
  const { state } = useSession();
  return state.status === 'authenticated' ? <DeleteAccountSection forget={props.forget} /> : <p>Signed out</p>;
}

// Typing and round trips through the mocks: generous on a loaded machine.
jest.setTimeout(20_000);

afterEach(() => {
  tokenStore.clear();
  window.localStorage.clear();
});

it('asks for the username typed out and the password before it sends anything', async () => {
  const forget = jest.fn();
  const { user } = renderWithApollo(<SignedInOnly forget={forget} />);
  await user.click(screen.getByRole('button', { name: 'Delete my account' }));
  expect(screen.getByText('Type alice to confirm.')).toBeInTheDocument();
  expect(screen.getByText('Enter your password.')).toBeInTheDocument();
  const confirmation = screen.getByLabelText('Type your username (alice) to confirm');
  expect(confirmation).toHaveFocus();
  await user.type(confirmation, 'alicia');
  expect(screen.getByText('That is not your username.')).toBeInTheDocument();
  expect(tokenStore.get()).toBe('test-token');
  expect(forget).not.toHaveBeenCalled();
});

it('a wrong password is said under the field; the account and the session stay', async () => {
  const { user } = renderWithApollo(<SignedInOnly forget={jest.fn()} />, {
    mocks: [
      {
        request: { query: DeleteAccountMutation, variables: { password: 'wrong-password' } },
        result: { errors: [{ message: 'Wrong password.', extensions: { code: 'UNAUTHENTICATED' } }] },
      },
    ],
  });
  await user.type(screen.getByLabelText('Type your username (alice) to confirm'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'wrong-password');
  await user.click(screen.getByRole('button', { name: 'Delete my account' }));
  expect(await screen.findByText('Wrong password.')).toBeInTheDocument();
  expect(screen.getByLabelText('Password')).toHaveFocus();
  expect(tokenStore.get()).toBe('test-token');
});

it('deleted: this device forgets the user and signs out, saying why', async () => {
  const forget = jest.fn();
  const reasons: (LogoutReason | undefined)[] = [];
  const stop = tokenStore.subscribe((token, why) => token === null && reasons.push(why));
  const { user } = renderWithApollo(<SignedInOnly forget={forget} />, {
    mocks: [
      {
        request: { query: DeleteAccountMutation, variables: { password: 'hunter2hunter2' } },
        result: { data: { deleteAccount: true } },
      },
    ],
  });
  window.localStorage.setItem('parley.outbox.u-alice', '[]');
  await user.type(screen.getByLabelText('Type your username (alice) to confirm'), 'ALICE ');
  await user.type(screen.getByLabelText('Password'), 'hunter2hunter2');
  await user.click(screen.getByRole('button', { name: 'Delete my account' }));
  await waitFor(() => expect(tokenStore.get()).toBeNull());
  stop();
  expect(reasons).toEqual(['deleted']);
  expect(forget).toHaveBeenCalledTimes(1);
  expect(window.localStorage.getItem('parley.outbox.u-alice')).toBeNull();
});

it('the server closing the session first (its socket) is the deletion, not an ended session', async () => {
  const forget = jest.fn();
  const reasons: (LogoutReason | undefined)[] = [];
  const stop = tokenStore.subscribe((token, why) => token === null && reasons.push(why));
  const { user } = renderWithApollo(<SignedInOnly forget={forget} />, {
    mocks: [
      {
        request: { query: DeleteAccountMutation, variables: { password: 'hunter2hunter2' } },
        // What wsClient does on the 4403 close that comes before the answer, which never comes.
        result: () => {
          tokenStore.clear('ended');
          return { errors: [{ message: 'Socket closed', extensions: { code: 'UNAVAILABLE' } }] };
        },
      },
    ],
  });
  await user.type(screen.getByLabelText('Type your username (alice) to confirm'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'hunter2hunter2');
  await user.click(screen.getByRole('button', { name: 'Delete my account' }));
  await waitFor(() => expect(tokenStore.get()).toBeNull());
  stop();
  expect(reasons).toEqual(['deleted']);
  expect(forget).toHaveBeenCalledTimes(1);
});
