// Which files parley takes (an allow-list), which it shows inline, and whether the bytes agree with the declared
// type. The type is sniffed from the bytes (file-type), never trusted from the client or the file name.
import { fileTypeFromBuffer } from 'file-type';

import { ALLOWED_TYPES, IMAGE_TYPES } from '../../../shared/attachmentRules.ts';

// The allow-list and the inline types are shared with the web client, which checks them before uploading.
export { ALLOWED_TYPES, IMAGE_TYPES };

const OOXML = 'application/vnd.openxmlformats-officedocument';
const ODF = 'application/vnd.oasis.opendocument';

/** What file-type reports for a declared type, when it differs (legacy Office files are all "Compound File"). */
const SNIFFED_AS: Record<string, string[]> = {
  'application/msword': ['application/x-cfb'],
  'application/vnd.ms-excel': ['application/x-cfb'],
  'application/vnd.ms-powerpoint': ['application/x-cfb'],
  // An Office or OpenDocument file is a zip: declaring it as one is no contradiction.
  'application/zip': [...ALLOWED_TYPES].filter((t) => t.startsWith(OOXML) || t.startsWith(ODF)),
};

/** Served with `Content-Disposition: inline`; everything else is a download. */
export const isInline = (contentType: string) => IMAGE_TYPES.has(contentType);

/** How many leading bytes sniffing needs. */
export const SNIFF_BYTES = 4100;

/**
 * Null when the first bytes agree with the declared type, else why not. Plain text has no signature: it must have
 * none of another type and no NUL byte.
 */
export async function contradiction(declared: string, head: Uint8Array): Promise<string | null> {
  const sniffed = (await fileTypeFromBuffer(head))?.mime;
  if (declared === 'text/plain') {
    if (sniffed) return `the bytes are ${sniffed}, not text/plain`;
    return head.includes(0) ? 'the bytes are binary, not text/plain' : null;
  }
  if (sniffed === declared || (sniffed && SNIFFED_AS[declared]?.includes(sniffed))) return null;
  return `the bytes are ${sniffed ?? 'of no known type'}, not ${declared}`;
}
