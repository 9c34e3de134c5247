/**
 * "Show message text in notifications", per device. The service worker reads it on every push (public/sw-push.js),
 * so it lives where a worker can read it: Cache storage, one small JSON entry under a key no request ever uses.
 * Default on (the server decides first: with PUSH_PREVIEW=off no text is ever sent; docs/api.md "Web Push").
 * These names are the service worker's: change them together.
 */
export const SETTINGS_CACHE = 'parley-settings';
export const PREVIEW_KEY = '/__parley/settings/push-preview';

const cacheStorage = (): CacheStorage | undefined => (typeof caches === 'undefined' ? undefined : caches);

export const previewSetting = {
  /** Whether this device shows message text; true when unset or unreadable. */
  async get(): Promise<boolean> {
    try {
      const stored = await (await cacheStorage()?.open(SETTINGS_CACHE))?.match(PREVIEW_KEY);
      if (!stored) return true;
      return ((await stored.json()) as { preview?: unknown }).preview !== false;
    } catch {
      return true;
    }
  },

  /** Stores the choice; rejects when it could not be kept (no Cache storage here, or it refused). */
  async set(preview: boolean): Promise<void> {
    const storage = cacheStorage();
    if (!storage) throw new Error('This browser cannot keep the setting.');
    const cache = await storage.open(SETTINGS_CACHE);
    await cache.put(
      PREVIEW_KEY,
      new Response(JSON.stringify({ preview }), { headers: { 'content-type': 'application/json' } }),
    );
  },

  /** Whether the setting can be kept on this device at all. */
  available(): boolean {
    return cacheStorage() !== undefined;
  },
};
