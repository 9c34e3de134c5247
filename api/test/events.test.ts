// What crosses the event bus: a message event carries the message and both users' public fields — never a
// password hash — in-process and through Redis, and dates survive the trip as dates.
import { Redis } from 'ioredis';
import { createViewerCache } from '../src/auth/viewers.ts';
import type { ChatChannels } from '../src/chat/events.ts';
import { sendMessage } from '../src/chat/send.ts';
import { openDatabase, type Database } from '../src/db/index.ts';
import { createLogger } from '../src/logger.ts';
import { createEventBus, eventSerializer } from '../src/pubsub.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';
import { signUp, startServer, type TestServer, type TestUser } from './support/server.ts';

const MESSAGE_KEYS = [
  'attachments', // metadata only (id, filename, type, size, dimensions); URLs are signed per reader at resolve time
  'changeSeq',
  'clientMessageId',
  'content',
  'conversationId',
  'createdAt',
  'deletedAt',
  'editedAt',
  'id',
  'reactions',
  'readAt',
  'recipient',
  'recipientId',
  'replyTo',
  'replyToId',
  'sender',
  'senderId',
  'seq',
];
const USER_KEYS = ['displayName', 'id', 'username'];

const log = createLogger('silent');

describe('the in-process bus', () => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir, log });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  test('a message event carries public user fields only', async () => {
    const bus = await createEventBus<ChatChannels>(undefined, log);
    const [alice, bob] = await Promise.all(
      ['alice', 'bob'].map((name) =>
        db.prisma.user.create({
          data: { username: `${name}_${Date.now()}`, displayName: name, passwordHash: 'secret-hash' },
        }),
      ),
    );
    const events = bus.pubsub.subscribe('user:messageAdded', bob.id)[Symbol.asyncIterator]();
    const next = events.next();
    await sendMessage({ sql: db.sql, pubsub: bus.pubsub }, alice.id, { recipientId: bob.id, content: 'hi' });
    const { value } = await next;
    await events.return?.();
    expect(Object.keys(value).sort()).toEqual(MESSAGE_KEYS);
    expect(Object.keys(value.sender).sort()).toEqual(USER_KEYS);
    expect(Object.keys(value.recipient).sort()).toEqual(USER_KEYS);
    expect(JSON.stringify(value)).not.toContain('secret-hash');
    // The viewer cache reads the same public fields.
    expect(Object.keys((await createViewerCache(db.sql).get(alice.id))!).sort()).toEqual(USER_KEYS);
  });
});

describeWith(['REDIS_URL'], 'the Redis bus', () => {
  let testDb: TestDatabase;
  let server: TestServer;
  let alice: TestUser, bob: TestUser;
  let listener: Redis;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startServer(testDb, { REDIS_URL: process.env.REDIS_URL! });
    [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
    listener = new Redis(process.env.REDIS_URL!);
  });
  afterAll(async () => {
    listener?.disconnect();
    await server?.close();
    await testDb?.drop();
  });

  test('the payload published to Redis has the message and public user fields, and its dates come back as dates', async () => {
    const channel = `user:messageAdded:${bob.id}`;
    await listener.subscribe(channel);
    const received = new Promise<string>((resolve) =>
      listener.once('message', (_channel, text: string) => resolve(text)),
    );
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: JSON.stringify({
        query: `mutation($to: ID!) { sendMessage(recipientId: $to, content: "hi") { id } }`,
        variables: { to: bob.id },
      }),
    });
    expect(res.status).toBe(200);
    const text = await received;
    expect(text).not.toMatch(/passwordHash|argon2/);
    const payload = JSON.parse(text);
    expect(Object.keys(payload).sort()).toEqual(MESSAGE_KEYS);
    expect(Object.keys(payload.sender).sort()).toEqual(USER_KEYS);
    expect(Object.keys(payload.recipient).sort()).toEqual(USER_KEYS);
    const restored = eventSerializer.parse(text) as { createdAt: unknown; readAt: unknown };
    expect(restored.createdAt).toBeInstanceOf(Date);
    expect(restored.readAt).toBeNull();
  });
});
