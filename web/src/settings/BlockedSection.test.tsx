import { screen, within } from '@testing-library/react';
import { tokenStore } from '../auth/tokenStore';
import { BOB, CAROL } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { BLOCKED_PAGE_SIZE, BlockedSection, BlockedUsersQuery, SettingsUnblockUserMutation } from './BlockedSection';

// Typing and round trips through the mocks: generous on a loaded machine.
jest.setTimeout(20_000);

afterEach(() => {
  tokenStore.clear();
  window.localStorage.clear();
});

const blocked = (people: (typeof BOB)[]) => ({
  data: {
    blockedUsers: {
      __typename: 'UserConnection' as const,
      edges: people.map((node) => ({ __typename: 'UserEdge' as const, cursor: `c-${node.id}`, node })),
      pageInfo: { __typename: 'PageInfo' as const, hasNextPage: false, endCursor: null },
    },
  },
});

it('lists the people blocked and unblocks one', async () => {
  const { user } = renderWithApollo(<BlockedSection />, {
    mocks: [
      { request: { query: BlockedUsersQuery, variables: { first: BLOCKED_PAGE_SIZE } }, result: blocked([BOB, CAROL]) },
      {
        request: { query: SettingsUnblockUserMutation, variables: { userId: BOB.id } },
        result: { data: { unblockUser: true } },
      },
    ],
  });
  const list = await screen.findByRole('list', { name: 'Blocked people' });
  expect(within(list).getAllByRole('listitem')).toHaveLength(2);
  await user.click(screen.getByRole('button', { name: 'Unblock Bob Baker' }));
  expect(await screen.findByText('Unblocked Bob Baker.')).toBeInTheDocument();
  expect(within(list).getAllByRole('listitem')).toHaveLength(1);
  expect(screen.getByRole('button', { name: 'Unblock Carol Chen' })).toHaveFocus();
});

it('says so when nobody is blocked', async () => {
  renderWithApollo(<BlockedSection />, {
    mocks: [{ request: { query: BlockedUsersQuery, variables: { first: BLOCKED_PAGE_SIZE } }, result: blocked([]) }],
  });
  expect(await screen.findByText('You have not blocked anyone.')).toBeInTheDocument();
});

it('says when the list cannot be loaded', async () => {
  renderWithApollo(<BlockedSection />, {
    mocks: [
      {
        request: { query: BlockedUsersQuery, variables: { first: BLOCKED_PAGE_SIZE } },
        error: new TypeError('Failed to fetch'),
      },
    ],
  });
  expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the people you blocked.');
});
