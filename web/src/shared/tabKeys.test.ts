import { tabForKey } from './tabKeys';

const tabs = ['chats', 'people', 'archive'] as const;

test('the arrow keys move to the neighbouring tab and wrap around at either end', () => {
  expect(tabForKey('ArrowRight', tabs, 'chats')).toBe('people');
  expect(tabForKey('ArrowRight', tabs, 'archive')).toBe('chats');
  expect(tabForKey('ArrowLeft', tabs, 'chats')).toBe('archive');
  expect(tabForKey('ArrowLeft', tabs, 'people')).toBe('chats');
});

test('Home and End select the first and the last tab', () => {
  expect(tabForKey('Home', tabs, 'archive')).toBe('chats');
  expect(tabForKey('End', tabs, 'chats')).toBe('archive');
});

test('any other key is left alone', () => {
  expect(tabForKey('Enter', tabs, 'chats')).toBeNull();
  expect(tabForKey('ArrowDown', tabs, 'chats')).toBeNull();
});
