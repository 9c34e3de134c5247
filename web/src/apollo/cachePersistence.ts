import type { ApolloCache, NormalizedCacheObject } from '@apollo/client/cache';
import { savedViewer } from '../auth/savedViewer';
import { tokenStore } from '../auth/tokenStore';
import { storageItem } from '../shared/storage';

/**
 * The Apollo cache kept on this device, so that a reload without a network
 * (the service worker serves the app, see src/shared/serviceWorker.ts) shows the inbox, the
 * people found and the conversations opened, as last seen; queries then
 * refresh it from the server as usual (cache-and-network).
 *
 * Invariants:
 * - One snapshot in localStorage, tagged with the user it belongs to; it is
 *   restored only when the stored session (token → viewer, auth/savedViewer)
 *   is that user's. Restoring is synchronous, before the first render.
 * - Logging out (or any token change: expiry, another tab signing in) deletes
 *   it at once and nothing is written without a signed-in viewer: nothing of
 *   one user is left for the next person on the device.
 * - Bounded: each conversation keeps its newest MESSAGES_PER_CONVERSATION
 *   messages (older ones load from the server as when scrolling up), only what
 *   the root queries reach is kept, and past MAX_CHARS whole conversations are
 *   left out, least recently active first. A write that does not fit leaves
 *   no snapshot rather than an outdated one.
 */
export const CACHE_STORAGE_KEY = 'parley.cache';
/** Bump when what the cache stores changes shape (a new schema, new keyArgs). */
const FORMAT = 1;
export const MESSAGES_PER_CONVERSATION = 50;
/** Characters of JSON (localStorage has ~5M for the origin, shared with the outbox). */
export const MAX_CHARS = 1_000_000;
/** Writes are grouped: at most one per second while messages come in. */
const WRITE_DELAY_MS = 1_000;

interface Snapshot {
  format: number;
  userId: string;
  data: NormalizedCacheObject;
}

type StoreObject = Record<string, unknown>;
interface ConnectionValue {
  edges?: Array<{ cursor?: string; node?: { __ref?: string } }>;
  pageInfo?: Record<string, unknown>;
}

const isChatHistory = (field: string) => field.startsWith('chatHistory:') || field === 'chatHistory';

/** Every entity id reachable from the root query, following `__ref`s. */
function reachable(data: NormalizedCacheObject): Set<string> {
  const seen = new Set<string>(['ROOT_QUERY']);
  const queue: unknown[] = [data.ROOT_QUERY];
  while (queue.length > 0) {
    const value = queue.pop();
    if (Array.isArray(value)) queue.push(...value);
    else if (value && typeof value === 'object') {
      const ref = (value as { __ref?: unknown }).__ref;
      if (typeof ref === 'string') {
        if (!seen.has(ref)) {
          seen.add(ref);
          queue.push(data[ref]);
        }
      } else queue.push(...Object.values(value));
    }
  }
  return seen;
}

/**
 * Cursors the client gives a message that arrived ahead of a possible gap (chat/resumeCursor.ts, which this layer
 * may not import): the server does not know them, so no page can be asked for before one.
 */
const isPlaceholderCursor = (cursor: string | undefined) => !cursor || cursor.startsWith('live:');

/**
 * The newest messages of a conversation only; the page info then says older ones exist, from the first kept
 * message — which must have a server cursor to page back from (null: nothing worth keeping).
 */
function trimHistory(value: ConnectionValue): ConnectionValue | null {
  const edges = value.edges ?? [];
  if (edges.length <= MESSAGES_PER_CONVERSATION) return value;
  let from = edges.length - MESSAGES_PER_CONVERSATION;
  while (from < edges.length && isPlaceholderCursor(edges[from]!.cursor)) from += 1;
  if (from === edges.length) return null;
  const kept = edges.slice(from);
  return {
    ...value,
    edges: kept,
    pageInfo: { ...value.pageInfo, hasPreviousPage: true, startCursor: kept[0]?.cursor ?? null },
  };
}

