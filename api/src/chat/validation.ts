// Input rules shared by the chat operations. Each failure is a BAD_USER_INPUT naming the argument.
import { badInput } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAX_CONTENT_LENGTH = 4000;
export const MAX_CLIENT_MESSAGE_ID_LENGTH = 128;

/** A user or message id argument: ids are UUIDs, so anything else can never match. */
export function parseId(value: string, argument: string, what = 'id'): string {
  if (!UUID.test(value)) throw badInput(`${argument} is not a valid ${what}.`, argument);
  return value.toLowerCase();
}

/**
 * Characters that show nothing on their own: controls, format characters (zero-width space and joiners, bidi
 * marks, word joiner, BOM), separators, and the blank "letters" (Hangul fillers, braille blank) and variation selectors.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\u115F\u1160\u3164\uFFA0\u2800\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** Message content: trimmed, 1..4000 characters (Unicode code points), with something visible in it. */
export function parseContent(value: string): string {
  const content = value.trim();
  if (!content) throw badInput('content must not be empty.', 'content');
  if (!content.replace(INVISIBLE, '')) throw badInput('content must contain visible characters.', 'content');
  const length = [...content].length;
  if (length > MAX_CONTENT_LENGTH) {
    throw badInput(`content is ${length} characters long; the maximum is ${MAX_CONTENT_LENGTH}.`, 'content');
  }
  return content;
}

export function parseClientMessageId(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value.length < 1 || value.length > MAX_CLIENT_MESSAGE_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
    throw badInput(
      `clientMessageId must be 1..${MAX_CLIENT_MESSAGE_ID_LENGTH} printable characters (a UUID is a good choice).`,
      'clientMessageId',
    );
  }
  return value;
}
