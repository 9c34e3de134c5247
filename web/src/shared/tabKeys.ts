/**
 * The ARIA tabs pattern's keyboard: ArrowRight/ArrowLeft move to the next/previous tab (wrapping), Home/End to the
 * first/last. Returns the tab a key selects, or null when the key is not one of these (let it through).
 */
export function tabForKey<T>(key: string, tabs: readonly T[], current: T): T | null {
  const at = tabs.indexOf(current);
  switch (key) {
    case 'ArrowRight':
      return tabs[(at + 1) % tabs.length];
    case 'ArrowLeft':
      return tabs[(at - 1 + tabs.length) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs[tabs.length - 1];
    default:
      return null;
  }
}
