import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { graphql } from '../gql';
import { describeError } from '../shared/errors';
import { usePagedLoad } from '../shared/usePagedLoad';
import { deviceName } from './deviceName';
import { SettingsSection } from './SettingsSection';
import { withoutNode } from './withoutNode';

export const SESSIONS_PAGE_SIZE = 20;

export const SessionsQuery = graphql(`
  query Sessions($first: Int, $after: String) {
    sessions(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          createdAt
          lastSeenAt
          userAgent
          current
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const LogOutSessionMutation = graphql(`
  mutation LogOutSession($id: ID!) {
    logOutSession(id: $id)
  }
`);

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatted = (iso: string) => when.format(new Date(iso));

/**
 * "Where you're signed in": every session of the user, this device's marked; any other can be ended here (its
 * token is refused from then on and its sockets are closed, so that device returns to its login page).
 */
export function SessionsSection() {
  const { data, error, loading, refetch, fetchMore } = useQuery(SessionsQuery, {
    variables: { first: SESSIONS_PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: false,
  });
  const more = usePagedLoad();
  const [logOutSession] = useMutation(LogOutSessionMutation);
  const [ending, setEnding] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  /** A session just signed out: once its row is gone (and its button, which had the focus), the focus stays here. */
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    if (!refocus.current || list.current?.querySelector(`[data-session-id="${refocus.current}"]`)) return;
    refocus.current = null;
    const heading = list.current?.closest('section')?.querySelector<HTMLElement>('h3');
    (list.current?.querySelector<HTMLElement>('button') ?? heading)?.focus();
  });

  async function end(id: string, name: string) {
    setEnding(id);
    setFailure(null);
    setEnded(null);
    try {
      await logOutSession({
        variables: { id },
        update: (cache) => withoutNode(cache, 'sessions', id),
      });
      refocus.current = id;
      setEnded(`Signed out ${name}.`);
    } catch (e) {
      setFailure(`Could not sign out ${name}. ${describeError(e)}`);
    } finally {
      setEnding(null);
    }
  }

  const connection = data?.sessions;
  const sessions = connection?.edges.map((edge) => edge.node) ?? [];
  let body;
  if (!connection && error) {
    body = (
      <div className="state state--error" role="alert">
        <p>Could not load your sessions. {describeError(error)}</p>
        <button type="button" className="button" onClick={() => void refetch().catch(() => undefined)}>
          Try again
        </button>
      </div>
    );
  } else if (!connection) {
    body = (
      <p className="state" role="status">
        <span className="spinner" aria-hidden="true" /> {loading ? 'Loading your sessions…' : ''}
      </p>
    );
  } else if (sessions.length === 0) {
    body = <p className="muted">No sessions.</p>;
  } else {
    body = (
      <ul className="settings-list" aria-label="Sessions" ref={list}>
        {sessions.map((session) => {
          const name = deviceName(session.userAgent);
          return (
            <li key={session.id} className="settings-list__item" data-session-id={session.id}>
              <div className="settings-list__text">
                <span className="settings-list__name">
                  {name}
                  {session.current && <span className="badge">This device</span>}
                </span>
                <span className="muted">
                  Signed in {formatted(session.createdAt)} · last active {formatted(session.lastSeenAt)}
                </span>
              </div>
              {!session.current && (
                <button
                  type="button"
                  className="button button--ghost"
                  aria-label={`Sign out ${name}, signed in ${formatted(session.createdAt)}`}
                  disabled={ending !== null}
                  onClick={() => void end(session.id, name)}
                >
                  {ending === session.id ? 'Signing out…' : 'Sign out'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    );
  }

  const endCursor = connection?.pageInfo.endCursor;
  return (
    <SettingsSection title="Where you're signed in" description="Sign out a device you no longer use or do not know.">
      {body}
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {ended ?? ''}
      </p>
      {connection?.pageInfo.hasNextPage && endCursor && (
        <div className="settings-more">
          {more.error && (
            <p className="error" role="alert">
              Could not load more sessions. {more.error}
            </p>
          )}
          <button
            type="button"
            className="button button--ghost"
            disabled={more.busy}
            onClick={() => more.run(() => fetchMore({ variables: { first: SESSIONS_PAGE_SIZE, after: endCursor } }))}
          >
            {more.busy ? 'Loading…' : 'Show more sessions'}
          </button>
        </div>
      )}
    </SettingsSection>
  );
}
