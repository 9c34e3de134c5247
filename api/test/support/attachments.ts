// The attachment scenarios, run against each storage mode (attachments.test.ts: embedded; attachments-s3.test.ts: a
// real S3 API server). Everything goes through the public surface: GraphQL, the presigned POST, the signed URLs.
import sharp from 'sharp';
import { gql, ok, signUp, sleep, type TestServer, type TestUser } from './server.ts';

export const ATTACHMENT_ENV = {
  MAX_UPLOAD_BYTES: '200000',
  UPLOAD_BYTES_PER_DAY: '1000000',
  ATTACHMENT_URL_TTL: '5s',
  UPLOAD_ORPHAN_TTL: '10s',
  UPLOAD_SWEEP_INTERVAL: '1s',
};

const CREATE = `mutation($f: String!, $t: String!, $n: Int!) {
  createUpload(filename: $f, contentType: $t, byteSize: $n) { id url fields { name value } expiresAt }
}`;
const SEND = `mutation($to: ID!, $text: String!, $ids: [ID!], $cid: String) {
  sendMessage(recipientId: $to, content: $text, attachmentIds: $ids, clientMessageId: $cid) {
    id content attachments { id filename contentType byteSize url width height thumbnailUrl }
  }
}`;
const HISTORY = `query($with: ID!) { chatHistory(withUserId: $with, last: 5) { edges { node {
  id attachments { id filename contentType byteSize url width height thumbnailUrl } } } } }`;

type Upload = { id: string; url: string; fields: { name: string; value: string }[]; expiresAt: string };
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
const argOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.argument;

export type Mode = {
  server(): TestServer;
  /** Whether the object (or its thumbnail) is still in storage, looked at directly. */
  exists(key: string): Promise<boolean>;
  /** S3 checks the bytes when they are first attached; the embedded store as they arrive. */
  sniffsOnArrival: boolean;
  /** The store refuses a POST outside its policy, and an unsigned GET (parley's embedded store, AWS, MinIO: a
   * private bucket; s3rver does neither, so parley's own checks are what the S3 suite sees). */
  enforcesPolicy: boolean;
};

