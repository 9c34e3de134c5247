// Where attachment bytes live: an S3-API bucket (S3_BUCKET set) or the embedded store in DATA_DIR/uploads. Both
// speak the same protocol to clients: a presigned POST to upload, a signed, expiring GET to download. The bytes of an
// S3 upload never pass through parley.
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';

export type PresignedPost = { url: string; fields: Record<string, string> };

export type ObjectStore = {
  readonly kind: 'embedded' | 's3';
  /** A POST that accepts exactly `byteSize` bytes of `contentType` as `key` until `expiresAt`. */
  presignPost(p: { key: string; contentType: string; byteSize: number; expiresAt: Date }): Promise<PresignedPost>;
  /** A GET URL for `key`, signed at `signedAt`, that expires at `expiresAt`; served as a download unless `inline`. */
  signedGet(
    key: string,
    p: { filename: string; contentType: string; inline: boolean; signedAt: Date; expiresAt: Date },
  ): Promise<string>;
  /** The stored size (and type, where the store keeps one), or null when there is no such object. */
  head(key: string): Promise<{ size: number; contentType?: string } | null>;
  /** The first `bytes` bytes (fewer for a shorter object). */
  readStart(key: string, bytes: number): Promise<Uint8Array>;
  read(key: string): Promise<Buffer>;
  write(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Deletes the objects; a missing one is no error. */
  remove(keys: string[]): Promise<void>;
  /**
   * Deletes temporary files untouched for `olderThanMs` (uploads cut off by a crash or a restart); how many. Only the
   * embedded store keeps any (S3 discards an unfinished POST itself).
   */
  sweepTemporary?(olderThanMs: number): Promise<number>;
};

/** An attachment's objects: the file, and its thumbnail (images). */
export const objectKeys = (id: string) => [id, thumbnailKey(id)];
export const thumbnailKey = (id: string) => `${id}.thumb`;
/** What keys look like (a UUID, maybe `.thumb`): nothing else is ever read or written, no path tricks. */
export const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.thumb)?$/;

const DELETE_OF_MESSAGES = statement(
  'attachments_delete_of_messages',
  `DELETE FROM "Attachment" WHERE "messageId" = ANY($1::uuid[]) RETURNING "id"`,
  { id: col.uuid },
);

/**
 * Deletes the attachments of these messages: rows and objects (for deleteMessage). The rows go first, in one
 * statement: an object whose row is gone is never handed out again; if removing an object then fails, it is logged
 * by the caller and nothing refers to it.
 */
export async function deleteAttachmentsOf(
  deps: { sql: Sql; store: ObjectStore },
  messageIds: readonly string[],
): Promise<number> {
  if (!messageIds.length) return 0;
  const rows = await deps.sql.query(DELETE_OF_MESSAGES, [messageIds]);
  await deps.store.remove(rows.flatMap((r) => objectKeys(r.id)));
  return rows.length;
}
