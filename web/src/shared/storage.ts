/**
 * One localStorage entry that never throws. Storage may be disabled (private
 * mode, sandboxed iframe), full, or hold something unreadable: reads then find
 * nothing and writes are dropped, and callers carry on from memory.
 *
 * `storage` is for tests; by default the page's localStorage, looked up on
 * each call (the lookup itself throws where storage is disabled).
 */
export function storageItem(key: string, storage?: Storage) {
  const area = () => storage ?? window.localStorage;
  return {
    /** The stored string, or null. */
    getText(): string | null {
      try {
        return area().getItem(key);
      } catch {
        return null;
      }
    },
    setText(value: string): void {
      try {
        area().setItem(key, value);
      } catch {
        /* kept in memory only */
      }
    },
    /** The stored JSON value, or undefined when there is none or it is unreadable. */
    get(): unknown {
      try {
        const text = area().getItem(key);
        return text === null ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return undefined;
      }
    },
    set(value: unknown): void {
      try {
        area().setItem(key, JSON.stringify(value));
      } catch {
        /* kept in memory only */
      }
    },
    remove(): void {
      try {
        area().removeItem(key);
      } catch {
        /* nothing to remove */
      }
    },
  };
}
