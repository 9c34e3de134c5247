// The object store on an S3 API (AWS S3, MinIO, R2, …) through the AWS SDK v3. Clients upload with a presigned POST
// whose policy fixes the key, the exact size and the content type, and download through presigned GETs: the bytes
// never pass through parley (except to strip and thumbnail images, off the request path).
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config.ts';
import type { ObjectStore } from './storage.ts';

/** A filename for a Content-Disposition header (RFC 6266: an ASCII fallback, and the UTF-8 original if it differs). */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const header = `${type}; filename="${ascii}"`;
  return ascii === filename ? header : `${header}; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

const REMOVE_PARALLEL = 16;

const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/**
 * The origins the browser reaches the bucket at (the presigned POST and the signed GETs): the endpoint's, path style
 * or virtual-hosted (`<bucket>.<host>`), or AWS's for the region. For the web app's Content-Security-Policy.
 */
export function s3Origins(config: S3Config): string[] {
  if (config.endpoint) {
    const url = new URL(config.endpoint);
    return config.forcePathStyle ? [url.origin] : [url.origin, `${url.protocol}//${config.bucket}.${url.host}`];
  }
  return [`https://${config.bucket}.s3.${config.region}.amazonaws.com`, `https://s3.${config.region}.amazonaws.com`];
}

export function createS3Store(config: S3Config): ObjectStore & { close(): void } {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    // Checksums only where S3 requires them: S3-compatible stores do not all know the newer checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
  });
  const Bucket = config.bucket;

  return {
    kind: 's3',
    async presignPost({ key, contentType, byteSize, expiresAt }) {
      const { url, fields } = await createPresignedPost(client, {
        Bucket,
        Key: key,
        Conditions: [
          ['content-length-range', byteSize, byteSize],
          ['eq', '$Content-Type', contentType],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 1000)),
      });
      return { url, fields };
    },
    signedGet(key, { filename, contentType, inline, signedAt, expiresAt }) {
      const command = new GetObjectCommand({
        Bucket,
        Key: key,
        ResponseContentType: contentType,
        ResponseContentDisposition: contentDisposition(inline ? 'inline' : 'attachment', filename),
      });
      return getSignedUrl(client, command, {
        signingDate: signedAt,
        expiresIn: Math.max(1, Math.round((expiresAt.getTime() - signedAt.getTime()) / 1000)),
      });
    },
    async head(key) {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { size: res.ContentLength ?? 0, contentType: res.ContentType };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async readStart(key, bytes) {
      const res = await client.send(new GetObjectCommand({ Bucket, Key: key, Range: `bytes=0-${bytes - 1}` }));
      return res.Body!.transformToByteArray();
    },
    async read(key) {
      const res = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      return Buffer.from(await res.Body!.transformToByteArray());
    },
    async write(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
    },
    // One DELETE per object, a few at a time: every S3 API has it (DeleteObjects is missing or differs on some).
    async remove(keys) {
      for (let i = 0; i < keys.length; i += REMOVE_PARALLEL) {
        await Promise.all(
          keys.slice(i, i + REMOVE_PARALLEL).map((Key) => client.send(new DeleteObjectCommand({ Bucket, Key }))),
        );
      }
    },
    close: () => client.destroy(),
  };
}
