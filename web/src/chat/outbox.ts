import { useSyncExternalStore } from 'react';

/**
 * The outbox: every message the user sends, persisted (localStorage, one key
 * per signed-in user) *before* the mutation goes out and removed once the
 * server has acknowledged it. It survives reloads, so an unacknowledged send
 * is shown and retried — always with its original clientMessageId, which the
 * server uses to deduplicate — until it is delivered or permanently rejected.
 *
 * This module only stores entries; outboxSender.ts delivers them.
 */
export type OutboxStatus = 'pending' | 'failed';

export interface OutboxEntry {
  clientMessageId: string;
  recipientId: string;
  content: string;
  createdAt: string;
  /** Delivery attempts that did not get an answer or got a retryable error. */
  attempts: number;
  /** pending: will be (re)sent automatically; failed: rejected, waits for Retry/Discard. */
  status: OutboxStatus;
  /** Why the last attempt did not succeed (shown for failed entries). */
  error?: string;
}

type Listener = () => void;
const EMPTY: OutboxEntry[] = [];

export function outboxStorageKey(userId: string): string {
  return `parley.outbox.${userId}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  const e = value as OutboxEntry;
  return (
    typeof e === 'object' && e !== null &&
    typeof e.clientMessageId === 'string' && typeof e.recipientId === 'string' &&
    typeof e.content === 'string' && typeof e.createdAt === 'string' &&
    typeof e.attempts === 'number' && (e.status === 'pending' || e.status === 'failed')
  );
}

export class Outbox {
  private entries: OutboxEntry[];
  private readonly listeners = new Set<Listener>();
  private byRecipient = new Map<string, OutboxEntry[]>();

  constructor(
    readonly userId: string,
    private readonly storage: Storage | null = safeLocalStorage(),
  ) {
    this.entries = this.read();
  }

  /** Every entry, oldest first (the order they are delivered in). */
  all(): OutboxEntry[] {
    return this.entries;
  }

  pending(): OutboxEntry[] {
    return this.entries.filter((e) => e.status === 'pending');
  }

  /** Entries of one conversation; the same array until something changes (for useSyncExternalStore). */
  forRecipient(recipientId: string): OutboxEntry[] {
    let list = this.byRecipient.get(recipientId);
    if (!list) {
      list = this.entries.filter((e) => e.recipientId === recipientId);
      if (list.length === 0) list = EMPTY;
      this.byRecipient.set(recipientId, list);
    }
    return list;
  }

  get(clientMessageId: string): OutboxEntry | undefined {
    return this.entries.find((e) => e.clientMessageId === clientMessageId);
  }

  add(entry: Pick<OutboxEntry, 'clientMessageId' | 'recipientId' | 'content' | 'createdAt'>): OutboxEntry {
    const added: OutboxEntry = { ...entry, attempts: 0, status: 'pending' };
    this.write([...this.entries.filter((e) => e.clientMessageId !== entry.clientMessageId), added]);
    return added;
  }

  update(clientMessageId: string, patch: Partial<Pick<OutboxEntry, 'attempts' | 'status' | 'error'>>): void {
    if (!this.get(clientMessageId)) return;
    this.write(this.entries.map((e) => (e.clientMessageId === clientMessageId ? { ...e, ...patch } : e)));
  }

  /** A failed entry goes back to pending, to be sent again with the same clientMessageId. */
  retry(clientMessageId: string): void {
    this.update(clientMessageId, { status: 'pending', attempts: 0, error: undefined });
  }

  /** Acknowledged (or discarded): forget it. Unknown ids are ignored. */
  remove(clientMessageId: string | null | undefined): void {
    if (!clientMessageId || !this.get(clientMessageId)) return;
    this.write(this.entries.filter((e) => e.clientMessageId !== clientMessageId));
  }

  clear(): void {
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
    try {
      const raw = this.storage?.getItem(outboxStorageKey(this.userId));
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
    } catch {
      return []; // unreadable: nothing we could resend safely
    }
  }

  private write(next: OutboxEntry[]): void {
    this.entries = next;
    try {
      if (next.length === 0) this.storage?.removeItem(outboxStorageKey(this.userId));
      else this.storage?.setItem(outboxStorageKey(this.userId), JSON.stringify(next));
    } catch {
      /* storage full or disabled: the outbox still works for this page's lifetime */
    }
    this.changed();
  }

  private changed(): void {
    this.byRecipient = new Map();
    this.listeners.forEach((l) => l());
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
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

/** Outbox entries (pending and failed) of the conversation with `recipientId`. */
export function useOutboxEntries(userId: string, recipientId: string): OutboxEntry[] {
  const outbox = outboxFor(userId);
  const read = () => outbox.forRecipient(recipientId);
  return useSyncExternalStore(outbox.subscribe, read, read);
}
