import type { OutboxEntry } from './outbox';
import { visibleOutbox } from './visibleOutbox';

const entry = (n: number, status: OutboxEntry['status']): OutboxEntry => ({
  clientMessageId: `cmid-${n}`,
  recipientId: 'u-bob',
  content: `Draft ${n}`,
  createdAt: new Date(Date.UTC(2026, 10, 25, 9, n)).toISOString(),
  attempts: 0,
  status,
});

it('hides entries whose stored message is shown, and settles only the acknowledged ones among them', () => {
  const outbox = [entry(1, 'sent'), entry(2, 'pending'), entry(3, 'sent'), entry(4, 'failed')];
  // Stored: 1 (acknowledged) and 2 (its answer was lost: still pending); 3 not yet rendered.
  const stored = [{ clientMessageId: null }, { clientMessageId: 'cmid-1' }, { clientMessageId: 'cmid-2' }];

  const { shown, settled } = visibleOutbox(outbox, stored);
  expect(shown.map((e) => e.clientMessageId)).toEqual(['cmid-3', 'cmid-4']);
  expect(settled).toEqual(['cmid-1']);
});

it('shows the whole outbox, in order, when none of it is stored yet', () => {
  const outbox = [entry(1, 'pending'), entry(2, 'failed')];
  expect(visibleOutbox(outbox, [{ clientMessageId: null }])).toEqual({ shown: outbox, settled: [] });
});
