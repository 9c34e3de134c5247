import { useEffect, useMemo } from 'react';
import type { OutboxEntry } from './outbox';

type Stored = ReadonlyArray<{ clientMessageId: string | null }>;

/**
 * One message, one bubble: which of a conversation's outbox entries it shows
 * after its stored messages. Once the stored message is in the conversation
 * (mutation answer, messageAdded or a page) its entry is not shown, even if
 * the entry has not left the outbox yet. `settled`: acknowledged entries
 * (status `sent`) whose stored message is now shown — the outbox can drop them.
 */
export function visibleOutbox(
  outbox: readonly OutboxEntry[],
  stored: Stored,
): { shown: OutboxEntry[]; settled: string[] } {
  const storedIds = new Set(stored.map((m) => m.clientMessageId).filter(Boolean));
  return {
    shown: outbox.filter((e) => !storedIds.has(e.clientMessageId)),
    settled: outbox
      .filter((e) => e.status === 'sent' && storedIds.has(e.clientMessageId))
      .map((e) => e.clientMessageId),
  };
}

/** The entries to show; reports settled ones (once each time the set changes) to `onSettled`. */
export function useVisibleOutbox(
  outbox: readonly OutboxEntry[],
  stored: Stored,
  onSettled: (ids: string[]) => void,
): OutboxEntry[] {
  const { shown, settled } = useMemo(() => visibleOutbox(outbox, stored), [outbox, stored]);
  const settledKey = settled.join(' ');
  useEffect(() => {
    if (settledKey) onSettled(settledKey.split(' '));
  }, [settledKey, onSettled]);
  return shown;
}
