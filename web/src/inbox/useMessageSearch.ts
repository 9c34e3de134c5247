import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { graphql } from '../gql';

export const SearchMessagesQuery = graphql(`
  query SearchMessages($query: String!) {
    searchMessages(query: $query, first: 20) {
      edges {
        cursor
        snippet
        highlights {
          start
          length
        }
        node {
          id
          cursor
          createdAt
          sender {
            id
            displayName
          }
          recipient {
            id
            displayName
          }
        }
      }
    }
  }
`);

/** How long typing pauses before a search is sent. */
const DEBOUNCE_MS = 250;

/**
 * Messages matching `text`, searched once typing pauses. A newer search supersedes the one in flight: the query
 * follows the latest term only (Apollo drops the previous request's result), and an empty term asks nothing.
 */
export function useMessageSearch(text: string) {
  const term = text.trim();
  const [debounced, setDebounced] = useState(term);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(term), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [term]);
  const { data, error, loading } = useQuery(SearchMessagesQuery, {
    variables: { query: debounced },
    skip: !debounced,
    fetchPolicy: 'cache-and-network',
  });
  const settled = debounced === term;
  return {
    term,
    hits: debounced && settled ? (data?.searchMessages.edges ?? null) : null,
    loading: !!term && (!settled || loading),
    error: settled ? error : undefined,
  };
}
