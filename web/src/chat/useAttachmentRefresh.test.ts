/** When a signed URL stops working, as it says itself (the embedded store's and S3's formats). */
import { urlExpired, urlExpiresAt, urlExpiring } from './useAttachmentRefresh';

describe('signed URLs’ expiry', () => {
  const now = Date.UTC(2026, 11, 7, 4, 0, 0);

  it('reads the embedded store’s `exp` (seconds)', () => {
    const url = `/uploads/abc?exp=${now / 1000 + 60}&ct=application%2Fpdf&fn=a.pdf&d=attachment&sig=x`;
    expect(urlExpiresAt(url)).toBe(now + 60_000);
    expect(urlExpiring(url, now)).toBe(false);
    expect(urlExpiring(url, now + 57_000)).toBe(true); // within the margin: signed again before it is followed
    expect(urlExpired(url, now + 57_000)).toBe(false);
    expect(urlExpired(url, now + 60_000)).toBe(true);
  });

  it('reads S3’s X-Amz-Date + X-Amz-Expires', () => {
    const url =
      'https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261207T040000Z' +
      '&X-Amz-Expires=3600&X-Amz-Signature=abc';
    expect(urlExpiresAt(url)).toBe(now + 3_600_000);
    expect(urlExpired(url, now + 3_600_001)).toBe(true);
  });

  it('knows nothing of other URLs: they are used as they are', () => {
    expect(urlExpiresAt('https://cdn.example.com/a.pdf')).toBeNull();
    expect(urlExpiring('https://cdn.example.com/a.pdf')).toBe(false);
    expect(urlExpired('https://cdn.example.com/a.pdf')).toBe(false);
  });
});
