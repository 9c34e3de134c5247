// An attachment as the chat domain carries it on a message (and across pub/sub): what is stored, never a URL (URLs
// are signed per request, for a participant).
export type AttachmentRecord = {
  id: string;
  filename: string;
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  thumbnail: boolean;
};

/** The select list of an AttachmentRecord as JSON, for `"Attachment" a`. */
export const ATTACHMENT_JSON = `json_build_object('id', a."id", 'filename', a."filename",
  'contentType', a."contentType", 'byteSize', a."byteSize", 'width', a."width", 'height', a."height",
  'thumbnail', a."thumbnail")`;

/** A message's attachments as a JSON array (oldest first), for the message aliased `alias`. The rows are made JSON
 * whole, in order, by json_agg (about a fifth cheaper in PostgreSQL than an ordered aggregate of json_build_object;
 * the same keys: the column names). */
export const attachmentsOf = (alias: string) => `(SELECT coalesce(json_agg(r), '[]') FROM (
    SELECT a."id", a."filename", a."contentType", a."byteSize", a."width", a."height", a."thumbnail"
    FROM "Attachment" a WHERE a."messageId" = ${alias}."id" ORDER BY a."createdAt", a."id") r)`;

/** Those of the message aliased `m`. */
export const ATTACHMENTS_OF_M = attachmentsOf('m');
