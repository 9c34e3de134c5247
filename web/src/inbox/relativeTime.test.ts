import { relativeTime } from './relativeTime';

const now = Date.parse('2026-11-25T12:00:00.000Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

it('says how long ago, coarser with age', () => {
  expect(relativeTime(ago(10), now)).toBe('now');
  expect(relativeTime(ago(-5), now)).toBe('now'); // a clock slightly behind the server's
  expect(relativeTime(ago(90), now)).toBe('2 min');
  expect(relativeTime(ago(59 * 60), now)).toBe('59 min');
  expect(relativeTime(ago(3 * 3600 + 100), now)).toBe('3 h');
  expect(relativeTime(ago(2 * 86400), now, 'en-GB')).toBe('Mon');
  expect(relativeTime('2026-03-02T12:00:00.000Z', now, 'en-GB')).toBe('2 Mar');
  expect(relativeTime('2025-03-02T12:00:00.000Z', now, 'en-GB')).toBe('2 Mar 2025');
  expect(relativeTime('not a date', now)).toBe('');
});
