/**
 * The upload state machine (uploads.ts) with the real form POST (uploadRequest.ts: jsdom's XMLHttpRequest) to a real
 * HTTP server in this process, which records what it receives and answers as each test says. createUpload is the
 * injected dependency (its GraphQL side is tested in the API and the e2e story).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_UPLOAD_BYTES } from './attachmentRules';
import { postUpload } from './uploadRequest';
import { UploadQueue, type UploadItem, type UploadTicket } from './uploads';

interface Received {
  fields: Array<[string, string]>;
  fileName: string | null;
  fileBytes: string;
}

let server: Server;
let origin: string;
const received: Received[] = [];
/** How the next POSTs are answered, in order (then 204): a status, or 'hang' (never answered). */
let answers: Array<number | 'hang'> = [];
const hanging: ServerResponse[] = [];
let closedEarly = 0;

/** Just enough multipart parsing for a test: the parts' names, values and the file part's name and bytes. */
function parse(body: string, contentType: string): Received {
  const boundary = /boundary=(.+)$/.exec(contentType)![1]!;
  const parts = body.split(`--${boundary}`).slice(1, -1);
  const out: Received = { fields: [], fileName: null, fileBytes: '' };
  for (const part of parts) {
    const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
    const value = rest.join('\r\n\r\n').replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(head!)![1]!;
    const file = /filename="([^"]*)"/.exec(head!);
    if (file) {
      out.fields.push([name, '(file)']);
      out.fileName = file[1]!;
      out.fileBytes = value;
    } else out.fields.push([name, value]);
  }
  return out;
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', '*');
    // Cross-origin, with an upload listener: the browser asks first (as it asks a bucket, whose CORS must allow it).
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': '*' });
      return void res.end();
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('close', () => {
      if (!res.writableEnded) closedEarly++;
    });
    req.on('end', () => {
      received.push(parse(Buffer.concat(chunks).toString('latin1'), String(req.headers['content-type'])));
      const answer = answers.shift() ?? 204;
      if (answer === 'hang') return void hanging.push(res);
      const message = answer === 403 ? 'The policy has expired.' : 'Please try again.';
      const body = answer >= 400 ? `<?xml version="1.0"?><Error><Message>${message}</Message></Error>` : '';
      res.writeHead(answer, { 'content-type': 'application/xml' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  hanging.forEach((res) => res.destroy());
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  answers = [];
  closedEarly = 0;
});

let tickets = 0;
function setup(createUpload?: () => Promise<UploadTicket>) {
  const created: string[] = [];
  const queue = new UploadQueue({
    createUpload:
      createUpload ??
      (async (file) => {
        const id = `up-${++tickets}`;
        created.push(file.filename);
        return {
          id,
          url: `${origin}/uploads`,
          fields: [
            { name: 'key', value: id },
            { name: 'Content-Type', value: file.contentType },
            { name: 'policy', value: 'p' },
          ],
          expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
        };
      }),
    post: postUpload,
    describe: (error) => `Upload not started: ${(error as Error).message}`,
  });
  // Every state each file went through, in order.
  const history = new Map<string, string[]>();
  queue.subscribe(() => {
    for (const item of queue.all()) {
      const seen = history.get(item.filename) ?? [];
      if (seen.at(-1) !== item.status) seen.push(item.status);
      history.set(item.filename, seen);
    }
  });
  return { queue, created, history };
}

const settled = (queue: UploadQueue, filename: string) =>
  new Promise<UploadItem>((resolve) => {
    const check = () => {
      const item = queue.all().find((i) => i.filename === filename);
      if (item && item.status !== 'uploading') {
        stop();
        resolve(item);
      }
    };
    const stop = queue.subscribe(check);
    check();
  });

const text = (name: string, content = 'hello', type = 'text/plain') => new File([content], name, { type });

describe('UploadQueue — checks before uploading', () => {
  it('refuses a file over the size limit, or of a type the server refuses, without uploading anything', () => {
    const { queue, created } = setup();
    queue.add([
      new File([new Uint8Array(MAX_UPLOAD_BYTES + 1)], 'huge.zip', { type: 'application/zip' }),
      text('run.exe', 'MZ', 'application/x-msdownload'),
      text('empty.txt', ''),
    ]);
    expect(queue.all().map((i) => [i.filename, i.status, i.error])).toEqual([
      ['huge.zip', 'refused', 'huge.zip is too large: 25 MB, the limit is 25 MB.'],
      ['run.exe', 'refused', expect.stringContaining('this type of file cannot be sent')],
      ['empty.txt', 'refused', 'empty.txt is empty.'],
    ]);
    expect(created).toEqual([]);
    expect(queue.ready()).toBe(false);
  });

  it('takes at most 10 files for one message', async () => {
    const { queue } = setup();
    queue.add(Array.from({ length: 11 }, (_, i) => text(`f${i}.txt`)));
    expect(
      queue
        .all()
        .filter((i) => i.status === 'refused')
        .map((i) => i.error),
    ).toEqual(['f10.txt: at most 10 files per message.']);
    queue.remove(queue.all()[10]!.key);
    await Promise.all(queue.all().map((i) => settled(queue, i.filename)));
    expect(queue.ready()).toBe(true);
  });
});

describe('UploadQueue — uploading', () => {
  it('POSTs every field, then the file as `file`, and is done with the upload id', async () => {
    const { queue, history } = setup();
    queue.add([text('notes.txt', 'the notes')]);
    expect(queue.all()[0]).toMatchObject({ status: 'uploading', progress: 0, byteSize: 9, contentType: 'text/plain' });
    const item = await settled(queue, 'notes.txt');
    expect(item).toMatchObject({ status: 'done', progress: 1, uploadId: expect.stringMatching(/^up-/) });
    expect(received).toEqual([
      {
        fields: [
          ['key', item.uploadId],
          ['Content-Type', 'text/plain'],
          ['policy', 'p'],
          ['file', '(file)'],
        ],
        fileName: 'notes.txt',
        fileBytes: 'the notes',
      },
    ]);
    expect(history.get('notes.txt')).toEqual(['uploading', 'done']);
    expect(queue.ready()).toBe(true);
  });

  it('a store failure is shown; Retry sends the same form again and succeeds', async () => {
    answers = [503];
    const { queue, created, history } = setup();
    queue.add([text('a.txt')]);
    const failed = await settled(queue, 'a.txt');
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('Upload failed: Please try again.');
    expect(queue.ready()).toBe(false);
    queue.retry(failed.key);
    const done = await settled(queue, 'a.txt');
    expect(done.status).toBe('done');
    expect(created).toHaveLength(1); // the same presigned form, still valid
    expect(received.map((r) => r.fields[0]![1])).toEqual([done.uploadId, done.uploadId]);
    expect(history.get('a.txt')).toEqual(['uploading', 'failed', 'uploading', 'done']);
  });

  it('a form the store refused (403: expired) is not sent again: Retry asks for a new one', async () => {
    answers = [403];
    const { queue, created } = setup();
    queue.add([text('b.txt')]);
    const failed = await settled(queue, 'b.txt');
    expect(failed).toMatchObject({ status: 'failed', error: 'Upload refused: The policy has expired.' });
    queue.retry(failed.key);
    const done = await settled(queue, 'b.txt');
    expect(done.status).toBe('done');
    expect(created).toHaveLength(2);
    expect(received[0]!.fields[0]![1]).not.toBe(received[1]!.fields[0]![1]);
  });

  it('an unreachable store is a failure that says so', async () => {
    const { queue } = setup(async () => ({
      id: 'up-x',
      url: 'http://127.0.0.1:9/uploads', // nothing listens on the discard port
      fields: [],
      expiresAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    }));
    queue.add([text('c.txt')]);
    const failed = await settled(queue, 'c.txt');
    expect(failed).toMatchObject({ status: 'failed', error: 'Upload failed: the server could not be reached.' });
  });

  it('a createUpload the server refused is a failure with its reason; Retry asks again', async () => {
    let calls = 0;
    const { queue } = setup(async () => {
      calls++;
      throw new Error('You have uploaded too much today.');
    });
    queue.add([text('d.txt')]);
    const failed = await settled(queue, 'd.txt');
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'Upload not started: You have uploaded too much today.',
    });
    queue.retry(failed.key);
    await settled(queue, 'd.txt');
    expect(calls).toBe(2);
    expect(received).toEqual([]);
  });

  it('removing a file while it uploads cancels the request, and nothing comes back', async () => {
    answers = ['hang'];
    const { queue, history } = setup();
    queue.add([text('e.txt')]);
    await new Promise<void>((resolve) => {
      const wait = () => void (received.length ? resolve() : setTimeout(wait, 10));
      wait();
    });
    queue.remove(queue.all()[0]!.key);
    expect(queue.all()).toEqual([]);
    await new Promise<void>((resolve) => {
      const wait = () => void (closedEarly ? resolve() : setTimeout(wait, 10));
      wait();
    });
    expect(closedEarly).toBe(1); // the browser dropped the request
    await new Promise((r) => setTimeout(r, 50));
    expect(history.get('e.txt')).toEqual(['uploading']);
    expect(queue.all()).toEqual([]);
  });
});
