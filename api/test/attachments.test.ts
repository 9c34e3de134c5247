// Attachments with the embedded store (no S3 configured): parley answers the presigned POST and serves signed GETs
// from DATA_DIR/uploads. The scenarios are in support/attachments.ts (the same run against S3 in attachments-s3).
import { access, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { attachmentScenarios, ATTACHMENT_ENV } from './support/attachments.ts';
import { ok, signUp, type TestServer } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

let server: TestServer;
let dataDir: string;

useTestServer(
  (suite) => {
    server = suite.server;
    dataDir = suite.db.dataDir;
  },
  { env: ATTACHMENT_ENV },
);

attachmentScenarios({
  server: () => server,
  exists: (key) =>
    access(path.join(dataDir, 'uploads', key)).then(
      () => true,
      () => false,
    ),
  sniffsOnArrival: true,
  enforcesPolicy: true,
});

test('a download is inert: served as an attachment, sandboxed, never sniffed; an unsigned GET is refused', async () => {
  const [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
  const text = Buffer.from('<html><script>alert(document.cookie)</script></html>');
  const { createUpload: u } = await ok(
    server,
    `mutation($n: Int!) { createUpload(filename: "notes.txt", contentType: "text/plain", byteSize: $n) {
      id url fields { name value } } }`,
    { n: text.length },
    alice.token,
  );
  const form = new FormData();
  for (const { name, value } of u.fields) form.append(name, value);
  form.append('file', new Blob([text]), 'notes.txt');
  expect((await fetch(new URL(u.url, server.url), { method: 'POST', body: form })).status).toBe(204);
  // The same policy cannot replace bytes already checked.
  expect((await fetch(new URL(u.url, server.url), { method: 'POST', body: form })).status).toBe(409);
  const sent = await ok(
    server,
    `mutation($to: ID!, $ids: [ID!]) { sendMessage(recipientId: $to, content: "", attachmentIds: $ids) {
      attachments { url } } }`,
    { to: bob.id, ids: [u.id] },
    alice.token,
  );
  const res = await fetch(new URL(sent.sendMessage.attachments[0].url, server.url));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
  expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const unsigned = await fetch(`${server.url}/uploads/${u.id}`);
  expect(unsigned.status).toBe(403);
});

test('deleting a message deletes its attachments: the download URL is refused, the object is gone', async () => {
  const [alice, bob] = await Promise.all([signUp(server, 'dora'), signUp(server, 'dan')]);
  const text = Buffer.from('to be deleted');
  const { createUpload: u } = await ok(
    server,
    `mutation($n: Int!) { createUpload(filename: "gone.txt", contentType: "text/plain", byteSize: $n) {
      id url fields { name value } } }`,
    { n: text.length },
    alice.token,
  );
  const form = new FormData();
  for (const { name, value } of u.fields) form.append(name, value);
  form.append('file', new Blob([text]), 'gone.txt');
  expect((await fetch(new URL(u.url, server.url), { method: 'POST', body: form })).status).toBe(204);
  const { sendMessage: sent } = await ok(
    server,
    `mutation($to: ID!, $ids: [ID!]) { sendMessage(recipientId: $to, content: "x", attachmentIds: $ids) {
      id attachments { url } } }`,
    { to: bob.id, ids: [u.id] },
    alice.token,
  );
  const url = new URL(sent.attachments[0].url, server.url);
  expect((await fetch(url)).status).toBe(200);
  const exists = () =>
    access(path.join(dataDir, 'uploads', u.id)).then(
      () => true,
      () => false,
    );
  expect(await exists()).toBe(true);

  const { deleteMessage } = await ok(
    server,
    `mutation($id: ID!) { deleteMessage(id: $id) { deletedAt attachments { id } } }`,
    { id: sent.id },
    alice.token,
  );
  expect(deleteMessage.deletedAt).not.toBeNull();
  expect(deleteMessage.attachments).toEqual([]);
  expect(await exists()).toBe(false);
  expect((await fetch(url)).status).toBe(404);
  const history = await ok(
    server,
    `query($w: ID!) { chatHistory(withUserId: $w, last: 5) { edges { node { id attachments { id } } } } }`,
    { w: alice.id },
    bob.token,
  );
  expect(history.chatHistory.edges.map((e: { node: { attachments: unknown[] } }) => e.node.attachments)).toEqual([[]]);
});

describe('temporary files of the embedded store', () => {
  const tmp = () => path.join(dataDir, 'uploads', '.tmp');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('an upload cut off mid-body leaves nothing behind in .tmp', async () => {
    const alice = await signUp(server, 'tmpalice');
    const size = 150_000;
    const { createUpload: u } = await ok(
      server,
      `mutation($n: Int!) { createUpload(filename: "big.txt", contentType: "text/plain", byteSize: $n) {
        id url fields { name value } } }`,
      { n: size },
      alice.token,
    );
    const boundary = 'parley-test-boundary';
    const head = Buffer.from(
      u.fields
        .map(
          (f: { name: string; value: string }) =>
            `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"\r\n\r\n${f.value}\r\n`,
        )
        .join('') +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n` +
        'Content-Type: text/plain\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const { port, hostname } = new URL(server.url);
    const socket = net.connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST ${u.url} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${head.length + size + tail.length}\r\n\r\n`,
    );
    socket.write(head);
    socket.write(Buffer.alloc(60_000, 'a')); // part of the file, then the client goes away
    for (let i = 0; i < 100 && (await readdir(tmp())).length === 0; i++) await sleep(50);
    expect((await readdir(tmp())).length).toBe(1); // being written
    socket.destroy();
    for (let i = 0; i < 100 && (await readdir(tmp())).length > 0; i++) await sleep(50);
    expect(await readdir(tmp())).toEqual([]);
  });

  test('the sweep deletes a temporary file a crash left behind, not one being written', async () => {
    const left = path.join(tmp(), crypto.randomUUID());
    const fresh = path.join(tmp(), crypto.randomUUID());
    await writeFile(left, 'cut off');
    const anHourAgo = new Date(Date.now() - 3600_000);
    await utimes(left, anHourAgo, anHourAgo);
    await writeFile(fresh, 'still arriving');
    const exists = (file: string) =>
      access(file).then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 100 && (await exists(left)); i++) await sleep(100); // UPLOAD_SWEEP_INTERVAL is 1 s
    expect(await exists(left)).toBe(false);
    expect(await exists(fresh)).toBe(true); // younger than UPLOAD_ORPHAN_TTL (10 s)
    await rm(fresh);
  });
});
