// Images, off the request path: the stored file is re-encoded without its metadata (EXIF, GPS, camera; sharp keeps
// none unless asked), turned upright first, and a thumbnail is stored beside it. One at a time per instance: libvips
// is already multi-threaded, and a burst of uploads must not take every core from the chat.
import sharp from 'sharp';
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { objectKeys, thumbnailKey, type ObjectStore } from './storage.ts';

/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;

const PROCESSED = statement(
  'attachments_image_processed',
  `UPDATE "Attachment" SET "width" = $2::int, "height" = $3::int, "byteSize" = $4::int, "thumbnail" = true
   WHERE "id" = $1::uuid RETURNING "id"`,
  { id: col.uuid },
);

export type ImageWork = { enqueue(id: string, contentType: string): void; idle(): Promise<void> };

export function createImageWork(deps: { sql: Sql; store: ObjectStore; log: Logger }): ImageWork {
  let queue: Promise<void> = Promise.resolve();

  async function process(id: string, contentType: string) {
    const original = await deps.store.read(id);
    // GIF: kept as it is (no EXIF in GIF, and re-encoding would lose its animation); the others are re-encoded.
    let stored = original;
    let info: { width: number; height: number };
    if (contentType === 'image/gif') {
      const meta = await sharp(original).metadata();
      info = { width: meta.width ?? 0, height: meta.height ?? 0 };
    } else {
      const out = await sharp(original, { failOn: 'none' }).rotate().toBuffer({ resolveWithObject: true });
      stored = out.data;
      info = out.info;
      await deps.store.write(id, stored, contentType);
    }
    const thumb = await sharp(original, { failOn: 'none' })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp()
      .toBuffer();
    await deps.store.write(thumbnailKey(id), thumb, 'image/webp');
    const updated = await deps.sql.query(PROCESSED, [id, info.width, info.height, stored.length]);
    // Swept or deleted meanwhile: what was just written must not stay behind.
    if (!updated.length) await deps.store.remove(objectKeys(id));
  }

  return {
    enqueue(id, contentType) {
      queue = queue
        .then(() => process(id, contentType))
        .catch((err: unknown) => deps.log.warn({ err, attachment: id }, 'could not process an image attachment'));
    },
    idle: () => queue,
  };
}