/** When a conversation last had a message (its newest cached one), for choosing what to leave out. */
function lastActivity(data: NormalizedCacheObject, value: ConnectionValue): string {
  const ref = value.edges?.at(-1)?.node?.__ref;
  const createdAt = ref ? (data[ref] as StoreObject | undefined)?.createdAt : undefined;
  return typeof createdAt === 'string' ? createdAt : '';
}

/** What is written: `extracted` trimmed and pruned to fit MAX_CHARS, as JSON; null when it cannot fit. */
export function snapshotText(userId: string, extracted: NormalizedCacheObject): string | null {
  const root: StoreObject = { ...(extracted.ROOT_QUERY as StoreObject | undefined) };
  // Not `me`: on a reload it is asked again, which is how a session ended elsewhere is noticed (auth/session.tsx);
  // offline, the session is the one remembered with the token (auth/savedViewer.ts).
  delete root.me;
  for (const [field, value] of Object.entries(root)) {
    if (!isChatHistory(field) || !value || typeof value !== 'object') continue;
    const trimmed = trimHistory(value as ConnectionValue);
    if (trimmed) root[field] = trimmed;
    else delete root[field];
  }
  const data: NormalizedCacheObject = { ...extracted, ROOT_QUERY: root as NormalizedCacheObject[string] };
  // Least recently active conversation first: the first to go when too big.
  const histories = Object.keys(root)
    .filter(isChatHistory)
    .sort((a, b) =>
      lastActivity(data, root[a] as ConnectionValue).localeCompare(lastActivity(data, root[b] as ConnectionValue)),
    );
  for (;;) {
    const keep = reachable(data);
    const pruned: NormalizedCacheObject = {};
    for (const id of keep) if (data[id]) pruned[id] = data[id];
    const text = JSON.stringify({ format: FORMAT, userId, data: pruned } satisfies Snapshot);
    if (text.length <= MAX_CHARS) return text;
    const drop = histories.shift();
    if (!drop) return null;
    delete root[drop];
  }
}

/** The signed-in user, when the server has confirmed who the stored token belongs to. */
const currentUserId = () => savedViewer.get(tokenStore.get())?.id ?? null;

/**
 * Restores this user's snapshot into `cache` (synchronously) and keeps it up
 * to date from then on. Returns a function that stops that (tests).
 */
export function persistCache(cache: ApolloCache, storage?: Storage): () => void {
  const stored = storageItem(CACHE_STORAGE_KEY, storage);
  const saved = stored.get() as Partial<Snapshot> | undefined;
  const userId = currentUserId();
  if (saved?.format === FORMAT && userId && saved.userId === userId && saved.data) cache.restore(saved.data);
  else if (saved !== undefined) stored.remove();

  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    const owner = currentUserId();
    // Removed first: a snapshot that no longer fits must not leave an outdated one behind.
    stored.remove();
    if (!owner) return;
    const text = snapshotText(owner, cache.extract() as NormalizedCacheObject);
    if (text) stored.setText(text);
  };
  const scheduleWrite = () => {
    if (timer === undefined) timer = setTimeout(write, WRITE_DELAY_MS);
  };

  // Every change to the cache goes through one of these (writeQuery, results, cache.modify, evict).
  const patched = ['write', 'modify', 'evict'] as const;
  const originals = patched.map((name) => {
    const original = cache[name] as (...args: unknown[]) => unknown;
    (cache as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const result = original.apply(cache, args);
      scheduleWrite();
      return result;
    };
    return original;
  });

  // Leaving the page (or the tab going to the background) writes at once what is still waiting.
  const flush = () => {
    if (timer !== undefined) write();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', onVisibility);

  // Any change of session (log-out, expiry, another user) drops the snapshot of the previous one.
  const stopFollowing = tokenStore.subscribe(() => {
    clearTimeout(timer);
    timer = undefined;
    stored.remove();
  });

  return () => {
    clearTimeout(timer);
    timer = undefined;
    stopFollowing();
    window.removeEventListener('pagehide', flush);
    document.removeEventListener('visibilitychange', onVisibility);
    patched.forEach((name, i) => ((cache as unknown as Record<string, unknown>)[name] = originals[i]));
  };
}
