import { groupPlaces, sameGroup, type Groupable } from './messageGroups';

const at = (hhmmss: string, day = '2026-11-25') => `${day}T${hhmmss}.000Z`;
const from = (senderId: string, createdAt: string, status: string | null = null): Groupable => ({
  senderId,
  createdAt,
  status,
});
const places = (items: Groupable[]) => groupPlaces(items).map((p) => `${+p.startsGroup}${+p.endsGroup}`);

describe('message groups', () => {
  it('groups a burst by one sender within one minute: time and status once, at the last bubble', () => {
    const burst = [from('a', at('09:00:01')), from('a', at('09:00:20')), from('a', at('09:00:59'))];
    expect(places(burst)).toEqual(['10', '00', '01']);
  });

  it('starts a new group at the next minute, even seconds apart', () => {
    expect(sameGroup(from('a', at('09:00:59')), from('a', at('09:01:00')))).toBe(false);
    expect(places([from('a', at('09:00:59')), from('a', at('09:01:00'))])).toEqual(['11', '11']);
  });

  it('starts a new group when the sender changes, and again when the first sender resumes', () => {
    const items = [from('a', at('09:00:01')), from('b', at('09:00:02')), from('a', at('09:00:03'))];
    expect(places(items)).toEqual(['11', '11', '11']);
  });

  it('never groups across days (same clock minute on another day)', () => {
    expect(sameGroup(from('a', at('09:00:01', '2026-11-24')), from('a', at('09:00:02')))).toBe(false);
  });

  it('splits where the delivery status changes (read up to here, sent after)', () => {
    const items = [
      from('me', at('09:00:01'), 'read'),
      from('me', at('09:00:02'), 'read'),
      from('me', at('09:00:03'), 'sent'),
      from('me', at('09:00:04'), 'pending'),
    ];
    expect(places(items)).toEqual(['10', '01', '11', '11']);
  });

  it('never groups a message whose time cannot be read', () => {
    expect(sameGroup(from('a', 'not a time'), from('a', 'not a time'))).toBe(false);
  });

  it('handles the empty and single-message transcripts', () => {
    expect(groupPlaces([])).toEqual([]);
    expect(places([from('a', at('09:00:00'))])).toEqual(['11']);
  });
});
