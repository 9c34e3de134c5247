// createUpload and what follows it: the quota and the allow-list, a presigned POST, then — when the bytes are
// there — the check that they are what was declared (sniffed), and for images the stripping of metadata and a
// thumbnail (images.ts). In embedded mode parley sees the bytes arrive (received); in S3 mode it checks them when
// they are first attached (confirm, before sendMessage's statement).
import type { AttachmentsConfig } from '../config.ts';
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import { badInput, rateLimited } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ALLOWED_TYPES, contradiction, IMAGE_TYPES, SNIFF_BYTES } from './content-types.ts';
import { createImageWork, type ImageWork } from './images.ts';
import type { DownloadLinks } from './download-links.ts';
import { createSignedUrls, type SignedUrls } from './signed-urls.ts';
import { objectKeys, type ObjectStore, type PresignedPost } from './storage.ts';
import { ATTACHMENT_JSON, type AttachmentRecord } from './types.ts';

/** How long a presigned POST stays valid. */
export const UPLOAD_POLICY_TTL_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export type UploadTicket = PresignedPost & { id: string; expiresAt: Date };
export type UploadArgs = { filename: string; contentType: string; byteSize: number };

export type Uploads = {
  store: ObjectStore;
  config: AttachmentsConfig;
  /** A signed download URL, the same one for a while (signed-urls.ts). */
  downloadUrl: SignedUrls;
  createUpload(ownerId: string, args: UploadArgs): Promise<UploadTicket>;
  /** The bytes of `id` are stored (embedded mode): check them. False when they were refused (and deleted). */
  received(id: string, contentType: string): Promise<boolean>;
  /** Checks the not yet checked uploads among `ids` of `ownerId` (S3 mode: a HEAD and a ranged GET each). */
  confirm(ownerId: string, ids: readonly string[]): Promise<void>;
  /** Waits for image work in progress (shutdown, tests). */
  close(): Promise<void>;
};

// $1 owner, $2 filename, $3 type, $4 size, $5 bytes per day. No row: over the quota.
const CREATE = statement(
  'attachments_create_upload',
  `INSERT INTO "Attachment" ("id", "ownerId", "filename", "contentType", "byteSize")
   SELECT gen_random_uuid(), $1::uuid, $2::text, $3::text, $4::int
   WHERE (SELECT coalesce(sum("byteSize"), 0) FROM "Attachment"
          WHERE "ownerId" = $1::uuid AND "createdAt" > now() - interval '1 day') + $4::int <= $5::bigint
   RETURNING "id"`,
  { id: col.uuid },
);
const OLDEST_TODAY = statement(
  'attachments_oldest_today',
  `SELECT min("createdAt") AS "oldest" FROM "Attachment"
   WHERE "ownerId" = $1::uuid AND "createdAt" > now() - interval '1 day'`,
  { oldest: col.nullable(col.timestamptz) },
);
const UNCHECKED = statement(
  'attachments_unchecked',
  `SELECT "id", "contentType", "byteSize" FROM "Attachment"
   WHERE "id" = ANY($1::uuid[]) AND "ownerId" = $2::uuid AND "finishedAt" IS NULL AND "rejected" IS NULL`,
  { id: col.uuid, contentType: col.text, byteSize: col.int4 },
);
// $2 null: finished; else why the bytes were refused.
const CHECKED = statement(
  'attachments_checked',
  `UPDATE "Attachment" SET "finishedAt" = CASE WHEN $2::text IS NULL THEN now() END, "rejected" = $2::text
   WHERE "id" = $1::uuid AND "finishedAt" IS NULL AND "rejected" IS NULL RETURNING "id"`,
  { id: col.uuid },
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);

function parseFilename(raw: string): string {
  // A name, not a path; no control characters (it ends up in headers).
  const name = raw.split(/[/\\]/).pop()!.trim();
  if (!name || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw badInput('filename must be a file name of 1..255 characters, without control characters.', 'filename');
  }
  return name;
}