export function attachmentScenarios(mode: Mode) {
  let server: TestServer;
  let alice: TestUser, bob: TestUser, carol: TestUser;
  const abs = (url: string) => new URL(url, server.url).toString();

  beforeAll(async () => {
    server = mode.server();
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((n) => signUp(server, n)));
  });

  const create = (user: TestUser, f: string, t: string, n: number) => gql(server, CREATE, { f, t, n }, user.token);
  async function upload(user: TestUser, f: string, t: string, bytes: Uint8Array, declared = bytes.length) {
    const u = (await ok(server, CREATE, { f, t, n: declared }, user.token)).createUpload as Upload;
    return { upload: u, res: await post(u, bytes, t) };
  }
  function post(u: Upload, bytes: Uint8Array, fileType: string, override: Record<string, string> = {}) {
    const form = new FormData();
    for (const { name, value } of u.fields) form.append(name, override[name] ?? value);
    form.append('file', new Blob([Buffer.from(bytes)], { type: fileType }), 'file');
    return fetch(abs(u.url), { method: 'POST', body: form });
  }
  const send = (user: TestUser, to: TestUser, ids: string[], text = '') =>
    gql(server, SEND, { to: to.id, text, ids }, user.token);

  test('upload → send → the peer downloads it through its signed URL; a stranger gets nothing', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 'x'), Buffer.from('\n%%EOF\n')]);
    const { upload: u, res } = await upload(alice, 'report.pdf', 'application/pdf', pdf);
    expect(res.status).toBeLessThan(300);
    // A stranger cannot attach it (finished, unattached, but not theirs).
    const stolen = await send(carol, bob, [u.id]);
    expect([codeOf(stolen), argOf(stolen)]).toEqual(['BAD_USER_INPUT', 'attachmentIds']);
    const sent = await send(alice, bob, [u.id]);
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendMessage.content).toBe('');
    expect(sent.data.sendMessage.attachments).toMatchObject([
      { id: u.id, filename: 'report.pdf', contentType: 'application/pdf', byteSize: pdf.length, thumbnailUrl: null },
    ]);

    const history = await ok(server, HISTORY, { with: alice.id }, bob.token);
    const [attachment] = history.chatHistory.edges.at(-1).node.attachments;
    const download = await fetch(abs(attachment.url));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="report.pdf"/);

    // A stranger sees no attachments of a message not theirs; a URL not signed for the key is refused.
    const url = new URL(abs(attachment.url));
    const forged = url
      .toString()
      .replace(u.id, (await create(carol, 'x.pdf', 'application/pdf', 10)).data.createUpload.id);
    expect((await fetch(forged)).status).toBe(403);
    url.search = '';
    if (mode.enforcesPolicy) expect((await fetch(url)).status).toBe(403);

    // The inbox's last message carries them too (read in the inbox's own statement).
    const inbox = await ok(
      server,
      `{ conversations(first: 5) { edges { node { peer { id } lastMessage { attachments { id url } } } } } }`,
      {},
      bob.token,
    );
    const withAlice = inbox.conversations.edges.find((e: any) => e.node.peer.id === alice.id);
    expect(withAlice.node.lastMessage.attachments.map((a: { id: string }) => a.id)).toEqual([u.id]);

    // Already attached: refused.
    const again = await send(alice, bob, [u.id], 'again');
    expect([codeOf(again), argOf(again)]).toEqual(['BAD_USER_INPUT', 'attachmentIds']);
  });

  test('a signed URL is the same for a while (so browsers cache the bytes), and expires', async () => {
    const { upload: u } = await upload(alice, 'a.txt', 'text/plain', Buffer.from('hello, expiring world\n'));
    const sent = await ok(server, SEND, { to: bob.id, text: 'file', ids: [u.id] }, alice.token);
    const url = abs(sent.sendMessage.attachments[0].url);
    expect((await fetch(url)).status).toBe(200);
    // URLs are signed at the start of a window (1 s for this 5 s TTL): two reads within one window get one URL.
    const urlsOf = async (user: TestUser) => {
      const peer = user === bob ? alice : bob;
      const h = await ok(server, HISTORY, { with: peer.id }, user.token);
      return h.chatHistory.edges.find((e: any) => e.node.id === sent.sendMessage.id).node.attachments[0].url;
    };
    let reads: string[] = [];
    for (let tries = 0; tries < 5 && reads.length < 2; tries++) {
      const started = Math.floor(Date.now() / 1000);
      const both = [await urlsOf(bob), await urlsOf(alice)];
      if (Math.floor(Date.now() / 1000) === started) reads = both;
      else await sleep(50);
    }
    expect(reads).toHaveLength(2);
    expect(reads[0]).toBe(reads[1]);
    expect((await fetch(abs(reads[0]))).status).toBe(200);
    await sleep(6500); // ATTACHMENT_URL_TTL is 5 s
    expect((await fetch(url)).status).toBe(403);
  });

  test('the policy holds the size and the type: a wrong size or type is refused and never attachable', async () => {
    const text = Buffer.from('twelve bytes');
    const tooBig = await upload(alice, 'big.txt', 'text/plain', Buffer.concat([text, Buffer.from('!')]), text.length);
    const tooSmall = await upload(alice, 'small.txt', 'text/plain', text.subarray(1), text.length);
    const u = (await ok(server, CREATE, { f: 'a.txt', t: 'text/plain', n: text.length }, alice.token)).createUpload;
    const otherType = await post(u, text, 'text/html', { 'Content-Type': 'text/html' });
    if (mode.enforcesPolicy) {
      for (const res of [tooBig.res, tooSmall.res, otherType]) expect(res.status).toBeGreaterThanOrEqual(400);
    }
    for (const id of [tooBig.upload.id, tooSmall.upload.id, u.id]) {
      const r = await send(alice, bob, [id]);
      expect([codeOf(r), argOf(r)]).toEqual(['BAD_USER_INPUT', 'attachmentIds']);
    }
  });

  test('bytes whose sniffed type contradicts the declared one are refused', async () => {
    const notAPng = Buffer.from('<html><script>alert(1)</script></html>');
    const { upload: u, res } = await upload(alice, 'cat.png', 'image/png', notAPng);
    if (mode.sniffsOnArrival) expect(res.status).toBe(400);
    const r = await send(alice, bob, [u.id], 'look');
    expect([codeOf(r), argOf(r)]).toEqual(['BAD_USER_INPUT', 'attachmentIds']);
    expect(r.errors![0].message).toMatch(/not image\/png/);
    expect(await mode.exists(u.id)).toBe(false);
  });

  test('images lose their EXIF and get a thumbnail, off the request path', async () => {
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3366aa' } })
      .withExif({ IFD0: { Copyright: 'SECRET-GPS-MARKER' } })
      .jpeg()
      .toBuffer();
    expect(jpeg.includes('SECRET-GPS-MARKER')).toBe(true);
    const { upload: u } = await upload(alice, 'photo.jpg', 'image/jpeg', jpeg);
    await ok(server, SEND, { to: bob.id, text: 'photo', ids: [u.id] }, alice.token);
    let attachment: any;
    for (let i = 0; i < 100 && !attachment?.thumbnailUrl; i++) {
      await sleep(200);
      const h = await ok(server, HISTORY, { with: alice.id }, bob.token);
      attachment = h.chatHistory.edges.at(-1).node.attachments[0];
    }
    expect(attachment).toMatchObject({ width: 800, height: 600 });
    const image = Buffer.from(await (await fetch(abs(attachment.url))).arrayBuffer());
    expect(image.includes('SECRET-GPS-MARKER')).toBe(false);
    expect((await sharp(image).metadata()).format).toBe('jpeg');
    const thumb = await fetch(abs(attachment.thumbnailUrl));
    expect(thumb.status).toBe(200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([meta.format, meta.width]).toEqual(['webp', 320]);
  });

  test('limits: the allow-list, the size, ten attachments, and the daily quota', async () => {
    expect(argOf(await create(alice, 'page.html', 'text/html', 10))).toBe('contentType');
    expect(argOf(await create(alice, 'x.svg', 'image/svg+xml', 10))).toBe('contentType');
    expect(argOf(await create(alice, 'big.pdf', 'application/pdf', 200_001))).toBe('byteSize');
    const ids = Array.from({ length: 11 }, () => crypto.randomUUID());
    expect(argOf(await send(alice, bob, ids))).toBe('attachmentIds');
    const dave = await signUp(server, 'dave');
    for (let i = 0; i < 5; i++) await ok(server, CREATE, { f: 'a.pdf', t: 'application/pdf', n: 200_000 }, dave.token);
    expect(codeOf(await create(dave, 'a.pdf', 'application/pdf', 1))).toBe('RATE_LIMITED');
  });

  test('the sweep deletes an upload not attached in time, bytes and all', async () => {
    const { upload: u, res } = await upload(alice, 'orphan.txt', 'text/plain', Buffer.from('nobody attaches me\n'));
    expect(res.status).toBeLessThan(300);
    expect(await mode.exists(u.id)).toBe(true);
    for (let i = 0; i < 150 && (await mode.exists(u.id)); i++) await sleep(200); // UPLOAD_ORPHAN_TTL is 10 s
    expect(await mode.exists(u.id)).toBe(false);
    const r = await send(alice, bob, [u.id]);
    expect([codeOf(r), argOf(r)]).toEqual(['BAD_USER_INPUT', 'attachmentIds']);
  });
}
