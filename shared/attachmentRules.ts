// The attachment rules the API enforces (api/src/attachments/content-types.ts, createUpload and sendMessage) and the
// web client checks before uploading (web/src/chat/attachmentRules.ts), so the two never disagree. No imports.

/** Raster images: shown inline, stripped of EXIF/GPS and given a thumbnail. No SVG (it can run script). */
export const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const OOXML = 'application/vnd.openxmlformats-officedocument';
const ODF = 'application/vnd.oasis.opendocument';

/** Every type createUpload accepts (an allow-list). */
// prettier-ignore
export const ALLOWED_TYPES: ReadonlySet<string> = new Set([
  ...IMAGE_TYPES,
  'application/pdf', 'text/plain',
  'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
  `${OOXML}.wordprocessingml.document`, `${OOXML}.spreadsheetml.sheet`, `${OOXML}.presentationml.presentation`,
  `${ODF}.text`, `${ODF}.spreadsheet`, `${ODF}.presentation`,
  'application/zip', 'application/gzip', 'application/x-7z-compressed', 'application/x-tar',
]);

/** MAX_UPLOAD_BYTES's default (25 MB): the largest file. */
export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** sendMessage takes at most this many attachmentIds. */
export const MAX_ATTACHMENTS = 10;
