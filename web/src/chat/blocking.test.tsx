import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { screen, waitFor, within } from '@testing-library/react';
import { tokenStore } from '../auth/tokenStore';
import { ALICE, BOB, connection, message } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { ChatHistoryQuery, ConversationView, PAGE_SIZE } from './ConversationView';
import { outboxFor } from './outbox';
import { SendMessageMutation } from './outboxSender';
import { BlockUserMutation, CANNOT_MESSAGE, ConversationBlockQuery, UnblockUserMutation } from './useBlock';
import { useOutboxDelivery } from './useOutboxDelivery';

// Several round trips through the mocks and a dialog: generous on a loaded machine.
jest.setTimeout(20_000);

// jsdom has <dialog> without its modal methods.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
});
afterEach(() => {
  outboxFor(ALICE.id).clear();
  tokenStore.clear();
  window.localStorage.clear();
});

const history = {
  request: { query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: PAGE_SIZE } },
  result: { data: { chatHistory: connection([message(1, BOB, { content: 'Hello there' })]) } },
  maxUsageCount: 5,
};
const blockState = (blockedByMe: boolean, blockedMe = false) => ({
  request: { query: ConversationBlockQuery, variables: { withUserId: BOB.id } },
  result: { data: { conversation: { __typename: 'Conversation' as const, id: 'conv-1', blockedByMe, blockedMe } } },
});

function Conversation() {
  useOutboxDelivery(ALICE.id);
  return <ConversationView peerId={BOB.id} onBack={() => {}} />;
}

it('blocks from the header after a confirmation: the conversation says so and the composer is off; unblocks', async () => {
  const { user } = renderWithApollo(<Conversation />, {
    mocks: [
      history,
      blockState(false),
      { request: { query: BlockUserMutation, variables: { userId: BOB.id } }, result: { data: { blockUser: true } } },
      {
        request: { query: UnblockUserMutation, variables: { userId: BOB.id } },
        result: { data: { unblockUser: true } },
      },
    ],
  });
  await screen.findByText('Hello there');
  await user.click(screen.getByRole('button', { name: 'Conversation options' }));
  await waitFor(() => expect(screen.getByRole('button', { name: 'Block Bob Baker…' })).toBeEnabled());
  await user.click(screen.getByRole('button', { name: 'Block Bob Baker…' }));

  const dialog = screen.getByRole('dialog', { name: /^Block Bob Baker\s?\?$/ });
  expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
  await user.click(within(dialog).getByRole('button', { name: 'Block' }));

  expect(await screen.findByText(/You blocked/, { selector: '.banner span' })).toHaveTextContent(
    'You blocked Bob Baker.',
  );
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  const composer = screen.getByRole('textbox', { name: /^Message / });
  expect(composer).toBeDisabled();
  expect(screen.getByText('You blocked Bob Baker. Unblock them to send messages.')).toBeInTheDocument();
  expect(screen.getByText('Hello there')).toBeInTheDocument(); // history stays

  await user.click(screen.getByRole('button', { name: 'Unblock' }));
  await waitFor(() => expect(screen.queryByText(/You blocked/)).not.toBeInTheDocument());
  expect(screen.getByRole('button', { name: 'Conversation options' })).toBeInTheDocument();
  expect(screen.getByRole('textbox', { name: /^Message / })).toBeEnabled();
});

it('cancelling the confirmation blocks nobody', async () => {
  const { user } = renderWithApollo(<Conversation />, { mocks: [history, blockState(false)] });
  await screen.findByText('Hello there');
  await user.click(screen.getByRole('button', { name: 'Conversation options' }));
  await waitFor(() => expect(screen.getByRole('button', { name: 'Block Bob Baker…' })).toBeEnabled());
  await user.click(screen.getByRole('button', { name: 'Block Bob Baker…' }));
  await user.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Conversation options' })).toHaveFocus();
  expect(screen.getByRole('textbox', { name: /^Message / })).toBeEnabled();
});

it('a conversation the viewer blocked earlier opens blocked', async () => {
  renderWithApollo(<Conversation />, { mocks: [history, blockState(true)] });
  expect(await screen.findByText(/You blocked/, { selector: '.banner span' })).toHaveTextContent(
    'You blocked Bob Baker.',
  );
  expect(screen.getByRole('textbox', { name: /^Message / })).toBeDisabled();
});

it('a conversation whose peer blocked the viewer says it cannot message them; the composer is off', async () => {
  renderWithApollo(<Conversation />, { mocks: [history, blockState(false, true)] });
  expect(await screen.findByText(CANNOT_MESSAGE, { selector: '.banner' })).toBeInTheDocument();
  expect(screen.getByRole('textbox', { name: /^Message / })).toBeDisabled();
  expect(screen.getByText('Hello there')).toBeInTheDocument(); // history stays
});

it('a send refused because the peer blocked the viewer: the conversation says it cannot message them', async () => {
  const { user } = renderWithApollo(<Conversation />, {
    mocks: [
      history,
      blockState(false),
      {
        request: { query: SendMessageMutation, variables: () => true },
        error: new CombinedGraphQLErrors({ errors: [{ message: CANNOT_MESSAGE, extensions: { code: 'FORBIDDEN' } }] }),
      },
    ],
  });
  await screen.findByText('Hello there');
  await user.type(screen.getByRole('textbox', { name: /^Message / }), 'Are you there?{Enter}');
  expect(await screen.findAllByText(CANNOT_MESSAGE)).not.toHaveLength(0);
  await waitFor(() => expect(screen.getByRole('textbox', { name: /^Message / })).toBeDisabled());
});

it('a peer whose account was deleted: no handle shown, the composer is off', async () => {
  const deleted = { ...BOB, username: 'deleted-0123456789abcdef0123456789abcdef', displayName: 'Deleted user' };
  renderWithApollo(<Conversation />, {
    mocks: [
      {
        ...history,
        result: {
          data: {
            chatHistory: connection([message(1, deleted, { content: '', deletedAt: '2026-12-07T00:00:00.000Z' })]),
          },
        },
      },
      blockState(false),
    ],
  });
  expect(await screen.findByRole('heading', { name: 'Deleted user' })).toBeInTheDocument();
  expect(screen.queryByText(/@deleted-/)).not.toBeInTheDocument();
  await waitFor(() => expect(screen.getByRole('textbox', { name: /^Message / })).toBeDisabled());
  expect(screen.getByText('This account has been deleted: messages to it cannot be sent.')).toBeInTheDocument();
});
