/**
 * The server's attachment rules (shared/attachmentRules.ts: the API applies the same), checked before anything is
 * uploaded so the composer can say what is wrong at once instead of after a wasted upload.
 */
import { ALLOWED_TYPES, DEFAULT_MAX_UPLOAD_BYTES, IMAGE_TYPES, MAX_ATTACHMENTS } from '../../../shared/attachmentRules';
import { once } from '../shared/once';

export { MAX_ATTACHMENTS };

/**
 * The largest file the client lets through: MAX_UPLOAD_BYTES's default. A server configured lower still refuses
 * more at createUpload, and the composer shows its answer.
 */
export const MAX_UPLOAD_BYTES = DEFAULT_MAX_UPLOAD_BYTES;

/** For the file picker's `accept`: the allowed types (the picker may still offer others; they are refused here). */
export const ACCEPT = [...ALLOWED_TYPES].join(',');

export const isImageType = (contentType: string) => IMAGE_TYPES.has(contentType);

/** Browsers leave `type` empty for some files: the common ones by their extension. */
const BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  zip: 'application/zip',
  gz: 'application/gzip',
  '7z': 'application/x-7z-compressed',
  tar: 'application/x-tar',
};

/** The type to declare at createUpload. */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type.split(';')[0]!.trim().toLowerCase();
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  return (extension && BY_EXTENSION[extension]) || 'application/octet-stream';
}

// Made when a size is first shown (a conversation without files never needs it).
const number = once(() => new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }));

/** 532 B, 12.5 KB, 3.2 MB (binary units, as MAX_UPLOAD_BYTES is counted). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${number().format(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${number().format(bytes / (1024 * 1024))} MB`;
  return `${number().format(bytes / (1024 * 1024 * 1024))} GB`;
}

/** Why the server would refuse this file (null: it may be uploaded), in words for the person. */
export function fileProblem(file: { name: string; size: number; type: string }): string | null {
  const type = contentTypeOf(file);
  if (!ALLOWED_TYPES.has(type))
    return `${file.name}: this type of file cannot be sent (images, PDF, text, Office documents and archives can).`;
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_UPLOAD_BYTES)
    return `${file.name} is too large: ${formatBytes(file.size)}, the limit is ${formatBytes(MAX_UPLOAD_BYTES)}.`;
  if (file.name.length > 255) return 'The file name is too long (at most 255 characters).';
  return null;
}
