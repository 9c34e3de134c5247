import type { ApolloClient } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useMemo, useSyncExternalStore } from 'react';
import { graphql } from '../gql';
import { describeError } from '../shared/errors';
import { isPermanentSendError } from './outboxSender';
import { postUpload } from './uploadRequest';
import { UploadQueue, type UploadItem } from './uploads';

export const CreateUploadMutation = graphql(`
  mutation CreateUpload($filename: String!, $contentType: String!, $byteSize: Int!) {
    createUpload(filename: $filename, contentType: $contentType, byteSize: $byteSize) {
      id
      url
      fields {
        name
        value
      }
      expiresAt
    }
  }
`);

/** What the composer needs for its files (uploads.ts). */
export interface UploadsApi {
  items: UploadItem[];
  add(files: Iterable<File>): void;
  retry(key: string): void;
  remove(key: string): void;
  clear(): void;
  /** The message went out: files not uploaded yet go on uploading for it (uploads.ts `sent`). */
  sent(): void;
}

function newQueue(client: ApolloClient): UploadQueue {
  return new UploadQueue({
    async createUpload({ filename, contentType, byteSize }) {
      const { data } = await client.mutate({
        mutation: CreateUploadMutation,
        variables: { filename, contentType, byteSize },
      });
      return data!.createUpload;
    },
    post: postUpload,
    describe: (error) => `Upload not started: ${describeError(error)}`,
    permanent: isPermanentSendError,
  });
}

// One queue per conversation for the page's lifetime: files being uploaded keep going while another one is open.
const queues = new Map<string, UploadQueue>();

/** The upload queue of the conversation of `viewerId` with `peerId` (made on first use). */
export function uploadQueueFor(client: ApolloClient, viewerId: string, peerId: string): UploadQueue {
  const key = `${viewerId}:${peerId}`;
  let queue = queues.get(key);
  if (!queue) queues.set(key, (queue = newQueue(client)));
  return queue;
}

/** The files attached to the draft of the conversation with `peerId`. */
export function useAttachmentUploads(viewerId: string, peerId: string): UploadsApi {
  const client = useApolloClient();
  const queue = useMemo(() => uploadQueueFor(client, viewerId, peerId), [client, viewerId, peerId]);
  const items = useSyncExternalStore(queue.subscribe, queue.all, queue.all);
  return useMemo(
    () => ({
      items,
      add: (files) => queue.add(files),
      retry: (k) => queue.retry(k),
      remove: (k) => queue.remove(k),
      clear: () => queue.clear(),
      sent: () => queue.sent(),
    }),
    [items, queue],
  );
}
