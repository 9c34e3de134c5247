import type { OutboxEntry } from './outbox';
import { rowId, transcriptRows } from './transcriptRows';

const message = (id: string, senderId: string, createdAt: string) => ({ id, createdAt, sender: { id: senderId } });
const unsent = (clientMessageId: string, createdAt: string): OutboxEntry => ({
  clientMessageId,
  recipientId: 'peer',
  content: clientMessageId,
  createdAt,
  attempts: 0,
  status: 'pending',
});
const shape = (rows: ReturnType<typeof transcriptRows>) =>
  rows.map((r) =>
    r.kind === 'day' || r.kind === 'unread' ? r.kind : `${rowId(r.key)}:${+r.startsGroup}${+r.endsGroup}`,
  );

describe('transcript rows', () => {
  it('puts a day separator before each day and groups same-minute bursts', () => {
    const rows = transcriptRows(
      [
        message('a', 'peer', '2026-11-24T09:00:01.000Z'),
        message('b', 'peer', '2026-11-25T09:00:01.000Z'),
        message('c', 'peer', '2026-11-25T09:00:30.000Z'),
        message('d', 'me', '2026-11-25T09:00:40.000Z'),
      ],
      [],
      'me',
      -1,
    );
    expect(shape(rows)).toEqual(['day', 'a:11', 'day', 'b:10', 'c:01', 'd:11']);
  });

  it('splits the viewer’s messages where the read position falls, and keeps unsent ones apart from sent ones', () => {
    const rows = transcriptRows(
      [
        message('a', 'me', '2026-11-25T09:00:01.000Z'),
        message('b', 'me', '2026-11-25T09:00:02.000Z'),
        message('c', 'me', '2026-11-25T09:00:03.000Z'),
      ],
      [unsent('x', '2026-11-25T09:00:04.000Z'), unsent('y', '2026-11-25T09:00:05.000Z')],
      'me',
      0, // the peer read up to a
    );
    expect(shape(rows)).toEqual(['day', 'a:11', 'b:10', 'c:01', 'outbox:x:10', 'outbox:y:01']);
  });

  it('changes a row’s key (not its identity) when it stops starting a group, so the list measures it again', () => {
    const b = message('b', 'peer', '2026-11-25T09:00:02.000Z');
    const alone = transcriptRows([b], [], 'me', -1);
    const joined = transcriptRows([message('a', 'peer', '2026-11-25T09:00:01.000Z'), b], [], 'me', -1);
    const keyOf = (rows: typeof alone) => rows.find((r) => r.kind === 'message' && r.message === b)!.key;
    expect(keyOf(alone)).not.toBe(keyOf(joined));
    expect(rowId(keyOf(alone))).toBe(rowId(keyOf(joined)));
  });

  it('puts the "New messages" divider before the first unread message, after its day', () => {
    const rows = transcriptRows(
      [
        message('a', 'peer', '2026-11-24T09:00:01.000Z'),
        message('b', 'peer', '2026-11-25T09:00:01.000Z'),
        message('c', 'peer', '2026-11-25T09:00:30.000Z'),
      ],
      [],
      'me',
      -1,
      'b',
    );
    expect(shape(rows)).toEqual(['day', 'a:11', 'day', 'unread', 'b:10', 'c:01']);
  });
});
