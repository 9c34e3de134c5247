import type { ApolloClient } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { graphql } from '../gql';
import { backoff } from '../shared/backoff';
import { describeError } from '../shared/errors';
import { rateLimitOf } from '../shared/rateLimit';
import { withTimeout } from '../shared/withTimeout';
import { appendMessageToConversation } from './conversationCache';
import type { Outbox, OutboxEntry } from './outbox';

export const SendMessageMutation = graphql(`
  mutation SendMessage(
    $recipientId: ID!
    $content: String!
    $clientMessageId: String
    $replyToId: ID
    $attachmentIds: [ID!]
  ) {
    sendMessage(
      recipientId: $recipientId
      content: $content
      clientMessageId: $clientMessageId
      replyToId: $replyToId
      attachmentIds: $attachmentIds
    ) {
      id
      clientMessageId
      ...ConversationView_message
    }
  }
`);

/** The server will give the same answer however often we ask: stop and show it. */
const PERMANENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'QUERY_TOO_COMPLEX',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Permanent: the request itself is wrong (bad input, unknown recipient, not
 * allowed). Everything else — network failures, timeouts, SERVICE_UNAVAILABLE,
 * internal errors, an expired session (the user logs in again) — may succeed
 * later with the same clientMessageId.
 */
export function isPermanentSendError(error: unknown): boolean {
  if (!CombinedGraphQLErrors.is(error)) return false;
  return error.errors.some((e) => PERMANENT_CODES.has(String(e.extensions?.code ?? '')));
}

/** After 1, 2, 3 … failed attempts: 1 s, 2 s, 4 s … capped at 30 s, with jitter. */
export function retryDelay(attempts: number, random = Math.random): number {
  return backoff(attempts - 1, { first: 1_000, max: 30_000 }, random);
}

/** What a throttled entry shows while it waits (the server asked for `retryAfter` seconds). */
export function throttledNotice(retryAfter: number): string {
  return `Sending slowly: waiting ${retryAfter} s`;
}

interface OutboxSenderOptions {
  timeoutMs?: number;
  retryDelay?: (attempts: number) => number;
}

// Shared by every sender on the page (StrictMode mounts effects twice): one
// request per clientMessageId at a time.
const inFlight = new Set<string>();

/**
 * Delivers the outbox: oldest first, one at a time, so messages reach the
 * server in the order they were written. A retryable failure stops the round
 * (later messages must not overtake it) and schedules the next one with
 * backoff; `flush()` starts a round at once (app start, socket reconnected,
 * browser online, a new message or a Retry). A send refused with RATE_LIMITED
 * stays pending too, but the next round waits exactly the `retryAfter` seconds
 * the server asked for (flush() included: asking sooner would only be refused
 * again).
 */
export class OutboxSender {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** While the server is throttling us (RATE_LIMITED): no round before this time (ms since epoch). */
  private notBefore = 0;
  private running = false;
  private again = false;
  private stopped = false;
  /** Pending entries this sender has already picked up; new ones trigger a round. */
  private seen = new Set<string>();
  private unsubscribe: () => void;
  /** This sender's requests on the wire, aborted by stop(). */
  private requests = new Set<AbortController>();

  constructor(
    private readonly client: ApolloClient,
    private readonly outbox: Outbox,
    private readonly options: OutboxSenderOptions = {},
  ) {
    this.unsubscribe = outbox.subscribe(() => this.onOutboxChange());
  }

  /** Starts a delivery round now (or right after the current one). */
  flush = (): void => {
    if (this.stopped) return;
    const throttled = this.notBefore - Date.now();
    if (throttled > 0) {
      // The round starts when the server said it may (its timer is set).
      if (!this.timer) this.schedule(throttled);
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    void this.round();
  };

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.requests.forEach((r) => r.abort());
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(wait: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  private onOutboxChange(): void {
    const fresh = this.outbox.pending().filter((e) => !e.uploading && !this.seen.has(e.clientMessageId));
    for (const id of [...this.seen]) {
      if (this.outbox.get(id)?.status !== 'pending') this.seen.delete(id);
    }
    if (fresh.length > 0) this.flush();
  }

  private async round(): Promise<void> {
    this.running = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      do {
        this.again = false;
        // A message still uploading its files is not seen yet: once they are done, it starts a round.
        const queue = this.outbox.pending();
        queue.forEach((e) => !e.uploading && this.seen.add(e.clientMessageId));
        for (const entry of queue) {
          if (this.stopped) return;
          // Acknowledged (messageAdded), discarded or failed since the round began.
          const current = this.outbox.get(entry.clientMessageId);
          if (current?.status !== 'pending') continue;
          // Waiting for its files (pendingUploadsSender.ts): the messages after it wait too, keeping their order.
          if (current.uploading) break;
          const outcome = await this.deliver(current);
          if (outcome === 'retry') {
            const attempts = this.outbox.get(entry.clientMessageId)?.attempts ?? 1;
            this.schedule((this.options.retryDelay ?? retryDelay)(attempts));
            break;
          }
          if (typeof outcome === 'object') {
            // Throttled: the same message again (same clientMessageId) when the server said.
            const wait = outcome.retryAfter * 1000;
            this.notBefore = Date.now() + wait;
            this.schedule(wait);
            return; // not even for a flush() that came meanwhile
          }
        }
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
  }

  private async deliver(entry: OutboxEntry): Promise<'sent' | 'failed' | 'retry' | { retryAfter: number }> {
    const id = entry.clientMessageId;
    // Another sender has it on the wire; treat like a retryable wait.
    if (inFlight.has(id)) return 'retry';
    inFlight.add(id);
    try {
      await this.mutate(entry);
      this.outbox.acknowledge(id);
      return 'sent';
    } catch (error) {
      if (this.stopped) return 'retry'; // aborted by stop(): the entry stays as it was
      const current = this.outbox.get(id);
      if (!current) return 'sent'; // acknowledged meanwhile (e.g. via messageAdded) or discarded
      const throttled = rateLimitOf(error);
      if (throttled) {
        const { retryAfter } = throttled;
        this.outbox.update(id, { attempts: current.attempts + 1, error: throttledNotice(retryAfter), throttled: true });
        return { retryAfter };
      }
      const reason = describeError(error);
      if (isPermanentSendError(error)) {
        this.outbox.update(id, {
          status: 'failed',
          attempts: current.attempts + 1,
          error: reason,
          throttled: undefined,
        });
        return 'failed';
      }
      this.outbox.update(id, { attempts: current.attempts + 1, error: reason, throttled: undefined });
      return 'retry';
    } finally {
      inFlight.delete(id);
    }
  }

  private mutate(entry: OutboxEntry): Promise<unknown> {
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const abort = new AbortController();
    this.requests.add(abort);
    const request = (signal: AbortSignal) =>
      this.client.mutate({
        mutation: SendMessageMutation,
        variables: {
          recipientId: entry.recipientId,
          content: entry.content,
          clientMessageId: entry.clientMessageId,
          ...(entry.replyToId ? { replyToId: entry.replyToId } : {}),
          ...(entry.attachments?.length ? { attachmentIds: entry.attachments.map((a) => a.id) } : {}),
        },
        context: { fetchOptions: { signal } },
        update(cache, { data }) {
          // Into the conversation first, then out of the outbox: the UI hides an
          // outbox entry as soon as its message is in the conversation, so the
          // message is never shown twice nor missing for a frame.
          if (data) appendMessageToConversation(cache, entry.recipientId, data.sendMessage);
        },
      });
    return withTimeout(timeoutMs, request, abort).finally(() => this.requests.delete(abort));
  }
}
