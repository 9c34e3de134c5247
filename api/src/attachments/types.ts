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

/** A message's attachments as a JSON array (oldest first), for the message aliased `alias`. */
export const attachmentsOf = (alias: string) => `(SELECT coalesce(json_agg(${ATTACHMENT_JSON}
  ORDER BY a."createdAt", a."id"), '[]') FROM "Attachment" a WHERE a."messageId" = ${alias}."id")`;

/** Those of the message aliased `m`. */
export const ATTACHMENTS_OF_M = attachmentsOf('m');
