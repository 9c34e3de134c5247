// The embedded object store (no S3 configured): files in DATA_DIR/uploads, written by parley's own answer to the
// presigned POST (http/uploads.ts) and served by its signed GET (download-links.ts). Policies and URLs are signed
// with an HMAC key derived from the JWT secret, so every instance sharing that secret (and the directory) accepts them.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UPLOAD_PATH, uploadsKey, type DownloadGrant, type DownloadLinks } from './download-links.ts';
import { KEY, type ObjectStore } from './storage.ts';

/** Where the embedded store answers: POST here to upload, GET `${UPLOAD_PATH}/<key>?…` to download. */
export { UPLOAD_PATH };

export type UploadPolicy = { key: string; contentType: string; byteSize: number; expires: number };

export type EmbeddedStore = ObjectStore & {
  readonly kind: 'embedded';
  /** The policy of a POST's fields, or why it is refused. */
  verifyPost(fields: Record<string, string>): UploadPolicy | string;
  /** What a GET URL grants, 'expired', or null (not signed by us). */
  verifyGet(key: string, query: URLSearchParams): DownloadGrant | 'expired' | null;
  /** Streams the body to a temporary file, then renames it to `key`: never buffered whole. Refuses a wrong size. */
  receive(key: string, body: Readable, byteSize: number): Promise<'ok' | 'too large' | 'too small'>;
  stream(key: string): Readable;
};

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const fromB64 = (s: string) => Buffer.from(s, 'base64url').toString();

/** `secret` signs the upload policies; `links` (made from the same secret by app.ts) the downloads. */
export async function createEmbeddedStore(
  dataDir: string,
  secret: string,
  links: DownloadLinks,
): Promise<EmbeddedStore> {
  const root = path.join(dataDir, 'uploads');
  const tmp = path.join(root, '.tmp');
  await fs.mkdir(tmp, { recursive: true });
  const hmacKey = uploadsKey(secret);
  const sign = (text: string) => createHmac('sha256', hmacKey).update(text).digest('base64url');
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  const file = (key: string) => {
    if (!KEY.test(key)) throw new Error(`not an object key: ${key}`);
    return path.join(root, key);
  };

  return {
    kind: 'embedded',
    async presignPost({ key, contentType, byteSize, expiresAt }) {
      const policy = b64(JSON.stringify({ key, contentType, byteSize, expires: expiresAt.getTime() }));
      return {
        url: UPLOAD_PATH,
        fields: { key, 'Content-Type': contentType, policy, 'x-parley-signature': sign(policy) },
      };
    },
    verifyPost(fields) {
      const { policy, 'x-parley-signature': signature } = fields;
      if (!policy || !signature || !same(sign(policy), signature)) return 'The policy signature does not match.';
      const p = JSON.parse(fromB64(policy)) as UploadPolicy;
      if (p.expires < Date.now()) return 'The policy has expired.';
      if (fields.key !== p.key) return 'The key does not match the policy.';
      if (fields['Content-Type'] !== p.contentType) return 'The Content-Type does not match the policy.';
      return p;
    },
    signedGet: async (key, p) => links.sign(key, p),
    verifyGet: links.verify,
    async receive(key, body, byteSize) {
      const temporary = path.join(tmp, randomUUID());
      let size = 0;
      let verdict: 'ok' | 'too large' | 'too small' = 'ok';
      let stored = false;
      try {
        await pipeline(
          body,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              size += chunk.length;
              if (size > byteSize) {
                verdict = 'too large';
                return; // the rest of the body is drained by the caller
              }
              yield chunk;
            }
          },
          createWriteStream(temporary),
        );
        if (verdict === 'ok' && size < byteSize) verdict = 'too small';
        if (verdict === 'ok') {
          await fs.rename(temporary, file(key));
          stored = true;
        }
        return verdict;
      } finally {
        // Refused, or cut off (the client went away mid-body: the pipeline threw): nothing stays in .tmp.
        if (!stored) await fs.rm(temporary, { force: true });
      }
    },
    stream: (key) => createReadStream(file(key)),
    async head(key) {
      const stat = await fs.stat(file(key)).catch(() => null);
      return stat ? { size: stat.size } : null;
    },
    async readStart(key, bytes) {
      const handle = await fs.open(file(key));
      try {
        const buffer = Buffer.alloc(bytes);
        const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    read: (key) => fs.readFile(file(key)),
    async write(key, body) {
      const temporary = path.join(tmp, randomUUID());
      await fs.writeFile(temporary, body);
      await fs.rename(temporary, file(key));
    },
    async remove(keys) {
      await Promise.all(keys.map((key) => fs.rm(file(key), { force: true })));
    },
    async sweepTemporary(olderThanMs) {
      // A file being written is touched with every chunk; one left by a crash or a kill stays as it was.
      const before = Date.now() - olderThanMs;
      let removed = 0;
      for (const name of await fs.readdir(tmp)) {
        const temporary = path.join(tmp, name);
        const stat = await fs.stat(temporary).catch(() => null);
        if (!stat?.isFile() || stat.mtimeMs >= before) continue;
        await fs.rm(temporary, { force: true });
        removed++;
      }
      return removed;
    },
  };
}
