// Attachments on an S3 API: a real S3-compatible server (s3rver, in this process) that the bytes go to directly
// through the presigned POST, and from which the peer downloads through a presigned GET. The scenarios are in
// support/attachments.ts (the same run against the embedded store in attachments.test.ts).
// s3rver does not enforce a POST policy's conditions (nor keep a bucket private): a wrong size or type is then refused
// by parley's own check when the upload is first attached (a HEAD), which is what these tests observe.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from '@20minutes/s3rver';
import { attachmentScenarios, ATTACHMENT_ENV } from './support/attachments.ts';
import type { TestServer } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const BUCKET = 'parley-test';
const env: Record<string, string> = { ...ATTACHMENT_ENV };
let s3rver: S3rver;
let s3: S3Client;
let directory: string;
let webDist: string;
let server: TestServer;

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'parley-s3rver-'));
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET }] });
  const { port } = (await s3rver.run()) as AddressInfo;
  // A web app to serve, for its Content-Security-Policy.
  webDist = await mkdtemp(path.join(os.tmpdir(), 'parley-s3-web-'));
  await writeFile(path.join(webDist, 'index.html'), '<!doctype html><div id="root"></div>');
  Object.assign(env, {
    WEB_DIST: webDist,
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_BUCKET: BUCKET,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  });
  s3 = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

useTestServer((suite) => void (server = suite.server), { env });

afterAll(async () => {
  s3.destroy();
  await s3rver.close();
  await rm(directory, { recursive: true, force: true });
  await rm(webDist, { recursive: true, force: true });
});

attachmentScenarios({
  server: () => server,
  exists: (key) =>
    s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
      () => true,
      () => false,
    ),
  sniffsOnArrival: false,
  enforcesPolicy: false,
});

test('the upload goes to the bucket, not to parley', async () => {
  const { signUp, ok } = await import('./support/server.ts');
  const alice = await signUp(server, 'alice');
  const { createUpload } = await ok(
    server,
    `mutation { createUpload(filename: "a.txt", contentType: "text/plain", byteSize: 5) { url fields { name } } }`,
    {},
    alice.token,
  );
  expect(createUpload.url).toContain(env.S3_ENDPOINT);
  expect(createUpload.fields.map((f: { name: string }) => f.name)).toEqual(
    expect.arrayContaining(['key', 'Content-Type', 'Policy', 'X-Amz-Signature']),
  );
});

test('the web app may reach the bucket: its Content-Security-Policy names it for uploads and images', async () => {
  const res = await fetch(`${server.url}/`);
  expect(res.status).toBe(200);
  const directives = Object.fromEntries(
    (res.headers.get('content-security-policy') ?? '').split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
  expect(directives['connect-src']).toEqual(["'self'", 'ws:', 'wss:', env.S3_ENDPOINT]);
  expect(directives['img-src']).toEqual(["'self'", 'data:', 'blob:', env.S3_ENDPOINT]);
});
