import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { graphql } from '../gql';
import { Avatar } from '../shared/Avatar';
import { describeError } from '../shared/errors';
import { usePagedLoad } from '../shared/usePagedLoad';
import { SettingsSection } from './SettingsSection';
import { withoutNode } from './withoutNode';

export const BLOCKED_PAGE_SIZE = 20;

export const BlockedUsersQuery = graphql(`
  query BlockedUsers($first: Int, $after: String) {
    blockedUsers(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          username
          displayName
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const SettingsUnblockUserMutation = graphql(`
  mutation SettingsUnblockUser($userId: ID!) {
    unblockUser(userId: $userId)
  }
`);

/** The people the viewer has blocked; each can be unblocked (they can message each other again). */
export function BlockedSection() {
  const { data, error, refetch, fetchMore } = useQuery(BlockedUsersQuery, {
    variables: { first: BLOCKED_PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const more = usePagedLoad();
  const [unblockUser] = useMutation(SettingsUnblockUserMutation);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const section = useRef<HTMLDivElement>(null);
  /** Someone just unblocked: once their row is gone (and its button, which had the focus), the focus stays here. */
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    if (!refocus.current || section.current?.querySelector(`[data-user-id="${refocus.current}"]`)) return;
    refocus.current = null;
    section.current?.querySelector<HTMLElement>('.settings-list button, .settings-blocked__empty')?.focus();
  });

  async function unblock(id: string, name: string) {
    setBusy(id);
    setFailure(null);
    setDone(null);
    try {
      await unblockUser({
        variables: { userId: id },
        // An open conversation with them (chat/useBlock.ts) asks again whether it is blocked.
        refetchQueries: ['ConversationBlock'],
        update: (cache) => withoutNode(cache, 'blockedUsers', id),
      });
      refocus.current = id;
      setDone(`Unblocked ${name}.`);
    } catch (e) {
      setFailure(`Could not unblock ${name}. ${describeError(e)}`);
    } finally {
      setBusy(null);
    }
  }

  const connection = data?.blockedUsers;
  const people = connection?.edges.map((edge) => edge.node) ?? [];
  let body;
  if (!connection && error) {
    body = (
      <div className="state state--error" role="alert">
        <p>Could not load the people you blocked. {describeError(error)}</p>
        <button type="button" className="button" onClick={() => void refetch().catch(() => undefined)}>
          Try again
        </button>
      </div>
    );
  } else if (!connection) {
    body = (
      <p className="state" role="status">
        <span className="spinner" aria-hidden="true" /> Loading…
      </p>
    );
  } else if (people.length === 0) {
    body = (
      <p className="muted settings-blocked__empty" tabIndex={-1}>
        You have not blocked anyone.
      </p>
    );
  } else {
    body = (
      <ul className="settings-list" aria-label="Blocked people">
        {people.map((person) => (
          <li key={person.id} className="settings-list__item" data-user-id={person.id}>
            <Avatar name={person.displayName} size={32} />
            <div className="settings-list__text">
              <bdi className="settings-list__name">{person.displayName}</bdi>
              <span className="muted">@{person.username}</span>
            </div>
            <button
              type="button"
              className="button button--ghost"
              aria-label={`Unblock ${person.displayName}`}
              disabled={busy !== null}
              onClick={() => void unblock(person.id, person.displayName)}
            >
              {busy === person.id ? 'Unblocking…' : 'Unblock'}
            </button>
          </li>
        ))}
      </ul>
    );
  }

  const endCursor = connection?.pageInfo.endCursor;
  return (
    <SettingsSection
      title="Blocked people"
      description="Neither of you can message the other while one of you has blocked the other. Your history stays."
    >
      <div ref={section}>
        {body}
        {failure && (
          <p className="error" role="alert">
            {failure}
          </p>
        )}
        <p className="visually-hidden" role="status">
          {done ?? ''}
        </p>
        {connection?.pageInfo.hasNextPage && endCursor && (
          <div className="settings-more">
            {more.error && (
              <p className="error" role="alert">
                Could not load more. {more.error}
              </p>
            )}
            <button
              type="button"
              className="button button--ghost"
              disabled={more.busy}
              onClick={() => more.run(() => fetchMore({ variables: { first: BLOCKED_PAGE_SIZE, after: endCursor } }))}
            >
              {more.busy ? 'Loading…' : 'Show more'}
            </button>
          </div>
        )}
      </div>
    </SettingsSection>
  );
}
