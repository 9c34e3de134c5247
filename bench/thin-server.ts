// The bench's second baseline: the thinnest reasonable GraphQL server for parley's hot operations — GraphQL Yoga
// on node:http, a JWT bearer check with jose, and ONE SQL statement per operation through a pg Pool, on parley's
// own tables. It answers sendMessage and chatHistory with the same arguments and result shapes as parley (enough
// of them for the bench's documents); no subscriptions, no idempotent retry, no armor, no logging.
//
//   PORT=0 HOST=127.0.0.1 DATABASE_URL=postgresql://… JWT_SECRET=… node --import tsx bench/thin-server.ts
//
// prints `thin listening on http://HOST:PORT` when ready and stops on SIGTERM/SIGINT.
import http from 'node:http';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { participantsHistorySql, SEND_ONE_STATEMENT } from './lib/sql.ts';

const env = process.env;
if (!env.DATABASE_URL || !env.JWT_SECRET) {
  console.error('thin-server: DATABASE_URL and JWT_SECRET are required');
  process.exit(78);
}
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: Number(env.POOL_SIZE ?? 10) });
pool.on('error', () => {}); // an idle client that lost its connection is replaced on next use
const key = new TextEncoder().encode(env.JWT_SECRET);

const typeDefs = /* GraphQL */ `
  type User {
    id: ID!
    displayName: String!
  }
  type Message {
    id: ID!
    content: String!
    createdAt: String!
    readAt: String
    cursor: String!
    sender: User!
  }
  type MessageEdge {
    cursor: String!
    node: Message!
  }
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type MessageConnection {
    edges: [MessageEdge!]!
    pageInfo: PageInfo!
  }
  type Query {
    chatHistory(withUserId: ID!, first: Int, after: String, last: Int, before: String): MessageConnection!
  }
  type Mutation {
    sendMessage(recipientId: ID!, content: String!, clientMessageId: String): Message!
  }
`;

type Row = {
  id: string;
  content: string;
  createdAt: Date;
  readAt: Date | null;
  seq: number;
  conversationId: string;
  senderId: string;
  senderName: string;
};
type Ctx = { userId: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const bad = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
const viewer = (ctx: Ctx) => {
  if (!ctx.userId) throw new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.userId;
};
const uuid = (value: string, name: string) => {
  if (!UUID.test(value)) throw bad(`${name} is not a valid id.`);
  return value.toLowerCase();
};
const pair = (a: string, b: string) => (a < b ? [a, b] : [b, a]);
const encodeCursor = (r: { conversationId: string; seq: number }) =>
  Buffer.from(`${r.conversationId}:${r.seq}`).toString('base64url');
const decodeCursor = (cursor: string, name: string) => {
  const m = /^([0-9a-f-]{36}):(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw bad(`${name} is not a cursor returned by this API.`);
  return { conversationId: m[1], seq: Number(m[2]) };
};
const pageSize = (n: number | null | undefined, name: string) => {
  if (n === null || n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw bad(`${name} must be 1..100.`);
  return n;
};

const HISTORY_SQL = {
  back: participantsHistorySql(false, false),
  backCursor: participantsHistorySql(false, true),
  forward: participantsHistorySql(true, false),
  forwardCursor: participantsHistorySql(true, true),
};

const toMessage = (r: Row) => ({
  id: r.id,
  content: r.content,
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt ? r.readAt.toISOString() : null,
  cursor: encodeCursor(r),
  sender: { id: r.senderId, displayName: r.senderName },
});

const resolvers = {
  Query: {
    chatHistory: async (
      _: unknown,
      args: { withUserId: string; first?: number; after?: string; last?: number; before?: string },
      ctx: Ctx,
    ) => {
      const me = viewer(ctx);
      const other = uuid(args.withUserId, 'withUserId');
      const first = pageSize(args.first, 'first');
      const last = pageSize(args.last, 'last');
      if (first !== undefined && last !== undefined) throw bad('Pass first or last, not both.');
      const forward = first !== undefined;
      const size = first ?? last ?? 50;
      const cursor = forward ? args.after : args.before;
      const position = cursor ? decodeCursor(cursor, forward ? 'after' : 'before') : undefined;
      const [low, high] = pair(me, other);
      const sql = forward
        ? position
          ? HISTORY_SQL.forwardCursor
          : HISTORY_SQL.forward
        : position
          ? HISTORY_SQL.backCursor
          : HISTORY_SQL.back;
      const params: unknown[] = [low, high, size + 1];
      if (position) params.push(position.seq, position.conversationId);
      const { rows } = await pool.query<Row>(sql, params);
      rows.sort((a, b) => (forward ? a.seq - b.seq : b.seq - a.seq));
      const more = rows.length > size;
      const page = rows.slice(0, size);
      if (!forward) page.reverse();
      const edges = page.map((r) => ({ cursor: encodeCursor(r), node: toMessage(r) }));
      return {
        edges,
        pageInfo: {
          // The side away from the cursor is exact; the cursor's side is assumed (no second statement).
          hasPreviousPage: forward ? position !== undefined : more,
          hasNextPage: forward ? more : position !== undefined,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  },
  Mutation: {
    sendMessage: async (
      _: unknown,
      args: { recipientId: string; content: string; clientMessageId?: string | null },
      ctx: Ctx,
    ) => {
      const me = viewer(ctx);
      const to = uuid(args.recipientId, 'recipientId');
      if (to === me) throw bad('recipientId is you.');
      const content = args.content.trim();
      if (content.length < 1 || content.length > 4000) throw bad('content must be 1..4000 characters.');
      const [low, high] = pair(me, to);
      const { rows } = await pool.query<Row>(SEND_ONE_STATEMENT, [
        low,
        high,
        me,
        to,
        content,
        args.clientMessageId ?? null,
      ]);
      return toMessage(rows[0]);
    },
  },
};

const yoga = createYoga<object, Ctx>({
  schema: createSchema<Ctx>({ typeDefs, resolvers }),
  graphiql: false,
  landingPage: false,
  logging: false,
  context: async ({ request }): Promise<Ctx> => {
    const header = request.headers.get('authorization');
    const token = header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!token) return { userId: null };
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
      return { userId: typeof payload.sub === 'string' ? payload.sub : null };
    } catch {
      throw new GraphQLError('The token is not valid.', { extensions: { code: 'UNAUTHENTICATED' } });
    }
  },
});

const server = http.createServer(yoga);
server.keepAliveTimeout = 60_000;
server.listen(Number(env.PORT ?? 0), env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as { address: string; port: number };
  console.log(`thin listening on http://${address}:${port}`);
});
const stop = () => {
  server.closeAllConnections();
  server.close();
  void pool.end().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
