import { useSyncExternalStore } from 'react';
import { storageItem } from '../shared/storage';

/**
 * The outbox: every message the user sends, persisted (localStorage, one key
 * per signed-in user) *before* the mutation goes out and removed once the
 * server has acknowledged it. It survives reloads, so an unacknowledged send
 * is shown and retried — always with its original clientMessageId, which the
 * server uses to deduplicate — until it is delivered or permanently rejected.
 *
 * This module only stores entries; outboxSender.ts delivers them.
 */
type OutboxStatus = 'pending' | 'failed';

/**
 * How long an acknowledged entry stays on screen (as sent) at most. The stored
 * message replaces it as soon as the conversation renders it; Apollo delivers
 * cache updates to queries a tick later, and without this hand-over the
 * message would vanish for that tick (or, if the conversation was never
 * loaded, until the next fetch).
 */
export const HANDOVER_MS = 30_000;

/** A file uploaded for a message in the outbox: its upload id (sendMessage's attachmentIds) and what it shows. */
export interface OutboxAttachment {
  id: string;
  filename: string;
  contentType: string;
  byteSize: number;
}

const isAttachment = (a: unknown): a is OutboxAttachment => {
  const x = a as OutboxAttachment;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.id === 'string' &&
    typeof x.filename === 'string' &&
    typeof x.contentType === 'string' &&
    typeof x.byteSize === 'number'
  );
};

export interface OutboxEntry {
  clientMessageId: string;
  recipientId: string;
  content: string;
  createdAt: string;
  /** The message this one answers (sendMessage's replyToId). */
  replyToId?: string;
  /** Its files: uploaded (their upload ids), or still uploading (`local:<key>` ids, while `uploading`). */
  attachments?: OutboxAttachment[];
  /** Some of its files are still uploading (pendingUploadsSender.ts): it is not sent until they are. */
  uploading?: true;
  /** Delivery attempts that did not get an answer or got a retryable error. */
  attempts: number;
  /**
   * pending: will be (re)sent automatically; failed: rejected, waits for
   * Retry/Discard; sent: acknowledged, shown until the stored message is (in
   * memory only, never persisted).
   */
  status: OutboxStatus | 'sent';
  /** Why the last attempt did not succeed (shown for failed entries, and for throttled ones). */
  error?: string;
  /**
   * The server refused the last attempt for now (RATE_LIMITED): still pending,
   * resent when it said, `error` says so ("Sending slowly: waiting 3 s").
   */
  throttled?: boolean;
}

type Listener = () => void;
const EMPTY: OutboxEntry[] = [];

