// Attachments on an S3 API: a real S3-compatible server (s3rver, in this process) that the bytes go to directly
// through the presigned POST, and from which the peer downloads through a presigned GET (parley's signed URL answers
// with a redirect to it). The scenarios are in
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

test('a download URL is parley’s, short and signed; it redirects to a presigned GET, and the bytes come from the bucket', async () => {
  const { signUp, ok } = await import('./support/server.ts');
  const [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
  const bytes = Buffer.from('straight from the bucket\n');
  const { createUpload: u } = await ok(
    server,
    `mutation($n: Int!) { createUpload(filename: "notes.txt", contentType: "text/plain", byteSize: $n) { id url fields { name value } } }`,
    { n: bytes.length },
    alice.token,
  );
  const form = new FormData();
  for (const { name, value } of u.fields as { name: string; value: string }[]) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'text/plain' }), 'notes.txt');
  expect((await fetch(u.url, { method: 'POST', body: form })).ok).toBe(true);
  const sent = await ok(
    server,
    `mutation($to: ID!, $ids: [ID!]) { sendMessage(recipientId: $to, content: "", attachmentIds: $ids) { attachments { url } } }`,
    { to: bob.id, ids: [u.id] },
    alice.token,
  );
  const { url } = sent.sendMessage.attachments[0];
  expect(url).toMatch(new RegExp(`^/uploads/${u.id}\\?`));
  expect(url.length).toBeLessThan(200); // the bucket's presigned URLs are ~500 characters

  const redirect = await fetch(new URL(url, server.url), { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  // Browsers may keep the redirect for a tenth of the URL's life: none here, where URLs live 5 s (ATTACHMENT_URL_TTL).
  expect(redirect.headers.get('cache-control')).toBe('private, max-age=0');
  const location = new URL(redirect.headers.get('location')!);
  expect(location.origin + location.pathname).toBe(`${env.S3_ENDPOINT}/${BUCKET}/${u.id}`);
  expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  expect(location.searchParams.get('response-content-disposition')).toBe('attachment; filename="notes.txt"');
  const download = await fetch(location);
  expect(download.status).toBe(200);
  expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  // The same redirect within a window: the browser's cache keeps the bytes.
  expect((await fetch(new URL(url, server.url), { redirect: 'manual' })).headers.get('location')).toBe(
    location.toString(),
  );

  // Tampered or unsigned: refused by parley, no redirect.
  const forged = new URL(url, server.url);
  forged.searchParams.set('d', 'inline');
  for (const bad of [forged, new URL(`/uploads/${u.id}`, server.url)]) {
    const refused = await fetch(bad, { redirect: 'manual' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('location')).toBeNull();
  }
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
