/**
 * Files of a message sent before they were uploaded (pendingUploads.ts, pendingUploadsSender.ts) survive a reload:
 * kept in IndexedDB (fake-indexeddb, with the real idb-keyval), restored into a new page's upload queue, uploaded,
 * and the message goes out once, with its clientMessageId and the files' ids, through the real outbox sender (its
 * server a scripted Apollo link). A "reload" is a new Outbox, UploadQueue and sender over the same storage.
 */
import 'fake-indexeddb/auto';
import { ApolloClient, ApolloLink } from '@apollo/client';
import { createStore } from 'idb-keyval';
import { Observable } from 'rxjs';
import { createCache } from '../apollo/cache';
import { ALICE, BOB, message } from '../test/fixtures';
import { Outbox } from './outbox';
import { OutboxSender } from './outboxSender';
import { PendingUploads } from './pendingUploads';
import { PendingUploadsSender } from './pendingUploadsSender';
import { UploadFailed } from './uploadRequest';
import { localIdOf, UploadQueue, type UploadDeps, type UploadTicket } from './uploads';

// jsdom has no structuredClone (fake-indexeddb stores clones): plain data is copied, Blobs kept as they are (a
// browser's IndexedDB keeps a Blob's bytes; these are never changed), anything else refused as a browser would.
globalThis.structuredClone ??= function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object' || value instanceof Blob) return value;
  if (value instanceof Date) return new Date(value) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new DOMException('not cloneable', 'DataCloneError');
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)])) as T;
} as typeof structuredClone;

/** A Blob's text (jsdom's Blob has no text()). */
const textOf = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The network: createUpload and the store's POST, failing while offline; what reached the store. */
function network() {
  const net = { online: true, tickets: 0, posted: [] as Array<{ id: string; bytes: string }>, cutOff: new Set() };
  const deps: UploadDeps = {
    async createUpload(file) {
      if (!net.online || net.cutOff.has(file.filename)) throw new TypeError('Failed to fetch');
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      return { id: `up-${++net.tickets}`, url: 'https://store.test/', fields: [], expiresAt };
    },
    async post(form, file) {
      if (!net.online) throw new UploadFailed('Upload failed: the server could not be reached.', true);
      net.posted.push({ id: (form as UploadTicket).id, bytes: await textOf(file) });
    },
    describe: (error) => `Upload not started: ${String(error)}`,
    permanent: () => false,
  };
  return { net, deps };
}

/** The server's sendMessage: records every call, stores nothing. */
function sendMessageServer() {
  const calls: Array<Record<string, unknown>> = [];
  const link = new ApolloLink((operation) => {
    const variables = operation.variables as Record<string, unknown>;
    calls.push(variables);
    return new Observable((observer) => {
      const stored = message(`s-${calls.length}`, ALICE, {
        content: variables.content as string,
        clientMessageId: variables.clientMessageId as string,
      });
      observer.next({ data: { sendMessage: stored } });
      observer.complete();
    });
  });
  return { calls, client: new ApolloClient({ link, cache: createCache() }) };
}

let idb: ReturnType<typeof createStore>;
let running: Array<{ stop(): void }> = [];
let dbCount = 0;

/** One page's lifetime: the user's outbox, the conversation's upload queue, the pending files' sender. */
async function page(deps: UploadDeps) {
  const outbox = new Outbox(ALICE.id, window.localStorage);
  const queue = new UploadQueue(deps);
  const kept = new PendingUploads(ALICE.id, idb);
  const pending = new PendingUploadsSender(outbox, kept, () => queue);
  running.push(pending);
  await pending.restore();
  return { outbox, queue, kept, pending };
}