export function outboxStorageKey(userId: string): string {
  return `parley.outbox.${userId}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  const e = value as OutboxEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.clientMessageId === 'string' &&
    typeof e.recipientId === 'string' &&
    typeof e.content === 'string' &&
    typeof e.createdAt === 'string' &&
    typeof e.attempts === 'number' &&
    (e.replyToId === undefined || typeof e.replyToId === 'string') &&
    (e.attachments === undefined || (Array.isArray(e.attachments) && e.attachments.every(isAttachment))) &&
    (e.status === 'pending' || e.status === 'failed')
  );
}

export class Outbox {
  private entries: OutboxEntry[];
  private readonly listeners = new Set<Listener>();
  private byRecipient = new Map<string, OutboxEntry[]>();
  /** Acknowledged entries still on screen, by clientMessageId (see HANDOVER_MS). */
  private handedOver = new Map<string, { entry: OutboxEntry; timer: ReturnType<typeof setTimeout> }>();
  private readonly stored: ReturnType<typeof storageItem>;

  /** `storage`: for tests; the page's localStorage otherwise. */
  constructor(
    readonly userId: string,
    storage?: Storage,
  ) {
    this.stored = storageItem(outboxStorageKey(userId), storage);
    this.entries = this.read();
  }

  /** Every entry, oldest first (the order they are delivered in). */
  all(): OutboxEntry[] {
    return this.entries;
  }

  pending(): OutboxEntry[] {
    return this.entries.filter((e) => e.status === 'pending');
  }

  /**
   * What one conversation shows: its unsent entries plus those acknowledged a
   * moment ago (status `sent`), oldest first; the same array until something
   * changes (for useSyncExternalStore).
   */
  forRecipient(recipientId: string): OutboxEntry[] {
    let list = this.byRecipient.get(recipientId);
    if (!list) {
      const sent = [...this.handedOver.values()].map((h) => h.entry).filter((e) => e.recipientId === recipientId);
      list = [...sent, ...this.entries.filter((e) => e.recipientId === recipientId)];
      if (sent.length > 0) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      if (list.length === 0) list = EMPTY;
      this.byRecipient.set(recipientId, list);
    }
    return list;
  }

  get(clientMessageId: string): OutboxEntry | undefined {
    return this.entries.find((e) => e.clientMessageId === clientMessageId);
  }

  add(
    entry: Pick<
      OutboxEntry,
      'clientMessageId' | 'recipientId' | 'content' | 'createdAt' | 'replyToId' | 'attachments' | 'uploading'
    >,
  ): OutboxEntry {
    const added: OutboxEntry = { ...entry, attempts: 0, status: 'pending' };
    this.write([...this.entries.filter((e) => e.clientMessageId !== entry.clientMessageId), added]);
    return added;
  }

  update(
    clientMessageId: string,
    patch: Partial<Pick<OutboxEntry, 'attempts' | 'status' | 'error' | 'throttled' | 'attachments' | 'uploading'>>,
  ): void {
    if (!this.get(clientMessageId)) return;
    this.write(this.entries.map((e) => (e.clientMessageId === clientMessageId ? { ...e, ...patch } : e)));
  }

  /** A failed entry goes back to pending, to be sent again with the same clientMessageId. */
  retry(clientMessageId: string): void {
    this.update(clientMessageId, { status: 'pending', attempts: 0, error: undefined, throttled: undefined });
  }

  /**
   * The server has stored it: it needs no more sending and leaves storage, but
   * stays visible as sent until the conversation shows the stored message
   * (`settle`) or HANDOVER_MS pass. Unknown ids are ignored.
   */
  acknowledge(clientMessageId: string | null | undefined): void {
    const entry = clientMessageId ? this.get(clientMessageId) : undefined;
    if (!entry) return;
    const timer = setTimeout(() => this.settle([entry.clientMessageId]), HANDOVER_MS);
    this.handedOver.set(entry.clientMessageId, { entry: { ...entry, status: 'sent', error: undefined }, timer });
    this.write(this.entries.filter((e) => e.clientMessageId !== entry.clientMessageId));
  }

  /** The conversation now shows these stored messages: drop their acknowledged entries. */
  settle(clientMessageIds: Iterable<string | null | undefined>): void {
    let changed = false;
    for (const id of clientMessageIds) {
      const handover = id ? this.handedOver.get(id) : undefined;
      if (!handover) continue;
      clearTimeout(handover.timer);
      this.handedOver.delete(id!);
      changed = true;
    }
    if (changed) this.changed();
  }

  /** Discarded: forget it. Unknown ids are ignored. */
  remove(clientMessageId: string | null | undefined): void {
    if (!clientMessageId || !this.get(clientMessageId)) return;
    this.write(this.entries.filter((e) => e.clientMessageId !== clientMessageId));
  }

  clear(): void {
    this.settle([...this.handedOver.keys()]);
    this.write([]);
  }

  /** Pick up changes another tab made to the same user's outbox. */
  reload(): void {
    this.entries = this.read();
    this.changed();
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private read(): OutboxEntry[] {
    const stored = this.stored.get();
    // Unreadable entries are dropped: nothing we could resend safely.
    return Array.isArray(stored) ? stored.filter(isEntry) : [];
  }

  private write(next: OutboxEntry[]): void {
    this.entries = next;
    // Storage full or disabled: the outbox still works for this page's lifetime.
    if (next.length === 0) this.stored.remove();
    else this.stored.set(next);
    this.changed();
  }

  private changed(): void {
    this.byRecipient = new Map();
    this.listeners.forEach((l) => l());
  }
}

// One Outbox per user for the page's lifetime, shared by the sender and the UI.
const outboxes = new Map<string, Outbox>();

export function outboxFor(userId: string): Outbox {
  let outbox = outboxes.get(userId);
  if (!outbox) {
    outbox = new Outbox(userId);
    outboxes.set(userId, outbox);
  }
  return outbox;
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    for (const outbox of outboxes.values()) {
      if (event.key === null || event.key === outboxStorageKey(outbox.userId)) outbox.reload();
    }
  });
}

/** Outbox entries (pending, failed, just sent) of the conversation with `recipientId`. */
export function useOutboxEntries(userId: string, recipientId: string): OutboxEntry[] {
  const outbox = outboxFor(userId);
  const read = () => outbox.forRecipient(recipientId);
  return useSyncExternalStore(outbox.subscribe, read, read);
}
