import { authorizationHeader, logoutReasonOf, tokenStore } from '../auth/tokenStore';

/** Where the API serves the export (GET, the Bearer token; a JSON attachment). */
export const EXPORT_PATH = '/export';
const FALLBACK_NAME = 'parley-export.json';

/** The file name a Content-Disposition header gives (`filename*=UTF-8''…` first, then `filename="…"`). */
export function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // Malformed: try the plain one.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain ? plain[1]!.trim() : null;
}

/** The export could not be had; `message` is for the reader. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/**
 * Downloads everything the server holds about the viewer: GET /export with this session's token (a link cannot
 * carry the header), then saves the answer as a file through a blob link. Resolves to the file's name.
 * A 401 means the session is gone: this device signs out, as for any refused token.
 */
export async function downloadExport(signal?: AbortSignal): Promise<string> {
  const token = tokenStore.get();
  let response: Response;
  try {
    response = await fetch(EXPORT_PATH, {
      headers: { authorization: authorizationHeader(token) ?? '' },
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ExportError('Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    if (response.status === 401) {
      if (tokenStore.get() === token) tokenStore.clear(logoutReasonOf(text));
      throw new ExportError('Your session has ended. Please log in again.');
    }
    if (response.status === 429) throw new ExportError('Too many downloads: try again in a minute.');
    throw new ExportError(`The server could not prepare your data (${response.status}). Try again later.`);
  }
  const blob = await response.blob();
  const name = filenameOf(response.headers.get('content-disposition')) ?? FALLBACK_NAME;
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the blob to the browser's download; a moment later the URL is not needed.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}
