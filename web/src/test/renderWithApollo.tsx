import { ApolloLink } from '@apollo/client/link';
import { MockLink, MockSubscriptionLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { createCache } from '../apollo/cache';
import { MeQuery, SessionProvider } from '../auth/session';
import { tokenStore } from '../auth/tokenStore';
import { ALICE } from './fixtures';

/**
 * Renders `ui` signed in as `viewer` under Apollo's MockedProvider, using the
 * app's real cache (type policies) and a link that sends subscriptions to a
 * MockSubscriptionLink (drive with `subscriptions.simulateResult`) and
 * everything else to a MockLink with `mocks`.
 */
export function renderWithApollo(
  ui: ReactElement,
  { mocks = [], viewer = ALICE }: { mocks?: MockLink.MockedResponse[]; viewer?: typeof ALICE } = {},
) {
  const cache = createCache();
  cache.writeQuery({ query: MeQuery, data: { me: viewer } });
  tokenStore.set('test-token');
  const subscriptions = new MockSubscriptionLink();
  const operations = new MockLink(mocks, { defaultOptions: { delay: 5 } });
  const link = ApolloLink.split((op) => isSubscriptionOperation(op.query), subscriptions, operations);
  const user = userEvent.setup();
  const result = render(
    <MockedProvider cache={cache} link={link}>
      <SessionProvider>{ui}</SessionProvider>
    </MockedProvider>,
  );
  return { ...result, cache, subscriptions, user };
}
