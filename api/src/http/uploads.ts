// The embedded store's HTTP side (no S3 configured): parley answers the presigned POST itself — the policy checked,
// the file streamed to disk (never buffered whole), the size exact — and serves signed, expiring GETs. Mounted before
// the MAX_BODY_BYTES check: an upload's limit is its policy's size.
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { UPLOAD_PATH, type EmbeddedStore } from '../attachments/embedded-store.ts';
import { contentDisposition } from '../attachments/s3-store.ts';
import type { Uploads } from '../attachments/uploads.ts';
import type { Logger } from '../logger.ts';

/** Room for the form fields and multipart boundaries around the file. */
const FORM_OVERHEAD = 64 * 1024;

export type UploadRoutes = {
  matches(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): void;
};

/** An S3-style answer: the status, and an XML error body when there is a code. */
export function answer(res: ServerResponse, status: number, code?: string, message?: string) {
  if (res.headersSent) return;
  const body = code
    ? `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
    : '';
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function createUploadRoutes(opts: {
  store: EmbeddedStore;
  uploads: Uploads;
  maxUploadBytes: number;
  log: Logger;
}): UploadRoutes {
  const { store, uploads, log } = opts;
  const maxRequest = opts.maxUploadBytes + FORM_OVERHEAD;

  function post(req: IncomingMessage, res: ServerResponse) {
    if (Number(req.headers['content-length'] ?? 0) > maxRequest) {
      res.setHeader('connection', 'close');
      return answer(res, 413, 'EntityTooLarge', 'The request is larger than any upload may be.');
    }
    let form: busboy.Busboy;
    try {
      form = busboy({ headers: req.headers, limits: { fields: 10, fieldSize: 8192, files: 1, fileSize: maxRequest } });
    } catch {
      return answer(res, 400, 'MalformedPOSTRequest', 'Send multipart/form-data.');
    }
    const fields: Record<string, string> = {};
    let handled = false;
    form.on('field', (name, value) => (fields[name] = value));
    form.on('file', (name, file) => {
      if (name !== 'file' || handled) return void file.resume();
      handled = true;
      const policy = store.verifyPost(fields);
      if (typeof policy === 'string') {
        file.resume();
        return answer(res, 403, 'AccessDenied', policy);
      }
      // The client went away mid-body: the file stream would wait forever; ended with an error, the store removes
      // what it had written (embedded-store.ts receive).
      req.once('close', () => {
        if (!req.complete) file.destroy(new Error('the upload was cut off'));
      });
      void (async () => {
        // One upload per policy: bytes once checked are never replaced.
        if ((await store.head(policy.key)) !== null) {
          file.resume();
          return answer(res, 409, 'AlreadyUploaded', 'This upload has already been received.');
        }
        const verdict = await store.receive(policy.key, file, policy.byteSize);
        file.resume();
        if (verdict !== 'ok') {
          const code = verdict === 'too large' ? 'EntityTooLarge' : 'EntityTooSmall';
          return answer(res, 400, code, `The file must be exactly ${policy.byteSize} bytes.`);
        }
        if (!(await uploads.received(policy.key, policy.contentType))) {
          return answer(res, 400, 'InvalidContent', `The bytes are not of type ${policy.contentType}.`);
        }
        answer(res, 204);
      })().catch((err: unknown) => {
        if (!req.complete) return log.info({ key: policy.key }, 'an upload was cut off by the client');
        log.error({ err }, 'an upload failed');
        answer(res, 500, 'InternalError', 'The upload could not be stored.');
      });
    });
    form.on('close', () => {
      if (!handled) answer(res, 400, 'MalformedPOSTRequest', 'The form has no file field.');
    });
    form.on('error', () => answer(res, 400, 'MalformedPOSTRequest', 'The form could not be read.'));
    req.pipe(form);
  }

  async function get(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const key = pathname.slice(UPLOAD_PATH.length + 1);
    const grant = store.verifyGet(key, new URL(req.url ?? '/', 'http://localhost').searchParams);
    if (!grant) return answer(res, 403, 'AccessDenied', 'The URL is not signed.');
    if (grant === 'expired') return answer(res, 403, 'AccessDenied', 'The URL has expired.');
    const size = (await store.head(key))?.size;
    if (size === undefined) return answer(res, 404, 'NoSuchKey', 'There is no such file (any more).');
    res.writeHead(200, {
      'content-type': grant.contentType,
      'content-length': size,
      'content-disposition': contentDisposition(grant.inline ? 'inline' : 'attachment', grant.filename),
      // Even a file a browser could run is inert here: no script, no plugins, no origin, never sniffed.
      'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=300',
    });
    if (req.method === 'HEAD') return void res.end();
    store
      .stream(key)
      .once('error', () => res.destroy())
      .pipe(res);
  }

  return {
    matches: (pathname) => pathname === UPLOAD_PATH || pathname.startsWith(`${UPLOAD_PATH}/`),
    handle(req, res, pathname) {
      if (req.method === 'POST' && pathname === UPLOAD_PATH) return post(req, res);
      if ((req.method === 'GET' || req.method === 'HEAD') && pathname !== UPLOAD_PATH) {
        return void get(req, res, pathname).catch(() =>
          answer(res, 500, 'InternalError', 'The file could not be read.'),
        );
      }
      answer(res, 405, 'MethodNotAllowed', 'POST an upload form, or GET a signed URL.');
    },
  };
}
