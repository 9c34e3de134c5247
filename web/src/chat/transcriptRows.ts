// The transcript as the virtualised list renders it: one row per day separator, stored message and unsent (outbox)
// entry, oldest first, each with a key that is stable across pages and tells the list when its height may change.
import type { Ref } from 'react';
import { dayLabel } from './dayLabel';
import { groupPlaces, type GroupPlace, type Groupable } from './messageGroups';
import type { OutboxEntry } from './outbox';

interface StoredMessage {
  id: string;
  createdAt: string;
  sender: { id: string };
}

export type TranscriptRow<M extends StoredMessage> =
  | { kind: 'day'; key: string; day: string }
  | { kind: 'unread'; key: string }
  | ({ kind: 'message'; key: string; message: M; mine: boolean; read: boolean } & GroupPlace)
  | ({ kind: 'outbox'; key: string; entry: OutboxEntry } & GroupPlace);

/**
 * What a row's element takes from the list: the virtualiser measures it (`ref`) and finds its row (`data-index`);
 * screen readers learn where it stands in the whole transcript, most of which is not in the DOM.
 */
export interface RowProps {
  ref?: Ref<HTMLLIElement>;
  'data-index'?: number;
  'aria-posinset'?: number;
  'aria-setsize'?: number;
  /** The message a conversation was opened at (a search hit): highlighted. */
  'data-highlight'?: boolean;
  /** One of the peer's unread messages: read once on screen (chat/useSeenOnScreen.ts). */
  'data-unread'?: boolean;
}

/**
 * Whether a row's props are the same: each by identity, but `row`, which the list makes anew on each render, by its
 * fields (for `memo`: a row re-renders when what it shows or where it stands changes, not when the list does).
 */
export function sameRowedProps<P extends { row?: RowProps }>(a: P, b: P): boolean {
  const keys = Object.keys(b) as (keyof P)[];
  if (Object.keys(a).length !== keys.length) return false;
  for (const key of keys) if (key !== 'row' && a[key] !== b[key]) return false;
  return shallowEqual(a.row, b.row);
}

function shallowEqual(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  return keys.every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}

/** Local calendar days by time string (kept across renders: parsing thousands of dates on each is slow). */
const localDates = new Map<string, string>();
const DATES_KEPT = 50_000;

function localDate(iso: string): string {
  let date = localDates.get(iso);
  if (date === undefined) {
    if (localDates.size >= DATES_KEPT) localDates.clear();
    date = new Date(iso).toDateString();
    localDates.set(iso, date);
  }
  return date;
}

/** A row's identity whatever its grouping (its key without the regrouping mark). */
export function rowId(key: string): string {
  return key.endsWith('~') ? key.slice(0, -1) : key;
}

/**
 * `readUpTo`: the index of the last stored message the peer has read (-1: none); `unreadFrom`: the viewer's first
 * unread message when the conversation opened, after a "New messages" divider.
 * A row's key changes when it starts or stops starting a group: the spacing
 * above it changes, so the list measures it again instead of trusting its cache.
 */
export function transcriptRows<M extends StoredMessage>(
  messages: readonly M[],
  unsent: readonly OutboxEntry[],
  viewerId: string,
  readUpTo: number,
  unreadFrom?: string | null,
): TranscriptRow<M>[] {
  // This runs on every change of a conversation that may hold thousands: dates are parsed once (cached), and no
  // more is built than one entry per message for grouping.
  const items: Groupable[] = [];
  messages.forEach((m, i) => {
    const mine = m.sender.id === viewerId;
    items.push({
      senderId: m.sender.id,
      createdAt: m.createdAt,
      status: !mine ? null : i <= readUpTo ? 'read' : 'sent',
    });
  });
  for (const e of unsent) items.push({ senderId: viewerId, createdAt: e.createdAt, status: e.status });
  const places = groupPlaces(items);

  const rows: TranscriptRow<M>[] = [];
  // One label per calendar day (thousands of messages share a few hundred days).
  const labels = new Map<string, string>();
  let previousDay = '';
  messages.forEach((m, i) => {
    const date = localDate(m.createdAt);
    let day = labels.get(date);
    if (day === undefined) labels.set(date, (day = dayLabel(m.createdAt)));
    if (day !== previousDay) rows.push({ kind: 'day', key: `day:${m.id}`, day });
    previousDay = day;
    if (m.id === unreadFrom) rows.push({ kind: 'unread', key: `unread:${m.id}` });
    const place = places[i]!;
    rows.push({
      kind: 'message',
      key: place.startsGroup ? m.id : `${m.id}~`,
      message: m,
      mine: m.sender.id === viewerId,
      read: i <= readUpTo,
      ...place,
    });
  });
  unsent.forEach((entry, j) => {
    const place = places[messages.length + j]!;
    const key = `outbox:${entry.clientMessageId}`;
    rows.push({ kind: 'outbox', key: place.startsGroup ? key : `${key}~`, entry, ...place });
  });
  return rows;
}
