import { screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { BOB } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { ConversationMutedQuery, MuteToggle, SetConversationMutedMutation } from './MuteToggle';

const conversation = (muted: boolean) => ({ __typename: 'Conversation' as const, id: 'conv-ab', muted });
const mutedMock = (muted: boolean | null) => ({
  request: { query: ConversationMutedQuery, variables: { withUserId: BOB.id } },
  result: { data: { conversation: muted === null ? null : conversation(muted) } },
});
const setMock = (muted: boolean, result: object = { data: { setConversationMuted: conversation(muted) } }) => ({
  request: { query: SetConversationMutedMutation, variables: { withUserId: BOB.id, muted } },
  result,
});

describe('MuteToggle', () => {
  it('shows the conversation’s state and toggles it; the answer lands in Conversation:<id>', async () => {
    const { user, cache } = renderWithApollo(<MuteToggle peerId={BOB.id} hasMessages />, {
      mocks: [mutedMock(false), setMock(true), setMock(false)],
    });
    const mute = await screen.findByRole('button', { name: 'Mute notifications' });
    expect(mute).toHaveAttribute('aria-pressed', 'false');

    await user.click(mute);
    expect(mute).toHaveAttribute('aria-pressed', 'true'); // at once
    await waitFor(() => expect(cache.extract()['Conversation:conv-ab']).toMatchObject({ muted: true }));

    await user.click(mute);
    await waitFor(() => expect(cache.extract()['Conversation:conv-ab']).toMatchObject({ muted: false }));
    expect(mute).toHaveAttribute('aria-pressed', 'false');
  });

  it('goes back and says so when the server refuses', async () => {
    const { user } = renderWithApollo(<MuteToggle peerId={BOB.id} hasMessages />, {
      mocks: [mutedMock(false), setMock(true, { errors: [{ message: 'Not allowed', extensions: { code: 'X' } }] })],
    });
    const mute = await screen.findByRole('button', { name: 'Mute notifications' });
    await user.click(mute);
    await screen.findByRole('alert');
    expect(screen.getByRole('alert')).toHaveTextContent(/Could not mute/);
    expect(mute).toHaveAttribute('aria-pressed', 'false');
  });

  it('is not there before the conversation exists, and appears once it has a message', async () => {
    function FirstMessage() {
      const [hasMessages, setHasMessages] = useState(false);
      return (
        <>
          <button type="button" onClick={() => setHasMessages(true)}>
            First message
          </button>
          <MuteToggle peerId={BOB.id} hasMessages={hasMessages} />
        </>
      );
    }
    const { cache, user } = renderWithApollo(<FirstMessage />, { mocks: [mutedMock(null), mutedMock(false)] });
    await waitFor(() =>
      expect(cache.readQuery({ query: ConversationMutedQuery, variables: { withUserId: BOB.id } })).toEqual({
        conversation: null,
      }),
    );
    expect(screen.queryByRole('button', { name: 'Mute notifications' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'First message' }));
    await screen.findByRole('button', { name: 'Mute notifications' });
  });
});
