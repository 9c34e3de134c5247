import type * as Linkify from 'linkifyjs';
import { Fragment, startTransition, useEffect, useState, type ReactNode } from 'react';
import { whenIdle } from '../shared/whenIdle';

/**
 * Links in message text, found by linkifyjs — loaded on demand (issue #12): the chat does not carry its ~10 kB gz.
 * A message that cannot hold a link (no scheme, `www.`, `@` nor dot-TLD: most of them) never needs it; one that
 * may is shown as plain text until linkifyjs is there (one download for the page), then with its links.
 */
type Find = typeof Linkify.find;
let find: Find | undefined;
let loading: Promise<Find> | undefined;

/**
 * Loads linkifyjs once; a failed download (offline) is tried again by the next message that needs it. Its state
 * machines are built in an idle task of their own, not inside the first render that finds links (issue #24).
 */
export function loadLinkify(): Promise<Find> {
  loading ??= import('linkifyjs').then(
    (linkify) =>
      new Promise<Find>((resolve) =>
        whenIdle(() => {
          linkify.init();
          resolve((find = linkify.find));
        }),
      ),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Whether linkifyjs could find anything in `text` (cheap; false means plain text for sure). */
export function mayHaveLinks(text: string): boolean {
  return /https?:|mailto:|www\.|@|localhost|\.\p{L}{2,}/iu.test(text);
}

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
 * http, https or mailto stays text. Until linkifyjs is loaded (loadLinkify), all
 * of it is text.
 */
export function linkParts(text: string): TextPart[] {
  if (!find || !mayHaveLinks(text)) return text ? [{ text }] : [];
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
  const needed = mayHaveLinks(text);
  // Whether this bubble has rendered with linkifyjs: another bubble may have loaded it since this one rendered (then
  // the promise is already resolved and this one renders again: memoised bubbles are not re-rendered by the list).
  const [loaded, setLoaded] = useState(find !== undefined);
  useEffect(() => {
    if (!needed || loaded) return;
    let shown = true;
    loadLinkify().then(
      // Every bubble with links renders again: at transition priority, so the list is rendered in slices.
      () => shown && startTransition(() => setLoaded(true)),
      () => undefined, // offline: plain text, as it is
    );
    return () => {
      shown = false;
    };
  }, [needed, loaded]);
  if (!needed || !find) return text;
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
