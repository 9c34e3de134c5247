// The inbox migration backfills what was stored before it: every conversation's memberships, with unread counts
// and read positions computed from the messages, so the inbox of existing users is right on the first start.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { hashPassword } from '../src/users/passwords.ts';
import { pgConnection, pgliteConnection } from '../src/db/connections.ts';
import { applyMigrations, readLocalMigrations, type SqlConnection } from '../src/db/migrator.ts';
import { MIGRATIONS_DIR } from '../src/paths.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { ok, startServer } from './support/server.ts';

const SECRET = 'inbox-migration-test-secret-32-chars-long';
const INBOX = `{ conversations { edges { node { unreadCount peer { username } lastMessage { content } peerLastRead { content } } } } unreadCount }`;

let db: TestDatabase;
afterAll(() => db?.drop());

test('conversations, unread counts and read positions of data stored before the migration come out right', async () => {
  db = await createTestDatabase(); // a migrated template on PGlite: start again from an empty directory there
  const all = await readLocalMigrations(MIGRATIONS_DIR);
  const before = all.filter((m) => m.name < '20261126093411_inbox');
  expect(all.map((m) => m.name)).toContain('20261126093411_inbox');

  const ids = { alice: randomUUID(), bob: randomUUID(), carol: randomUUID(), ab: randomUUID(), cb: randomUUID() };
  const hash = (await hashPassword('correct horse')).replace(/'/g, "''");
  const fill = async (c: SqlConnection) => {
    await applyMigrations(c, before);
    await c.exec(`
      INSERT INTO "User" ("id", "username", "displayName", "passwordHash") VALUES
        ('${ids.alice}', 'alice', 'Alice', '${hash}'), ('${ids.bob}', 'bob', 'Bob', '${hash}'),
        ('${ids.carol}', 'carol', 'Carol', '${hash}');
      INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt") VALUES
        ('${ids.ab}', LEAST('${ids.alice}'::uuid, '${ids.bob}'::uuid), GREATEST('${ids.alice}'::uuid, '${ids.bob}'::uuid), 3, '2026-01-01T10:03:00Z'),
        ('${ids.cb}', LEAST('${ids.carol}'::uuid, '${ids.bob}'::uuid), GREATEST('${ids.carol}'::uuid, '${ids.bob}'::uuid), 1, '2026-01-01T11:00:00Z');
      INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "createdAt", "readAt") VALUES
        (gen_random_uuid(), '${ids.ab}', 1, '${ids.alice}', '${ids.bob}', 'a1', '2026-01-01T10:01:00Z', '2026-01-01T10:01:30Z'),
        (gen_random_uuid(), '${ids.ab}', 2, '${ids.bob}', '${ids.alice}', 'b2', '2026-01-01T10:02:00Z', '2026-01-01T10:02:30Z'),
        (gen_random_uuid(), '${ids.ab}', 3, '${ids.alice}', '${ids.bob}', 'a3', '2026-01-01T10:03:00Z', NULL),
        (gen_random_uuid(), '${ids.cb}', 1, '${ids.carol}', '${ids.bob}', 'c1', '2026-01-01T11:00:00Z', NULL);`);
  };
  let target: TestDatabase = db;
  if (db.databaseUrl) {
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    await fill(pgConnection(client)).finally(() => client.end());
  } else {
    const dataDir = path.join(db.dataDir, 'fresh');
    await mkdir(path.join(dataDir, 'pgdata'), { recursive: true });
    const lite = await PGlite.create(path.join(dataDir, 'pgdata'));
    await fill(pgliteConnection(lite)).finally(() => lite.close());
    target = { ...db, dataDir };
  }

  const server = await startServer(target, { JWT_SECRET: SECRET }); // applies the inbox migration
  try {
    const inboxOf = async (username: string) => {
      const { logIn } = await ok(
        server,
        `mutation($u: String!) { logIn(username: $u, password: "correct horse") { token } }`,
        { u: username },
      );
      return ok(server, INBOX, {}, logIn.token);
    };
    const bob = await inboxOf('bob');
    expect(bob.unreadCount).toBe(2);
    expect(bob.conversations.edges.map((e: any) => e.node)).toEqual([
      { unreadCount: 1, peer: { username: 'carol' }, lastMessage: { content: 'c1' }, peerLastRead: null },
      { unreadCount: 1, peer: { username: 'alice' }, lastMessage: { content: 'a3' }, peerLastRead: { content: 'b2' } },
    ]);
    const alice = await inboxOf('alice');
    expect(alice.unreadCount).toBe(0);
    expect(alice.conversations.edges.map((e: any) => e.node)).toEqual([
      { unreadCount: 0, peer: { username: 'bob' }, lastMessage: { content: 'a3' }, peerLastRead: { content: 'a1' } },
    ]);
  } finally {
    await server.close();
  }
});
