// parley's own download URLs: `/uploads/<key>?exp=…&ct=…&fn=…[&d=inline]&sig=…`, an HMAC (a key derived from the JWT
// secret, so every instance sharing it accepts them) over the key, the expiry and how the file is served, truncated
// to 128 bits (RFC 2104 §5: at least half the output; URLs signed in full before are still accepted). In embedded mode
// parley serves the bytes at that URL (http/uploads.ts); in S3 mode it answers with a redirect to a presigned GET of
// the bucket (http/download-redirects.ts), so a page of messages carries ~110-character URLs instead of the bucket's
// ~500-character presigned ones, signed only when someone downloads. The bytes never pass through parley either way.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KEY } from './storage.ts';

/** Where the URLs point (and where the embedded store takes its uploads). */
export const UPLOAD_PATH = '/uploads';

export type DownloadGrant = { key: string; contentType: string; filename: string; inline: boolean };
export type DownloadLinks = {
  /** A URL for `key` until `expiresAt`, served as `contentType`, inline or as a download named `filename`. */
  sign(key: string, p: { filename: string; contentType: string; inline: boolean; expiresAt: Date }): string;
  /** What a URL's query grants for `key`, 'expired', or null (not signed by us). */
  verify(key: string, query: URLSearchParams): DownloadGrant | 'expired' | null;
};

/** The HMAC key of uploads and downloads, from the JWT secret (the embedded store signs its POST policies with it). */
export const uploadsKey = (secret: string) => createHmac('sha256', secret).update('parley embedded uploads').digest();

export function createDownloadLinks(secret: string): DownloadLinks {
  const hmacKey = uploadsKey(secret);
  const mac = (text: string) => createHmac('sha256', hmacKey).update(text).digest();
  /** 16 bytes: 22 characters instead of 43 in every URL of a page. */
  const sign = (text: string) => mac(text).subarray(0, 16).toString('base64url');
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return {
    sign(key, { filename, contentType, inline, expiresAt }) {
      const exp = String(Math.floor(expiresAt.getTime() / 1000));
      const params = new URLSearchParams({ exp, ct: contentType, fn: filename });
      if (inline) params.set('d', 'inline'); // else a download (attachment)
      params.set('sig', sign(`${key}\n${params.toString()}`));
      return `${UPLOAD_PATH}/${key}?${params.toString()}`;
    },
    verify(key, query) {
      const sig = query.get('sig') ?? '';
      const params = new URLSearchParams(query);
      params.delete('sig');
      if (!KEY.test(key)) return null;
      const digest = mac(`${key}\n${params.toString()}`);
      if (!same((sig.length === 43 ? digest : digest.subarray(0, 16)).toString('base64url'), sig)) return null;
      if (Number(params.get('exp')) * 1000 < Date.now()) return 'expired';
      return {
        key,
        contentType: params.get('ct') ?? 'application/octet-stream',
        filename: params.get('fn') ?? key,
        inline: params.get('d') === 'inline',
      };
    },
  };
}
