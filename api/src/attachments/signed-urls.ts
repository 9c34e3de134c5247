// Signed download URLs that stay the same for a while. Each URL is signed at the start of a window (a tenth of
// ATTACHMENT_URL_TTL, at least a second) and expires one TTL after it: it is handed out with 90–100% of the TTL left
// (80–100% for a TTL under 20 s), never more.
// The same URL for a while means the browser's HTTP cache keeps an image across history refetches (a new URL each
// time would download it again), and a history page whose URLs are signed already costs no signing.
import { LRUCache } from 'lru-cache';

/** Signs a GET of `key` at `signedAt` until `expiresAt`: parley's own link (a string), or a bucket's (a promise). */
export type GetSigner = (
  key: string,
  p: { filename: string; contentType: string; inline: boolean; signedAt: Date; expiresAt: Date },
) => string | Promise<string>;

export type DownloadOptions = { filename: string; contentType: string; inline: boolean };
/** A URL already signed comes back as a string (no promise for GraphQL to wait on per field). */
export type SignedUrls = (key: string, p: DownloadOptions) => string | Promise<string>;

/** Below this TTL URLs are signed afresh each time (a window would eat too much of a short life). */
const MIN_TTL_FOR_WINDOWS_MS = 5_000;
const CACHED_URLS = 20_000;

export function createSignedUrls(signGet: GetSigner, ttlMs: number): SignedUrls {
  // Whole seconds: S3 signs times to the second.
  const windowMs = ttlMs >= MIN_TTL_FOR_WINDOWS_MS ? Math.max(1000, Math.floor(ttlMs / 10 / 1000) * 1000) : 0;
  // By key alone: an object's name, type and disposition never change (a thumbnail has a key of its own).
  const cache = new LRUCache<string, { start: number; url: string | Promise<string> }>({ max: CACHED_URLS });
  return (key, p) => {
    const now = Date.now();
    if (!windowMs) return signGet(key, { ...p, signedAt: new Date(now), expiresAt: new Date(now + ttlMs) });
    const start = now - (now % windowMs);
    const held = cache.get(key);
    if (held?.start === start) return held.url;
    const url = signGet(key, { ...p, signedAt: new Date(start), expiresAt: new Date(start + ttlMs) });
    const entry = { start, url };
    cache.set(key, entry); // a promise meanwhile: one signing for the URL's readers at once
    if (typeof url === 'string') return url;
    url.then(
      (signed) => void (entry.url = signed),
      () => cache.get(key) === entry && cache.delete(key),
    );
    return url;
  };
}
