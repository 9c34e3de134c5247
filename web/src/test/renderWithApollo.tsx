import { ApolloLink } from '@apollo/client/link';
import { MockLink, MockSubscriptionLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { createCache } from '../apollo/cache';
import { savedViewer } from '../auth/savedViewer';
import { MeQuery, SessionProvider } from '../auth/session';
import { tokenStore } from '../auth/tokenStore';
import { ConversationMutedQuery } from '../chat/MuteToggle';
import { ConversationBlockQuery } from '../chat/useBlock';
import { ConversationReadQuery } from '../chat/useReadReceipts';
import { SetTypingMutation } from '../chat/useTypingSender';
import { ALICE } from './fixtures';

/**
 * What an open conversation asks for by itself, answered as often as asked
 * unless a test's own mocks (tried first) answer it: the peer has read nothing
 * yet, nothing to mute yet, nobody is blocked, typing notices are accepted.
 */
const BACKGROUND_MOCKS: MockLink.MockedResponse[] = [
  {
    request: { query: ConversationReadQuery, variables: () => true },
    result: { data: { conversation: null } },
    maxUsageCount: Number.POSITIVE_INFINITY,
  },
  {
    request: { query: ConversationMutedQuery, variables: () => true },
    result: { data: { conversation: null } },
    maxUsageCount: Number.POSITIVE_INFINITY,
  },
  {
    request: { query: ConversationBlockQuery, variables: () => true },
    result: { data: { conversation: null } },
    maxUsageCount: Number.POSITIVE_INFINITY,
  },
  {
    request: { query: SetTypingMutation, variables: () => true },
    result: { data: { setTyping: true } },
    maxUsageCount: Number.POSITIVE_INFINITY,
  },
];

/**
 * Renders `ui` signed in as `viewer` under Apollo's MockedProvider, using the
 * app's real cache (type policies) and a link that sends everything else to a
 * MockLink with `mocks` (then BACKGROUND_MOCKS), and subscriptions to
 * MockSubscriptionLinks, one per operation name: `subscriptions` is
 * messageAdded's (drive with `subscriptions.simulateResult`),
 * `subscription(name)` any other's (e.g. 'Typing').
 */
export function renderWithApollo(
  ui: ReactElement,
  { mocks = [], viewer = ALICE }: { mocks?: MockLink.MockedResponse[]; viewer?: typeof ALICE } = {},
) {
  const cache = createCache();
  cache.writeQuery({ query: MeQuery, data: { me: viewer } });
  // The session knows its viewer without asking (auth/session.tsx), as after a log-in.
  savedViewer.set('test-token', viewer);
  tokenStore.set('test-token');
  const byName = new Map<string, MockSubscriptionLink>();
  const subscription = (name: string) => {
    let link = byName.get(name);
    if (!link) byName.set(name, (link = new MockSubscriptionLink()));
    return link;
  };
  const subscriptions = subscription('MessageAdded');
  const subscriptionLink = new ApolloLink((operation) =>
    subscription(operation.operationName ?? '').request(operation),
  );
  const operations = new MockLink([...mocks, ...BACKGROUND_MOCKS], { defaultOptions: { delay: 5 } });
  const link = ApolloLink.split((op) => isSubscriptionOperation(op.query), subscriptionLink, operations);
  const user = userEvent.setup();
  const result = render(
    <MockedProvider cache={cache} link={link}>
      <SessionProvider>{ui}</SessionProvider>
    </MockedProvider>,
  );
  return { ...result, cache, subscriptions, subscription, user };
}
