// parley's signed download URLs (attachments/download-links.ts): what they grant, and that URLs signed the earlier
// way (a full 256-bit signature, `d=attachment` spelled out) are still accepted until they expire.
import { createHmac } from 'node:crypto';
import { createDownloadLinks, uploadsKey } from '../src/attachments/download-links.ts';

const SECRET = 'x'.repeat(40);
const KEY = '0b7e6a2c-1f0e-4c1a-9d7e-2f1b3c4d5e6f';
const links = createDownloadLinks(SECRET);
const parse = (url: string) => {
  const u = new URL(url, 'http://parley.test');
  return { key: u.pathname.split('/').pop()!, query: u.searchParams };
};
const inAnHour = () => new Date(Date.now() + 3600_000);

test('a URL grants its file, type and disposition; 128-bit signature, no disposition spelled out for a download', () => {
  const url = links.sign(KEY, {
    filename: 'a b.pdf',
    contentType: 'application/pdf',
    inline: false,
    expiresAt: inAnHour(),
  });
  const { key, query } = parse(url);
  expect(query.get('sig')).toHaveLength(22);
  expect(query.has('d')).toBe(false);
  expect(links.verify(key, query)).toEqual({
    key: KEY,
    filename: 'a b.pdf',
    contentType: 'application/pdf',
    inline: false,
  });
  const image = parse(
    links.sign(KEY, { filename: 'p.png', contentType: 'image/png', inline: true, expiresAt: inAnHour() }),
  );
  expect(links.verify(image.key, image.query)).toMatchObject({ inline: true });
});

test('tampered, for another key, signed with another secret, or expired: refused', () => {
  const { key, query } = parse(
    links.sign(KEY, { filename: 'a.pdf', contentType: 'application/pdf', inline: false, expiresAt: inAnHour() }),
  );
  const inline = new URLSearchParams(query);
  inline.set('d', 'inline');
  expect(links.verify(key, inline)).toBeNull();
  expect(links.verify(KEY.replace('0b', '1b'), query)).toBeNull();
  expect(createDownloadLinks('y'.repeat(40)).verify(key, query)).toBeNull();
  expect(links.verify('../etc/passwd', query)).toBeNull();
  const past = parse(
    links.sign(KEY, {
      filename: 'a.pdf',
      contentType: 'application/pdf',
      inline: false,
      expiresAt: new Date(Date.now() - 1000),
    }),
  );
  expect(links.verify(past.key, past.query)).toBe('expired');
});

test('a URL signed the earlier way (full signature, d=attachment) is still accepted', () => {
  const exp = String(Math.floor(inAnHour().getTime() / 1000));
  const params = new URLSearchParams({ exp, ct: 'application/pdf', fn: 'a.pdf', d: 'attachment' });
  const sig = createHmac('sha256', uploadsKey(SECRET)).update(`${KEY}\n${params.toString()}`).digest('base64url');
  params.set('sig', sig);
  expect(sig).toHaveLength(43);
  expect(links.verify(KEY, params)).toEqual({
    key: KEY,
    filename: 'a.pdf',
    contentType: 'application/pdf',
    inline: false,
  });
});
