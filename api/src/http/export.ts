// GET /export: "Download my data" (GDPR Articles 15 and 20) — a JSON file of everything parley holds about the
// bearer of the token: profile, sessions, blocks, conversations and every message of them in both directions (times,
// read state, reactions, attachment metadata; never a password hash, never a signed URL). Written as it is read, a
// batch of rows at a time, waiting for the client to take each chunk (backpressure), so memory stays flat however
// long the history. One export at a time per user and instance.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportSessions } from '../auth/session-list.ts';
import { exportConversations, exportMessages } from '../chat/export.ts';
import { authenticate, type Services } from '../context.ts';
import { isDatabaseUnavailable } from '../errors.ts';
import { exportBlocks, exportProfile } from '../users/export-data.ts';

export const EXPORT_PATH = '/export';

function refuse(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Resolves when the response can take more (or is gone), leaving no listener behind. */
const drained = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

export function createExportRoute(services: Services) {
  const running = new Set<string>();

  /** Writes a chunk; waits while the client's buffer is full. */
  const write = async (res: ServerResponse, chunk: string) => {
    if (!res.write(chunk)) await drained(res);
    if (res.destroyed) throw new Error('the client went away');
  };

  async function stream(res: ServerResponse, userId: string) {
    const { sql } = services;
    const [profile, sessions, blocks] = await Promise.all([
      exportProfile(sql, userId),
      exportSessions(sql, userId),
      exportBlocks(sql, userId),
    ]);
    const day = new Date().toISOString().slice(0, 10);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="parley-export-${profile?.username ?? 'user'}-${day}.json"`,
      'cache-control': 'no-store',
    });
    await write(
      res,
      `{"format":"parley-export/1","exportedAt":${JSON.stringify(new Date())},` +
        `"profile":${JSON.stringify(profile)},"sessions":${JSON.stringify(sessions)},` +
        `"blocks":${JSON.stringify(blocks)},"conversations":[`,
    );
    let firstConversation = true;
    let messages = 0;
    for await (const page of exportConversations(sql, userId)) {
      for (const c of page) {
        const head = JSON.stringify({
          id: c.id,
          peer: { id: c.peerId, username: c.peerUsername, displayName: c.peerDisplayName },
          unreadCount: c.unreadCount,
          lastReadSeq: c.lastReadSeq,
          peerLastReadSeq: c.peerLastReadSeq,
          lastActivityAt: c.lastActivityAt,
        });
        await write(res, `${firstConversation ? '' : ','}${head.slice(0, -1)},"messages":[`);
        firstConversation = false;
        let firstMessage = true;
        for await (const batch of exportMessages(sql, c.id)) {
          const text = batch.map((m) =>
            JSON.stringify({ ...m, direction: m.senderId === userId ? 'sent' : 'received' }),
          );
          await write(res, (firstMessage ? '' : ',') + text.join(','));
          firstMessage = false;
          messages += batch.length;
        }
        await write(res, ']}');
      }
    }
    await write(res, `],"messageCount":${messages}}\n`);
    res.end();
    return messages;
  }

  return async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'GET') {
      return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'GET /export with Authorization: Bearer <token>.', {
        allow: 'GET',
      });
    }
    let auth;
    try {
      auth = await authenticate(services, req.headers.authorization);
    } catch {
      return refuse(res, 503, 'SERVICE_UNAVAILABLE', 'The database is unavailable right now: try again shortly.');
    }
    if (!auth.viewer) {
      return refuse(res, 401, 'UNAUTHENTICATED', auth.authError ?? 'Send Authorization: Bearer <token>.', {
        'www-authenticate': 'Bearer',
      });
    }
    const userId = auth.viewer.id;
    if (running.has(userId)) {
      return refuse(res, 429, 'RATE_LIMITED', 'Your export is already being written: wait for it.', {
        'retry-after': '10',
      });
    }
    running.add(userId);
    const started = Date.now();
    try {
      const messages = await stream(res, userId);
      services.log.info({ userId, messages, ms: Date.now() - started }, 'data exported');
    } catch (err) {
      if (!res.headersSent && isDatabaseUnavailable(err)) {
        refuse(res, 503, 'SERVICE_UNAVAILABLE', 'The database is unavailable right now: try again shortly.');
      } else {
        // Cut short: the client gets a truncated (invalid) file, never a complete-looking partial one.
        if (!res.destroyed) services.log.error({ err, userId }, 'the data export failed');
        res.destroy();
      }
    } finally {
      running.delete(userId);
    }
  };
}
