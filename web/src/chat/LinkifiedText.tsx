import { find } from 'linkifyjs';
import { Fragment, type ReactNode } from 'react';

/** The only kinds of link a message may carry; anything else (javascript:, data:, ftp:, …) stays text. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

export interface TextPart {
  text: string;
  /** Set when the part is a link: its checked target. */
  href?: string;
}

/** The href when it is an absolute http, https or mailto URL, else null. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Splits plain text into text and links (linkifyjs): URLs, `www.` and bare
 * domains (given https), e-mail addresses (mailto). A match whose target is not
 * http, https or mailto stays text.
 */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of find(text, { defaultProtocol: 'https' })) {
    if (!match.isLink) continue;
    const href = safeHref(match.href);
    if (!href) continue;
    if (match.start > at) parts.push({ text: text.slice(at, match.start) });
    parts.push({ text: text.slice(match.start, match.end), href });
    at = match.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/** Message text with its links as `<a>` opening in a new tab, without giving that tab a handle on this one. */
export function LinkifiedText({ text }: { text: string }): ReactNode {
  return linkParts(text).map((part, i) =>
    part.href ? (
      <a key={i} href={part.href} target="_blank" rel="noopener noreferrer" className="bubble__link">
        {part.text}
      </a>
    ) : (
      <Fragment key={i}>{part.text}</Fragment>
    ),
  );
}