export function createUploads(deps: {
  sql: Sql;
  store: ObjectStore;
  /** parley's download URLs, in both modes (download-links.ts). */
  links: DownloadLinks;
  config: AttachmentsConfig;
  log: Logger;
}): Uploads {
  const { sql, store, config, log } = deps;
  const images: ImageWork = createImageWork({ sql, store, log });

  /** Sniffs the stored bytes; marks the upload finished or refused (and deletes refused bytes). */
  async function check(id: string, contentType: string, expectedSize?: number): Promise<boolean> {
    let why: string | null = null;
    let sniffBytes = SNIFF_BYTES;
    if (expectedSize !== undefined) {
      // S3: the policy already held size and type; checked again, so a store that does not enforce it is no hole.
      const head = await store.head(id);
      if (head === null) return false; // not uploaded (yet): attaching it is refused as unfinished
      sniffBytes = Math.min(SNIFF_BYTES, head.size); // a range past the end is an error on some stores
      if (head.size !== expectedSize) why = `the object has ${head.size} bytes, not ${expectedSize}`;
      else if (head.contentType !== undefined && head.contentType !== contentType) {
        why = `the object was stored as ${head.contentType}, not ${contentType}`;
      }
    }
    why ??= await contradiction(contentType, await store.readStart(id, sniffBytes));
    const [updated] = await sql.query(CHECKED, [id, why]);
    // Refused, or (just received) no such upload any more, swept meanwhile: the bytes go. (A confirm that finds it
    // already checked by a concurrent send leaves it alone.)
    if (why || (!updated && expectedSize === undefined)) await store.remove(objectKeys(id));
    else if (updated && IMAGE_TYPES.has(contentType)) images.enqueue(id, contentType);
    return !why && Boolean(updated);
  }

  return {
    store,
    config,
    downloadUrl: createSignedUrls(deps.links.sign, config.urlTtlMs),
    async createUpload(ownerId, args) {
      const filename = parseFilename(args.filename);
      const contentType = args.contentType.trim().toLowerCase();
      if (!ALLOWED_TYPES.has(contentType)) {
        throw badInput(`contentType ${JSON.stringify(contentType)} is not accepted.`, 'contentType');
      }
      if (!Number.isInteger(args.byteSize) || args.byteSize < 1 || args.byteSize > config.maxUploadBytes) {
        throw badInput(`byteSize must be 1..${config.maxUploadBytes}.`, 'byteSize');
      }
      const params = [ownerId, filename, contentType, args.byteSize, config.uploadBytesPerDay];
      const [row] = await sql.query(CREATE, params);
      if (!row) {
        const [{ oldest }] = await sql.query(OLDEST_TODAY, [ownerId]);
        throw rateLimited(oldest ? new Date(oldest).getTime() + DAY_MS - Date.now() : DAY_MS);
      }
      const expiresAt = new Date(Date.now() + UPLOAD_POLICY_TTL_MS);
      const post = await store.presignPost({ key: row.id, contentType, byteSize: args.byteSize, expiresAt });
      return { id: row.id, expiresAt, ...post };
    },
    received: (id, contentType) => check(id, contentType),
    async confirm(ownerId, ids) {
      const valid = ids.filter(isUuid);
      if (!valid.length) return;
      const rows = await sql.query(UNCHECKED, [valid, ownerId]);
      await Promise.all(rows.map((r) => check(r.id, r.contentType, r.byteSize)));
    },
    close: () => images.idle(),
  };
}

const OF_MESSAGE = statement(
  'attachments_of_message',
  `SELECT ${ATTACHMENT_JSON} AS "json" FROM "Attachment" a WHERE a."messageId" = $1::uuid ORDER BY a."createdAt", a."id"`,
  { json: col.json<AttachmentRecord>() },
);

/** A message's attachments, for a message read without them (the inbox's last message, read receipts). */
export async function attachmentsOf(sql: Sql, messageId: string): Promise<AttachmentRecord[]> {
  return (await sql.query(OF_MESSAGE, [messageId])).map((r) => r.json);
}
