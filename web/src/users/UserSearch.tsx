import { useQuery } from '@apollo/client/react';
import { useDeferredValue, useEffect, useId, useState } from 'react';
import { useRefetchOnReconnect } from '../apollo/useRefetchOnReconnect';
import { graphql } from '../gql';
import { describeError } from '../shared/errors';
import { UserListItem } from './UserListItem';

export const SearchUsersQuery = graphql(`
  query SearchUsers($search: String, $first: Int) {
    users(search: $search, first: $first) {
      edges {
        cursor
        node {
          id
          ...UserListItem_user
        }
      }
    }
  }
`);

const PAGE_SIZE = 30;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/** Find people by name or username and open a conversation with them. */
export function UserSearch(props: {
  viewerId: string;
  activePeerId?: string;
  onOpen(userId: string): void;
  /** Focus the search field when shown (opened on purpose to find someone). */
  autoFocus?: boolean;
}) {
  const [input, setInput] = useState('');
  const search = useDeferredValue(useDebounced(input.trim(), 250));
  const inputId = useId();
  const { data, previousData, loading, error, refetch } = useQuery(SearchUsersQuery, {
    variables: { search: search || null, first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const shown = data ?? previousData;

  // People sign up all the time: refresh the list when the user comes back to the tab.
  useEffect(() => {
    const onFocus = () => void refetch().catch(() => undefined);
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refetch]);

  // A list that could not load (e.g. started offline) loads once the server is reachable again.
  useRefetchOnReconnect(!!error && !shown, refetch);
  const people = (shown?.users.edges ?? []).filter((e) => e.node.id !== props.viewerId);

  return (
    <section className="people" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`} className="visually-hidden">
        People
      </h2>
      <div className="people__search">
        <label htmlFor={inputId} className="visually-hidden">
          Search people
        </label>
        <input
          id={inputId}
          type="search"
          placeholder="Search people…"
          autoComplete="off"
          autoFocus={props.autoFocus}
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
      </div>
      {error && !shown ? (
        <div className="state state--error" role="alert">
          <p>Could not load people. {describeError(error)}</p>
          <button type="button" className="button" onClick={() => void refetch()}>
            Try again
          </button>
        </div>
      ) : !shown && loading ? (
        <p className="state" role="status">
          Loading people…
        </p>
      ) : people.length === 0 ? (
        <p className="state">{search ? `Nobody matches “${search}”.` : 'No one else is here yet.'}</p>
      ) : (
        <ul className="people__list" aria-label="People" aria-busy={loading}>
          {people.map((edge) => (
            <UserListItem
              key={edge.node.id}
              user={edge.node}
              active={edge.node.id === props.activePeerId}
              onOpen={props.onOpen}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
