import { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render, screen } from '@testing-library/react';
import { createCache } from '../apollo/cache';
import { MeQuery, SessionProvider } from '../auth/session';
import { tokenStore } from '../auth/tokenStore';
import { ALICE } from '../test/fixtures';
import { httpGraphql } from '../test/httpGraphql';
import { App } from './App';

// The signed-in app is a chunk of its own (App.tsx, SignedIn.tsx): here its download fails, as after a deploy
// replaced it.
jest.mock('./ChatShell', () => {
  throw new TypeError('Failed to fetch dynamically imported module: /assets/ChatShell-old.js');
});

afterEach(() => {
  http?.restore();
  window.localStorage.clear();
  tokenStore.reload();
});
let http: ReturnType<typeof httpGraphql> | undefined;

it('a signed-in user whose chat chunk cannot be fetched is offered a reload, not a blank page', async () => {
  window.localStorage.setItem('parley.token', 'good-token');
  tokenStore.reload();
  // No viewer saved: the session is confirmed over HTTP first (auth/session.tsx), then the chunk is needed.
  http = httpGraphql({ Me: { data: { me: ALICE } } });
  render(
    <MockedProvider
      cache={createCache()}
      link={new MockLink([{ request: { query: MeQuery }, result: { data: { me: ALICE } } }])}
    >
      <SessionProvider>
        <App />
      </SessionProvider>
    </MockedProvider>,
  );
  expect(await screen.findByRole('alert')).toHaveTextContent(
    'Could not load parley. Check your connection, then reload.',
  );
  expect(screen.getByRole('button', { name: 'Reload' })).toBeEnabled();
});
