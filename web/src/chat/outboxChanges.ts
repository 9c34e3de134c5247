import { useSyncExternalStore } from 'react';
import { storageItem } from '../shared/storage';

/**
 * The outbox of changes to stored messages (issue #18): edits, deletions and reactions, persisted (localStorage,
 * one key per signed-in user) before anything is sent, and replayed in order, once each, by outboxChangesSender.ts
 * — right away when online, after a reconnect or a reload otherwise. Every change is idempotent on the server
 * (editing to the same text, deleting again, adding a reaction held, taking back one not held change nothing), so a
 * change whose answer was lost can be sent again safely.
 */
export type MessageChange =
  | { id: string; kind: 'edit'; messageId: string; content: string; before?: MessageSnapshot }
  | { id: string; kind: 'delete'; messageId: string; before?: MessageSnapshot }
  | { id: string; kind: 'react'; messageId: string; emoji: string; on: boolean };

/** What an edit or a deletion replaced in the cache: put back if the server refuses it (outboxChangesCache.ts). */
export interface MessageSnapshot {
  content: string;
  editedAt: string | null;
  reactions: Array<{ emoji: string; count: number; reactedByMe: boolean }>;
  replyToId: string | null;
}

/** A change the server refused for good (it left the queue): shown until dismissed, never persisted. */
export interface RefusedChange {
  change: MessageChange;
  /** The server's reason, in words. */
  reason: string;
}

/** A change without its queue id (added by `add`). */
export type NewMessageChange = MessageChange extends infer C
  ? C extends MessageChange
    ? Omit<C, 'id'>
    : never
  : never;

export function changesStorageKey(userId: string): string {
  return `parley.changes.${userId}`;
}

function isChange(value: unknown): value is MessageChange {
  const c = value as MessageChange;
  if (typeof c !== 'object' || c === null || typeof c.id !== 'string' || typeof c.messageId !== 'string') return false;
  if (c.kind === 'edit') return typeof c.content === 'string';
  if (c.kind === 'react') return typeof c.emoji === 'string' && typeof c.on === 'boolean';
  return c.kind === 'delete';
}

let sequence = 0;
const EMPTY: MessageChange[] = [];

export class ChangeOutbox {
  private entries: MessageChange[];
  private refusedList: RefusedChange[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly stored: ReturnType<typeof storageItem>;

  constructor(
    readonly userId: string,
    storage?: Storage,
  ) {
    this.stored = storageItem(changesStorageKey(userId), storage);
    this.entries = this.read();
  }

  /** Oldest first: the order they are replayed in. */
  all(): MessageChange[] {
    return this.entries;
  }

  add(change: NewMessageChange): MessageChange {
    const added = { ...change, id: `${Date.now().toString(36)}-${(sequence++).toString(36)}` } as MessageChange;
    this.write([...this.entries, added]);
    return added;
  }

  /** Done (or refused for good): it leaves the queue. Unknown ids are ignored. */
  remove(id: string): void {
    if (!this.entries.some((c) => c.id === id)) return;
    this.write(this.entries.filter((c) => c.id !== id));
  }

  /** The server refused it for good: it leaves the queue, and is listed (with why) until dismissed. */
  refuse(id: string, reason: string): void {
    const change = this.entries.find((c) => c.id === id);
    if (!change) return;
    this.refusedList = [...this.refusedList, { change, reason }];
    this.write(this.entries.filter((c) => c !== change));
  }

  refused(): RefusedChange[] {
    return this.refusedList;
  }

  dismiss(id: string): void {
    if (!this.refusedList.some((r) => r.change.id === id)) return;
    this.refusedList = this.refusedList.filter((r) => r.change.id !== id);
    this.listeners.forEach((l) => l());
  }

  clear(): void {
    this.refusedList = [];
    this.write([]);
  }

  /** Another tab changed the same user's queue. */
  reload(): void {
    this.entries = this.read();
    this.listeners.forEach((l) => l());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private read(): MessageChange[] {
    const stored = this.stored.get();
    return Array.isArray(stored) ? stored.filter(isChange) : EMPTY;
  }

  private write(next: MessageChange[]): void {
    this.entries = next.length === 0 ? EMPTY : next;
    if (next.length === 0) this.stored.remove();
    else this.stored.set(next);
    this.listeners.forEach((l) => l());
  }
}

const queues = new Map<string, ChangeOutbox>();

export function changesFor(userId: string): ChangeOutbox {
  let queue = queues.get(userId);
  if (!queue) {
    queue = new ChangeOutbox(userId);
    queues.set(userId, queue);
  }
  return queue;
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    for (const queue of queues.values()) {
      if (event.key === null || event.key === changesStorageKey(queue.userId)) queue.reload();
    }
  });
}

/** The changes the server refused, to say so (ChangeRefusals). */
export function useRefusedChanges(userId: string): RefusedChange[] {
  const queue = changesFor(userId);
  const read = () => queue.refused();
  return useSyncExternalStore(queue.subscribe, read, read);
}

/** The changes not yet confirmed by the server (a bubble can show them as pending). */
export function usePendingChanges(userId: string): MessageChange[] {
  const queue = changesFor(userId);
  const read = () => queue.all();
  return useSyncExternalStore(queue.subscribe, read, read);
}
