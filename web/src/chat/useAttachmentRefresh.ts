import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import { getFragmentData, graphql } from '../gql';
import type { AttachmentRefresh_AttachmentFragment } from '../gql/graphql';

/** What a refresh brings: an attachment's URLs, signed again. */
export const AttachmentRefresh_attachment = graphql(`
  fragment AttachmentRefresh_attachment on Attachment {
    id
    url
    thumbnailUrl
  }
`);

/** One message's fresh attachments (signed again): the page that holds just it. */
export const AttachmentRefreshQuery = graphql(`
  query AttachmentRefresh($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {
      edges {
        cursor
        node {
          id
          attachments {
            ...AttachmentRefresh_attachment
          }
        }
      }
    }
  }
`);

/**
 * When a signed URL stops working (ms since epoch), as it says itself: the embedded store's `exp` (seconds), S3's
 * `X-Amz-Date` + `X-Amz-Expires`. Null for any other URL (nothing to go by: it is used as it is).
 */
export function urlExpiresAt(url: string): number | null {
  let params: URLSearchParams;
  try {
    params = new URL(url, 'http://relative.invalid').searchParams;
  } catch {
    return null;
  }
  const exp = Number(params.get('exp'));
  if (params.has('exp') && Number.isFinite(exp)) return exp * 1000;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(params.get('X-Amz-Date') ?? '');
  const expires = Number(params.get('X-Amz-Expires'));
  if (!date || !params.has('X-Amz-Expires') || !Number.isFinite(expires)) return null;
  const [, y, mo, d, h, mi, s] = date.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d, h, mi, s) + expires * 1000;
}

/** A URL with less than this left is signed again before it is followed (a download takes a moment to start). */
const URL_MARGIN_MS = 5_000;

export function urlExpiring(url: string, now = Date.now()): boolean {
  const at = urlExpiresAt(url);
  return at !== null && at - now < URL_MARGIN_MS;
}

export function urlExpired(url: string, now = Date.now()): boolean {
  const at = urlExpiresAt(url);
  return at !== null && at <= now;
}

/**
 * Signed URLs expire (ATTACHMENT_URL_TTL): when an image stops loading, or a file's link is about to be followed
 * after its URL expired, fetch its message again. There is no query
 * for one message, so: the cursor of the message before it, then the one message after that cursor. Fetched past the
 * cache (a page written as such would be merged into the conversation's list); then only the URLs are written into
 * the cached Attachments (normalised by id), so every view of them gets the new ones.
 */
export function useAttachmentRefresh() {
  const client = useApolloClient();
  return useCallback(
    async (peerId: string, cursor: string): Promise<AttachmentRefresh_AttachmentFragment[]> => {
      const fetch = (variables: { first?: number; after?: string; last?: number; before?: string }) =>
        client.query({
          query: AttachmentRefreshQuery,
          variables: { withUserId: peerId, ...variables },
          fetchPolicy: 'no-cache',
        });
      const before = await fetch({ before: cursor, last: 1 });
      const previous = before.data?.chatHistory.edges[0]?.cursor;
      const page = await fetch(previous ? { after: previous, first: 1 } : { first: 1 });
      const edge = page.data?.chatHistory.edges[0];
      if (!edge || edge.cursor !== cursor) return [];
      const attachments = getFragmentData(AttachmentRefresh_attachment, edge.node.attachments);
      for (const fresh of attachments) {
        client.cache.writeFragment({
          id: client.cache.identify({ __typename: 'Attachment', id: fresh.id }),
          fragment: AttachmentRefresh_attachment,
          data: fresh,
        });
      }
      return [...attachments];
    },
    [client],
  );
}
