import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tokenStore } from '../auth/tokenStore';
import { filenameOf } from './downloadExport';
import { ExportSection } from './ExportSection';

const realFetch = globalThis.fetch;
const realCreate = URL.createObjectURL;
const realRevoke = URL.revokeObjectURL;
afterEach(() => {
  globalThis.fetch = realFetch;
  URL.createObjectURL = realCreate;
  URL.revokeObjectURL = realRevoke;
  tokenStore.clear();
  window.localStorage.clear();
});

it('reads the file name from Content-Disposition', () => {
  expect(filenameOf('attachment; filename="parley-alice-2026-12-07.json"')).toBe('parley-alice-2026-12-07.json');
  expect(filenameOf("attachment; filename=x.json; filename*=UTF-8''d%C3%A9j%C3%A0.json")).toBe('déjà.json');
  expect(filenameOf('attachment')).toBeNull();
  expect(filenameOf(null)).toBeNull();
});

/** A server answering GET /export: what it was asked is kept in `asked`. */
function serve(answer: () => { status: number; body: string; headers?: Record<string, string> }) {
  const asked: { url: string; authorization: string | null }[] = [];
  globalThis.fetch = (async (url: string, init?: RequestInit) => {
    asked.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    const { status, body, headers } = answer();
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: new Headers(headers),
      text: async () => body,
      blob: async () => new Blob([body], { type: 'application/json' }),
    } as unknown as Response;
  }) as typeof fetch;
  return asked;
}

it('downloads the export with this session’s token and saves it under the server’s file name', async () => {
  tokenStore.set('test-token');
  const asked = serve(() => ({
    status: 200,
    body: '{"profile":{}}',
    headers: { 'content-disposition': 'attachment; filename="parley-export-alice.json"' },
  }));
  const saved: { href: string; download: string }[] = [];
  URL.createObjectURL = () => 'blob:export';
  URL.revokeObjectURL = () => undefined;
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ href: this.href, download: this.download });
  });
  render(<ExportSection />);
  await userEvent.setup().click(screen.getByRole('button', { name: 'Download my data' }));
  expect(await screen.findByText('Downloaded parley-export-alice.json.')).toBeInTheDocument();
  expect(asked).toEqual([{ url: '/export', authorization: 'Bearer test-token' }]);
  expect(saved).toEqual([{ href: 'blob:export', download: 'parley-export-alice.json' }]);
  click.mockRestore();
});

it('says why it could not, and a refused token signs this device out', async () => {
  tokenStore.set('test-token');
  serve(() => ({ status: 503, body: 'Service Unavailable' }));
  render(<ExportSection />);
  const user = userEvent.setup();
  await user.click(screen.getByRole('button', { name: 'Download my data' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('The server could not prepare your data (503).');

  serve(() => ({ status: 401, body: '{"error":"The session has ended (logged out)."}' }));
  await user.click(screen.getByRole('button', { name: 'Download my data' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('Your session has ended.');
  expect(tokenStore.get()).toBeNull();
});
