import { deviceName } from './deviceName';

it('names the browser and the system of a user agent', () => {
  expect(
    deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36'),
  ).toBe('Chrome on Linux');
  expect(
    deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Safari/604.1'),
  ).toBe('Safari on iPhone');
  expect(deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe(
    'Firefox on Windows',
  );
  expect(deviceName('Mozilla/5.0 (Windows NT 10.0) Chrome/140.0 Safari/537.36 Edg/140.0')).toBe('Edge on Windows');
});

it('shows what it cannot tell as it came, and nothing as an unknown device', () => {
  expect(deviceName('curl/8.5.0')).toBe('curl/8.5.0');
  expect(deviceName(null)).toBe('Unknown device');
  expect(deviceName('  ')).toBe('Unknown device');
});
