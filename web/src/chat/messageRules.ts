/**
 * The server's rules for message content (api/src/chat/validation.ts), checked
 * before sending so that the composer can say what is wrong instead of the
 * server rejecting the message later.
 */

/** Longest content the server stores, in Unicode code points after trimming. */
export const MAX_CONTENT_LENGTH = 4000;
/** From this length on, the composer shows how much room is left. */
export const COUNTER_FROM = 3500;

/**
 * Characters that show nothing on their own (the server's list): controls, format characters, separators,
 * Hangul fillers, braille blank, variation selectors.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\u115F\u1160\u3164\uFFA0\u2800\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** Length as the server counts it: trimmed, in code points (an emoji made of one code point counts 1). */
export function contentLength(text: string): number {
  return [...text.trim()].length;
}

export type ContentProblem = 'empty' | 'invisible' | 'tooLong';

/** Why the server would refuse this content, or null when it can be sent. */
export function contentProblem(text: string): ContentProblem | null {
  const content = text.trim();
  if (!content) return 'empty';
  if (!content.replace(INVISIBLE, '')) return 'invisible';
  if (contentLength(content) > MAX_CONTENT_LENGTH) return 'tooLong';
  return null;
}
