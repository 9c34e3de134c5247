// The bench database: created per run with a unique name and dropped at the end; users and seeded conversations
// are written with SQL on parley's tables (the API is only used where the bench measures it).
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { decodeJwt, SignJWT } from 'jose';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function uniqueDatabaseName(): string {
  return `parley_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

export async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** `n` users named `<prefix>_<i>`, in order; they have no usable password (the bench mints their tokens). */
export async function insertUsers(c: pg.Client, prefix: string, n: number): Promise<string[]> {
  const { rows } = await c.query<{ id: string; i: number }>(
    `INSERT INTO "User" ("id", "username", "displayName", "passwordHash")
     SELECT gen_random_uuid(), $1 || '_' || g, 'Bench ' || $1 || ' ' || g, 'bench: no password'
     FROM generate_series(1, $2::int) g
     RETURNING "id", substring("username" from '_(\\d+)$')::int AS i`,
    [prefix, n],
  );
  return rows.sort((a, b) => a.i - b.i).map((r) => r.id);
}

/**
 * A conversation of `n` messages between a and b (alternating senders, one second apart, all read), written with
 * generate_series in one statement, then vacuumed and analyzed. Returns its id.
 */
export async function seedConversation(c: pg.Client, a: string, b: string, n: number): Promise<string> {
  const id = randomUUID();
  const [low, high] = a < b ? [a, b] : [b, a];
  await c.query('BEGIN');
  await c.query('SET LOCAL synchronous_commit = off');
  await c.query(
    `INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt")
     VALUES ($1, $2, $3, $4, now())`,
    [id, low, high, n],
  );
  await c.query(
    `INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "createdAt", "readAt")
     SELECT gen_random_uuid(), $1, g,
            CASE WHEN g % 2 = 0 THEN $2::uuid ELSE $3::uuid END,
            CASE WHEN g % 2 = 0 THEN $3::uuid ELSE $2::uuid END,
            'seeded message number ' || g || ' of a long conversation',
            now() - make_interval(secs => $4::int - g),
            now() - make_interval(secs => $4::int - g)
     FROM generate_series(1, $4::int) g`,
    [id, a, b, n],
  );
  await c.query('COMMIT');
  await settle(c, ['Message'], ['Conversation']);
  return id;
}

/**
 * Measure settled tables, not the aftermath of a bulk load: visibility map and statistics current, the load's
 * dirty pages written out (CHECKPOINT needs superuser or pg_checkpoint; skipped without).
 */
export async function settle(c: pg.Client, vacuum: string[], analyze: string[] = []): Promise<void> {
  for (const t of vacuum) await c.query(`VACUUM (ANALYZE) "${t}"`);
  for (const t of analyze) await c.query(`ANALYZE "${t}"`);
  await c.query('CHECKPOINT').catch(() => {});
}

/**
 * Mints tokens for users the bench inserted, with the claims of a real token parley issued (same issuer, same
 * header) and the secret the bench gave parley, so they are indistinguishable from parley's own. Each token names
 * a session of its own user (parley refuses a token whose session is not that user's), inserted here when parley
 * has sessions.
 */
export function tokenMinter(sampleToken: string, secret: string, db: pg.Client) {
  const claims = decodeJwt(sampleToken);
  const key = new TextEncoder().encode(secret);
  const { sub: _s, iat: _i, exp: _e, nbf: _n, jti: _j, sid, ...rest } = claims;
  return async (userId: string) => {
    const session = sid
      ? (
          await db.query(
            `INSERT INTO "Session" ("id", "userId", "expiresAt") VALUES (gen_random_uuid(), $1, now() + interval '6 hours') RETURNING "id"`,
            [userId],
          )
        ).rows[0].id
      : undefined;
    let jwt = new SignJWT(session ? { ...rest, sid: session } : rest)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime('6h');
    if (claims.iss) jwt = jwt.setIssuer(claims.iss);
    return jwt.sign(key);
  };
}