/** What the composer and useSendMessage do: the tray's files go with a new message (adopted, then the tray cleared). */
function send(p: Awaited<ReturnType<typeof page>>, clientMessageId: string, content: string) {
  const attachments = p.queue.all().map((f) => ({
    id: f.uploadId ?? localIdOf(f.key),
    filename: f.filename,
    contentType: f.contentType,
    byteSize: f.byteSize,
  }));
  const entry = {
    clientMessageId,
    recipientId: BOB.id,
    content,
    createdAt: new Date().toISOString(),
    ...(attachments.length ? { attachments } : {}),
  };
  const uploading = p.pending.adopt(entry);
  p.outbox.add({ ...entry, ...(uploading ? { uploading: true as const } : {}) });
  p.queue.sent(); // after onSend, as the composer does
}

beforeEach(() => {
  window.localStorage.clear();
  idb = createStore(`pending-test-${++dbCount}`, 'pending');
});
afterEach(() => {
  running.forEach((r) => r.stop());
  running = [];
});

describe('pending uploads', () => {
  it('a message sent offline keeps its image across a reload and goes out once, with it, in order', async () => {
    const { net, deps } = network();
    net.online = false;
    const first = await page(deps);
    first.queue.add([new File(['picture bytes'], 'lunch.png', { type: 'image/png' })]);
    await until('the upload to fail offline', () => first.queue.all()[0]?.status === 'failed');
    send(first, 'cmid-image', 'Lunch');
    send(first, 'cmid-text', 'After the picture');
    expect(first.queue.all()).toEqual([]); // out of the tray
    const entry = first.outbox.get('cmid-image')!;
    expect(entry.uploading).toBe(true);
    expect(entry.attachments?.[0]?.id).toMatch(/^local:/);
    await until('the file to be kept', async () => (await first.kept.all()).length === 1);
    const [kept] = await first.kept.all();
    expect(kept!.files).toEqual([expect.objectContaining({ filename: 'lunch.png', contentType: 'image/png' })]);
    expect(await textOf(kept!.files[0]!.blob!)).toBe('picture bytes');

    // Reload (still offline), then the network comes back.
    running.forEach((r) => r.stop());
    const second = await page(deps);
    const server = sendMessageServer();
    const messages = new OutboxSender(server.client, second.outbox, { retryDelay: () => 10 });
    running.push(messages);
    messages.flush();
    expect(second.queue.all()).toEqual([]); // restored for the message, not into the tray
    net.online = true;
    second.pending.flush(); // what "online" does
    await until('both messages to be sent', () => server.calls.length === 2 && second.outbox.all().length === 0);
    expect(server.calls.map((c) => c.clientMessageId)).toEqual(['cmid-image', 'cmid-text']);
    expect(server.calls[0]!.attachmentIds).toEqual(['up-1']);
    expect(net.posted).toEqual([{ id: 'up-1', bytes: 'picture bytes' }]);
    expect(await second.kept.all()).toEqual([]);
    // Nothing is sent again.
    messages.flush();
    second.pending.flush();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.calls).toHaveLength(2);
  });

  it('a file uploaded before the reload is not uploaded again', async () => {
    const { net, deps } = network();
    const first = await page(deps);
    first.queue.add([new File(['first'], 'a.pdf', { type: 'application/pdf' })]);
    await until('a.pdf to be uploaded', () => first.queue.all()[0]?.status === 'done');
    net.online = false;
    first.queue.add([new File(['second'], 'b.pdf', { type: 'application/pdf' })]);
    await until('b.pdf to fail offline', () => first.queue.all()[1]?.status === 'failed');
    send(first, 'cmid-two', '');
    await until('the files to be kept', async () => (await first.kept.all()).length === 1);
    const [kept] = await first.kept.all();
    // The uploaded one is in the outbox entry, with its id; only the other one's bytes are kept.
    expect(kept!.files.map((f) => [f.filename, f.uploadId ?? null, !!f.blob])).toEqual([['b.pdf', null, true]]);
    expect(first.outbox.get('cmid-two')!.attachments!.map((a) => a.id)).toEqual([
      'up-1',
      expect.stringMatching(/^local:/),
    ]);

    running.forEach((r) => r.stop());
    net.online = true;
    const second = await page(deps);
    await until('the message to stop waiting', () => !second.outbox.get('cmid-two')?.uploading);
    expect(second.outbox.get('cmid-two')!.attachments!.map((a) => a.id)).toEqual(['up-1', 'up-2']);
    expect(net.posted.map((p) => p.bytes)).toEqual(['first', 'second']);
    await until('the kept files to go', async () => (await second.kept.all()).length === 0);
  });

  it('a file uploaded after its message was sent is written down, and not uploaded again after a reload', async () => {
    const { net, deps } = network();
    net.online = false;
    const first = await page(deps);
    first.queue.add([new File(['first'], 'a.pdf', { type: 'application/pdf' })]);
    first.queue.add([new File(['second'], 'b.pdf', { type: 'application/pdf' })]);
    await until('both to fail offline', () => first.queue.all().every((i) => i.status === 'failed'));
    send(first, 'cmid-later', 'Two files');
    await until('the files to be kept', async () => (await first.kept.all()).length === 1);
    net.online = true;
    net.cutOff.add('b.pdf'); // b.pdf still cannot get through
    first.pending.flush();
    await until('a.pdf’s id to be written down', async () =>
      (await first.kept.all())[0]!.files.some((f) => f.filename === 'a.pdf' && f.uploadId === 'up-1' && !f.blob),
    );
    expect(first.outbox.get('cmid-later')!.uploading).toBe(true);

    running.forEach((r) => r.stop());
    net.cutOff.clear();
    const second = await page(deps);
    await until('the message to stop waiting', () => !second.outbox.get('cmid-later')?.uploading);
    expect(second.outbox.get('cmid-later')!.attachments!.map((a) => a.id)).toEqual(['up-1', 'up-2']);
    expect(net.posted.map((p) => p.bytes)).toEqual(['first', 'second']);
  });

  it('a discarded message takes its kept files with it; log-out wipes them, per user', async () => {
    const { net, deps } = network();
    net.online = false;
    const p = await page(deps);
    p.queue.add([new File(['x'], 'x.png', { type: 'image/png' })]);
    await until('the upload to fail offline', () => p.queue.all()[0]?.status === 'failed');
    send(p, 'cmid-gone', 'Never mind');
    await until('the file to be kept', async () => (await p.kept.all()).length === 1);
    p.outbox.remove('cmid-gone');
    await until('the kept file to go', async () => (await p.kept.all()).length === 0);
    expect(p.queue.ofMessage('cmid-gone')).toEqual([]);

    const bob = new PendingUploads(BOB.id, idb);
    const file = { key: 'k', filename: 'y.png', contentType: 'image/png', byteSize: 1, blob: new Blob(['y']) };
    await p.kept.put({ clientMessageId: 'a', recipientId: BOB.id, files: [file] });
    await bob.put({ clientMessageId: 'b', recipientId: ALICE.id, files: [file] });
    await p.kept.clear();
    expect(await p.kept.all()).toEqual([]);
    expect((await bob.all()).map((m) => m.clientMessageId)).toEqual(['b']);
  });

  it('files no longer on this device fail their message instead of sending it without them', async () => {
    const { deps } = network();
    new Outbox(ALICE.id, window.localStorage).add({
      clientMessageId: 'cmid-lost',
      recipientId: BOB.id,
      content: 'Picture',
      createdAt: new Date().toISOString(),
      attachments: [{ id: localIdOf('k1'), filename: 'p.png', contentType: 'image/png', byteSize: 3 }],
      uploading: true,
    });
    const p = await page(deps);
    expect(p.outbox.get('cmid-lost')).toMatchObject({ status: 'failed', uploading: true });
    expect(p.outbox.get('cmid-lost')!.error).toMatch(/no longer on this device/);
  });
});
