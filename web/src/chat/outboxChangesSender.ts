import type { ApolloClient } from '@apollo/client';
import { describeError, graphQLErrorsOf } from '../shared/errors';
import { rateLimitOf } from '../shared/rateLimit';
import { withTimeout } from '../shared/withTimeout';
import {
  AddReactionMutation,
  DeleteMessageMutation,
  EditMessageMutation,
  RemoveReactionMutation,
} from './lifecycleOperations';
import type { ChangeOutbox, MessageChange } from './outboxChanges';
import { revertChange } from './outboxChangesCache';
import { isPermanentSendError, retryDelay } from './outboxSender';

/**
 * Replays the change outbox in order, one change at a time: a change leaves the queue once the server answered it,
 * or refused it for good (a permanent error, such as an edit after the edit window or of a message deleted
 * meanwhile: it is taken back in the cache and listed with the server's reason, ChangeRefusals). Any other failure
 * (offline, timeout, throttled) stops the round; `flush()` starts another (on reconnect, `online`, a new change, the
 * backoff).
 */
export class ChangeSender {
  private running = false;
  private again = false;
  private stopped = false;
  private failures = 0;
  /** While throttled (RATE_LIMITED): no round before this time, whatever flushes. */
  private notBefore = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly timeoutMs: number;
  private readonly retryDelay: (failures: number) => number;

  constructor(
    private readonly client: ApolloClient,
    private readonly queue: ChangeOutbox,
    options: { timeoutMs?: number; retryDelay?: (failures: number) => number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retryDelay = options.retryDelay ?? retryDelay;
  }

  flush = (): void => {
    if (this.stopped) return;
    const wait = this.notBefore - Date.now();
    if (wait > 0) {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.flush, wait);
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
    clearTimeout(this.timer);
  }

  private async round(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        for (let change = this.queue.all()[0]; change && !this.stopped; change = this.queue.all()[0]) {
          const outcome = await this.deliver(change);
          if (typeof outcome === 'object') {
            this.failures = 0;
            revertChange(this.client.cache, change);
            this.queue.refuse(change.id, outcome.refused);
            continue;
          }
          if (outcome !== 'done') {
            this.failures++;
            const wait = typeof outcome === 'number' ? outcome : this.retryDelay(this.failures);
            this.notBefore = typeof outcome === 'number' ? Date.now() + wait : 0;
            clearTimeout(this.timer);
            this.timer = setTimeout(this.flush, wait);
            return;
          }
          this.failures = 0;
          this.queue.remove(change.id);
        }
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
  }

  /** 'done', 'retry', a number of milliseconds to wait (throttled), or why the server refused it for good. */
  private async deliver(change: MessageChange): Promise<'done' | 'retry' | number | { refused: string }> {
    try {
      await withTimeout(this.timeoutMs, (signal) => this.mutate(change, signal));
      return 'done';
    } catch (error) {
      if (isPermanentSendError(error)) return { refused: graphQLErrorsOf(error)?.[0]?.message ?? describeError(error) };
      const throttled = rateLimitOf(error);
      return throttled ? throttled.retryAfter * 1000 : 'retry';
    }
  }

  private mutate(change: MessageChange, signal: AbortSignal): Promise<unknown> {
    const context = { fetchOptions: { signal } };
    switch (change.kind) {
      case 'edit':
        return this.client.mutate({
          mutation: EditMessageMutation,
          variables: { id: change.messageId, content: change.content },
          context,
        });
      case 'delete':
        return this.client.mutate({ mutation: DeleteMessageMutation, variables: { id: change.messageId }, context });
      case 'react':
        return this.client.mutate({
          mutation: change.on ? AddReactionMutation : RemoveReactionMutation,
          variables: { messageId: change.messageId, emoji: change.emoji },
          context,
        });
    }
  }
}
