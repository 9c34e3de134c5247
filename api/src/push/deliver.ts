// One push: a job names (messageId, subscriptionId); this reads what the notification needs (job-rows.ts: one
// statement for the jobs started together), encrypts it for the subscription (RFC 8291 aes128gcm) and signs the
// request (VAPID, RFC 8292) with the web-push library, then POSTs it. 404/410: the subscription is gone, delete it.
// 429/5xx or no answer: throw, and the queue retries with backoff — at the time a 429 or 503 names in Retry-After,
// when it names one. Any other refusal is final (logged). Nothing is sent for a message deleted meanwhile, a
// conversation muted meanwhile, a subscription that moved to another user or whose session ended or expired.
import webpush from 'web-push';
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { post, type PostAnswer } from './post.ts';
import type { VapidKeys } from './vapid.ts';
import { jobRowLoader, type JobRow } from './job-rows.ts';

/** What the service worker receives (docs/api.md "Web Push"). */
export type PushPayload = {
  /** The sender: the peer, from the recipient's view (open `/chat/<id>`, tag the notification with it). */
  conversationWithUserId: string;
  messageId: string;
  /** The sender's display name. */
  title: string;
  /** The text (cut to BODY_MAX), an attachment summary, or "New message from <name>" with PUSH_PREVIEW=off. */
  body: string;
  /** The recipient's unread messages over all conversations (for navigator.setAppBadge). */
  unreadTotal: number;
};

export type PushJob = {
  messageId: string;
  subscriptionId: string;
  /** How many times the push service's Retry-After rescheduled it (queue.ts bounds it). */
  deferrals?: number;
};

/** How long a push service keeps an undelivered push (seconds): a phone off for a day still gets it. */
export const PUSH_TTL = 24 * 60 * 60;
const BODY_MAX = 400;
const REQUEST_TIMEOUT_MS = 30_000;

export const DROP_SUBSCRIPTION = statement(
  'push_drop_subscription',
  `DELETE FROM "PushSubscription" WHERE "id" = $1::uuid AND "endpoint" = $2::text`,
  {},
);

function bodyOf(row: JobRow, preview: boolean): string {
  if (!preview) return `New message from ${row.senderName}`;
  const text = row.content.trim();
  if (text) return text.length > BODY_MAX ? text.slice(0, BODY_MAX - 1) + '…' : text;
  if (row.attachments === 1 && row.firstFilename) return `📎 ${row.firstFilename}`;
  if (row.attachments > 1) return `📎 ${row.attachments} attachments`;
  return `New message from ${row.senderName}`;
}

export function payloadOf(job: PushJob, row: JobRow, preview: boolean): PushPayload {
  return {
    conversationWithUserId: row.senderId,
    messageId: job.messageId,
    title: row.senderName,
    body: bodyOf(row, preview),
    unreadTotal: row.unreadTotal,
  };
}

/** A Retry-After honoured at most this far ahead: a push service's answer does not park a push for a day. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** Retry-After (RFC 9110: delay-seconds or an HTTP date) as a time, at least 1 s and at most MAX_RETRY_AFTER_MS
 * ahead; null when absent or unreadable. */
export function retryAfter(header: string | null, now = Date.now()): Date | null {
  const value = header?.trim();
  if (!value) return null;
  const at = /^\d+$/.test(value) ? now + Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(at)) return null;
  return new Date(Math.min(Math.max(at, now + 1000), now + MAX_RETRY_AFTER_MS));
}

/** A push service's answer that is worth retrying (the queue backs off, or waits until `retryAt`). */
export class RetryablePushError extends Error {
  constructor(
    message: string,
    readonly retryAt: Date | null = null,
  ) {
    super(message);
  }
}

export type Deliver = (job: PushJob) => Promise<'sent' | 'skipped' | 'gone' | 'refused'>;

export function createDeliver(deps: {
  sql: Sql;
  vapid: VapidKeys;
  subject: string;
  preview: boolean;
  log: Logger;
  /** Job rows read per statement (the queue's concurrency: the jobs it starts together). */
  batch: number;
}): Deliver {
  const { sql, log } = deps;
  const rowOf = jobRowLoader(sql, deps.batch);
  // The VAPID JWT of each push service (its origin is the audience), signed once and reused for 11 of its 12 hours.
  const vapidHeaders = new Map<string, { authorization: string; until: number }>();
  const authorizationFor = (endpoint: string) => {
    const audience = new URL(endpoint).origin;
    const cached = vapidHeaders.get(audience);
    if (cached && cached.until > Date.now()) return cached.authorization;
    const expiresAt = Math.floor(Date.now() / 1000) + 12 * 3600;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      deps.subject,
      deps.vapid.publicKey,
      deps.vapid.privateKey,
      'aes128gcm',
      expiresAt,
    );
    if (vapidHeaders.size > 1000) vapidHeaders.clear();
    vapidHeaders.set(audience, { authorization: Authorization, until: Date.now() + 11 * 3600_000 });
    return Authorization;
  };
  return async (job) => {
    const row = await rowOf(job.messageId, job.subscriptionId);
    if (!row || row.deleted || row.muted || !row.sessionOpen) return 'skipped';
    const request = webpush.generateRequestDetails(
      { endpoint: row.endpoint, keys: { p256dh: row.p256dh, auth: row.auth } },
      JSON.stringify(payloadOf(job, row, deps.preview)),
      {
        headers: { Authorization: authorizationFor(row.endpoint) },
        TTL: PUSH_TTL,
        // One per conversation: a push service holding undelivered pushes keeps only the latest of each.
        topic: row.conversationId.replaceAll('-', ''),
        urgency: 'high',
        contentEncoding: 'aes128gcm',
      },
    );
    // web-push's own sender only speaks https: post() also reaches an http: receiver on loopback (registration
    // allows no other).
    let answer: PostAnswer;
    try {
      answer = await post(
        request.endpoint,
        request.headers as Record<string, string | number>,
        (request.body as Buffer | null) ?? null,
        REQUEST_TIMEOUT_MS,
      );
    } catch (err) {
      throw new RetryablePushError(`push service unreachable: ${(err as Error).message}`);
    }
    const status = answer.status;
    if (status >= 200 && status < 300) return 'sent';
    if (status === 404 || status === 410) {
      await sql.query(DROP_SUBSCRIPTION, [job.subscriptionId, row.endpoint]);
      log.info({ subscriptionId: job.subscriptionId, status }, 'push subscription gone: deleted');
      return 'gone';
    }
    if (status === 429 || status >= 500) {
      const at = status === 429 || status === 503 ? retryAfter(answer.retryAfter) : null;
      throw new RetryablePushError(`push service answered ${status}`, at);
    }
    log.warn({ subscriptionId: job.subscriptionId, status }, 'push refused by the push service: not retried');
    return 'refused';
  };
}
