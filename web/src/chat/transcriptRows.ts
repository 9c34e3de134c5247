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
 * `readUpTo`: the index of the last stored message the peer has read (-1: none).
 * A row's key changes when it starts or stops starting a group: the spacing
 * above it changes, so the list measures it again instead of trusting its cache.
 */
export function transcriptRows<M extends StoredMessage>(
  messages: readonly M[],
  unsent: readonly OutboxEntry[],
  viewerId: string,
  readUpTo: number,
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
