import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { screen, waitFor, within } from '@testing-library/react';
import { ALICE, BOB, connection, message } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { ChatHistoryQuery, ConversationView, PAGE_SIZE } from './ConversationView';
import { outboxFor } from './outbox';
import { SendMessageMutation } from './outboxSender';
import { useOutboxDelivery } from './useOutboxDelivery';

/** The signed-in app: outbox delivery runs alongside the open conversation. */
function Conversation() {
  useOutboxDelivery(ALICE.id);
  return <ConversationView peerId={BOB.id} onBack={() => {}} />;
}

const composer = () => screen.getByRole('textbox', { name: /message/i });
const bubbleWith = (text: string) => screen.getByText(text).closest('li') as HTMLElement;

beforeEach(() => {
  outboxFor(ALICE.id).clear();
  window.localStorage.clear();
});

it('shows a throttled send as pending, “Sending slowly: waiting N s”, and delivers it by itself when the server said', async () => {
  const calls: Array<Record<string, unknown>> = [];
  const send = (v: Record<string, unknown>) => {
    calls.push(v);
    return v.content === 'Slow down?';
  };
  const { user } = renderWithApollo(<Conversation />, {
    mocks: [
      {
        request: { query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: PAGE_SIZE } },
        result: { data: { chatHistory: connection([]) } },
      },
      {
        request: { query: SendMessageMutation, variables: send },
        delay: 5,
        error: new CombinedGraphQLErrors({
          errors: [
            { message: 'Too many requests: try again in 1 s.', extensions: { code: 'RATE_LIMITED', retryAfter: 1 } },
          ],
        }),
      },
      {
        request: { query: SendMessageMutation, variables: send },
        delay: 5,
        result: (v: Record<string, unknown>) => ({
          data: {
            sendMessage: message('ok', ALICE, {
              content: 'Slow down?',
              clientMessageId: v.clientMessageId as string,
              createdAt: '2026-11-25T11:00:00.000Z',
            }),
          },
        }),
      },
    ],
  });
  await screen.findByText('No messages yet');

  await user.type(composer(), 'Slow down?{Enter}');
  await waitFor(() =>
    expect(within(bubbleWith('Slow down?')).getByText('Sending slowly: waiting 1 s')).toBeInTheDocument(),
  );
  const bubble = bubbleWith('Slow down?');
  expect(bubble).toHaveAttribute('data-status', 'pending');
  expect(within(bubble).getByLabelText('Status: Sending slowly: waiting 1 s')).toBeInTheDocument();
  // Not failed: nothing for the user to do.
  expect(screen.queryByRole('button', { name: 'Retry sending message' })).not.toBeInTheDocument();

  await waitFor(() => expect(bubbleWith('Slow down?')).toHaveAttribute('data-status', 'sent'), { timeout: 3000 });
  expect(calls).toHaveLength(2);
  expect(calls[1]!.clientMessageId).toBe(calls[0]!.clientMessageId);
  expect(screen.queryByText(/Sending slowly/)).not.toBeInTheDocument();
});
