// The transcript as the virtualised list renders it: one row per day separator, stored message and unsent (outbox)
// entry, oldest first, each with a key that is stable across pages and tells the list when its height may change.
import type { Ref } from 'react';
import { dayLabel } from './dayLabel';
import { groupPlaces, type GroupPlace } from './messageGroups';
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

/** What a row's element takes from the list: the virtualiser measures it (`ref`) and finds its row (`data-index`). */
export interface RowProps {
  ref?: Ref<HTMLLIElement>;
  'data-index'?: number;
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
  const statuses = messages.map((m, i) => (m.sender.id !== viewerId ? null : i <= readUpTo ? 'read' : 'sent'));
  const places = groupPlaces([
    ...messages.map((m, i) => ({ senderId: m.sender.id, createdAt: m.createdAt, status: statuses[i] })),
    ...unsent.map((e) => ({ senderId: viewerId, createdAt: e.createdAt, status: e.status })),
  ]);
  const rows: TranscriptRow<M>[] = [];
  // One label per calendar day (thousands of messages share a few hundred days).
  const labels = new Map<string, string>();
  let previousDay = '';
  messages.forEach((m, i) => {
    const date = new Date(m.createdAt).toDateString();
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
