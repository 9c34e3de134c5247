// S3 mode's downloads: parley's signed URL (attachments/download-links.ts) answered with a redirect to a presigned GET
// of the bucket, made for the same file, type and disposition and kept for a while (signed-urls.ts), so the browser
// caches the redirect and the bytes. The bytes go from the bucket to the browser; parley only checks the signature.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UPLOAD_PATH, type DownloadLinks } from '../attachments/download-links.ts';
import { createSignedUrls } from '../attachments/signed-urls.ts';
import type { ObjectStore } from '../attachments/storage.ts';
import type { Logger } from '../logger.ts';
import { answer, type UploadRoutes } from './uploads.ts';

export function createDownloadRedirects(opts: {
  links: DownloadLinks;
  bucket: ObjectStore;
  urlTtlMs: number;
  log: Logger;
}): UploadRoutes {
  const presigned = createSignedUrls((key, p) => opts.bucket.signedGet(key, p), opts.urlTtlMs);

  async function get(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const key = pathname.slice(UPLOAD_PATH.length + 1);
    const grant = opts.links.verify(key, new URL(req.url ?? '/', 'http://localhost').searchParams);
    if (!grant) return answer(res, 403, 'AccessDenied', 'The URL is not signed.');
    if (grant === 'expired') return answer(res, 403, 'AccessDenied', 'The URL has expired.');
    const location = await presigned(key, grant);
    res.writeHead(302, {
      location,
      // The same redirect for a tenth of the TTL (the bucket's URL is kept as long, and has at least 80% of its life
      // left by then): the browser need not ask again.
      'cache-control': `private, max-age=${Math.floor(opts.urlTtlMs / 10_000)}`,
      'referrer-policy': 'no-referrer',
      'content-length': 0,
    });
    res.end();
  }

  return {
    matches: (pathname) => pathname.startsWith(`${UPLOAD_PATH}/`),
    handle(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return answer(res, 405, 'MethodNotAllowed', 'GET a signed URL; uploads go to the bucket.');
      get(req, res, pathname).catch((err: unknown) => {
        opts.log.error({ err }, 'a download could not be redirected to the bucket');
        answer(res, 500, 'InternalError', 'The file could not be reached.');
      });
    },
  };
}
