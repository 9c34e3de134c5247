import { backoff } from '../shared/backoff';
import type { Outbox, OutboxEntry } from './outbox';
import type { PendingUploads } from './pendingUploads';
import { LOCAL_ID_PREFIX, localIdOf, type UploadItem, type UploadQueue } from './uploads';

/**
 * A message sent before its files were uploaded waits in the outbox (`uploading`: the outbox sender passes it by,
 * and the messages after it wait too, keeping their order) while its files go on uploading in their conversation's
 * UploadQueue, bound to it. This keeps them moving and persisted (pendingUploads.ts): each file uploaded is written
 * down with its id; once all are, the entry gets their ids and stops waiting, so the outbox sender sends it — once,
 * with its clientMessageId, kept across reloads like the rest of the entry. A failure for now (the network) is tried
 * again with backoff and at every flush (back online, socket reconnected); one the server will repeat (a refused
 * file) fails the message, whose Retry tries the files again; a discarded message takes its files with it.
 */
export class PendingUploadsSender {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly attempts = new Map<string, number>();
  /** The messages waiting for their files, as last seen. */
  private readonly tracked = new Map<string, { recipientId: string; status: OutboxEntry['status'] }>();
  /** Files whose id is written down already (clientMessageId:key). */
  private readonly written = new Set<string>();
  private readonly watched = new Map<string, () => void>();
  private readonly stopWatchingOutbox: () => void;
  private stopped = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly kept: PendingUploads,
    private readonly queueOf: (recipientId: string) => UploadQueue,
  ) {
    this.stopWatchingOutbox = outbox.subscribe(() => this.checkAll());
  }

  /**
   * Binds the detached files (`local:<key>` ids) of a message just added to the outbox to it, and keeps them.
   * Returns whether it has any (then the entry must wait: `uploading`).
   */
  adopt(entry: Pick<OutboxEntry, 'clientMessageId' | 'recipientId' | 'attachments'>): boolean {
    const keys = (entry.attachments ?? [])
      .filter((a) => a.id.startsWith(LOCAL_ID_PREFIX))
      .map((a) => a.id.slice(LOCAL_ID_PREFIX.length));
    if (keys.length === 0) return false;
    const items = this.queueOf(entry.recipientId).adopt(entry.clientMessageId, keys);
    void this.kept.put({
      clientMessageId: entry.clientMessageId,
      recipientId: entry.recipientId,
      files: items.map((i) => ({
        key: i.key,
        filename: i.filename,
        contentType: i.contentType,
        byteSize: i.byteSize,
        ...(i.uploadId ? { uploadId: i.uploadId } : { blob: i.file }),
      })),
    });
    return true;
  }

  /** At start: the files kept from before a reload go back into their queues (and go on uploading). */
  async restore(): Promise<void> {
    const kept = await this.kept.all();
    if (this.stopped) return;
    for (const record of kept) {
      const entry = this.outbox.get(record.clientMessageId);
      if (!entry?.uploading) {
        void this.kept.remove(record.clientMessageId); // sent or discarded meanwhile
        continue;
      }
      const files = record.files.map((f) => ({
        key: f.key,
        uploadId: f.uploadId,
        file: new File(f.blob ? [f.blob] : [], f.filename, { type: f.contentType }),
      }));
      this.queue(record.recipientId).restore(record.clientMessageId, files);
    }
    for (const entry of this.outbox.all()) {
      if (!entry.uploading || this.items(entry).length > 0) continue;
      // Its files are not on this device (storage cleared or unavailable): it cannot go as it was written.
      this.outbox.update(entry.clientMessageId, {
        status: 'failed',
        error: 'Its files are no longer on this device: discard it and attach them again.',
      });
    }
    this.checkAll();
  }

  /** Try every file that failed for now again at once (the network is back). */
  flush = (): void => {
    for (const entry of this.outbox.all()) {
      if (entry.uploading && entry.status === 'pending') this.retry(entry, (i) => !i.permanent);
    }
  };

  stop(): void {
    this.stopped = true;
    this.stopWatchingOutbox();
    this.watched.forEach((stop) => stop());
    this.timers.forEach((t) => clearTimeout(t));
  }

  private queue(recipientId: string): UploadQueue {
    const queue = this.queueOf(recipientId);
    if (!this.watched.has(recipientId))
      this.watched.set(
        recipientId,
        queue.subscribe(() => this.checkAll()),
      );
    return queue;
  }

  private items(entry: OutboxEntry): UploadItem[] {
    return this.queue(entry.recipientId).ofMessage(entry.clientMessageId);
  }

  private checkAll(): void {
    if (this.stopped) return;
    const waiting = new Set<string>();
    for (const entry of this.outbox.all()) {
      if (!entry.uploading) continue;
      waiting.add(entry.clientMessageId);
      this.check(entry);
    }
    // Delivered, discarded or logged out: the files still bound to such a message go.
    for (const [id, { recipientId }] of [...this.tracked]) {
      if (waiting.has(id)) continue;
      this.forget(id);
      this.queueOf(recipientId).forget(id);
      void this.kept.remove(id);
    }
  }

  private check(entry: OutboxEntry): void {
    const id = entry.clientMessageId;
    const items = this.items(entry);
    const local = entry.attachments?.filter((a) => a.id.startsWith(LOCAL_ID_PREFIX)).length ?? 0;
    if (items.length < local) return; // not (all) restored yet: restore() decides
    const before = this.tracked.get(id)?.status;
    this.tracked.set(id, { recipientId: entry.recipientId, status: entry.status });
    for (const item of items) {
      if (item.status !== 'done' || this.written.has(`${id}:${item.key}`)) continue;
      this.written.add(`${id}:${item.key}`);
      void this.kept.uploaded(id, item.key, item.uploadId!);
    }
    if (items.every((i) => i.status === 'done')) {
      const uploaded = new Map(items.map((i) => [localIdOf(i.key), i.uploadId!]));
      this.forget(id);
      // Written first (synchronously, with the entry), then the kept files go: a reload in between sends it as is.
      this.outbox.update(id, {
        uploading: undefined,
        attachments: entry.attachments?.map((a) => ({ ...a, id: uploaded.get(a.id) ?? a.id })),
      });
      this.queueOf(entry.recipientId).forget(id);
      void this.kept.remove(id);
      return;
    }
    if (entry.status === 'failed') return;
    if (before === 'failed') return this.retry(entry, () => true); // Retry: every failed file again
    const refused = items.find((i) => i.status === 'failed' && i.permanent);
    if (refused) {
      this.outbox.update(id, { status: 'failed', error: refused.error });
      return;
    }
    if (items.some((i) => i.status === 'failed') && !this.timers.has(id)) {
      const attempt = this.attempts.get(id) ?? 0;
      this.attempts.set(id, attempt + 1);
      const wait = backoff(attempt, { first: 1_000, max: 30_000 });
      this.timers.set(
        id,
        setTimeout(() => {
          this.timers.delete(id);
          const current = this.outbox.get(id);
          if (current?.uploading && current.status === 'pending') this.retry(current, (i) => !i.permanent);
        }, wait),
      );
    }
  }

  private retry(entry: OutboxEntry, which: (item: UploadItem) => boolean): void {
    const queue = this.queue(entry.recipientId);
    for (const item of queue.ofMessage(entry.clientMessageId)) {
      if (item.status === 'failed' && which(item)) queue.retry(item.key);
    }
  }

  private forget(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.attempts.delete(id);
    this.tracked.delete(id);
    for (const w of [...this.written]) if (w.startsWith(`${id}:`)) this.written.delete(w);
  }
}
