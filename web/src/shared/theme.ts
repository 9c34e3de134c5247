import { useSyncExternalStore } from 'react';
import { storageItem } from './storage';

/** What the person chose: a fixed theme, or whatever the system prefers (`prefers-color-scheme`). */
export type ThemeChoice = 'light' | 'dark' | 'system';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const stored = storageItem('parley.theme');
const listeners = new Set<() => void>();

function read(): ThemeChoice {
  const value = stored.getText();
  return value === 'light' || value === 'dark' ? value : 'system';
}

let current: ThemeChoice | null = null;

/**
 * The root element carries the choice (`data-theme="light|dark"`, none for the
 * system's); styles.css picks the colours from it and from prefers-color-scheme.
 */
function apply(choice: ThemeChoice) {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export const theme = {
  get(): ThemeChoice {
    current ??= read();
    return current;
  },
  /** Remembered on this device; applied at once. */
  set(choice: ThemeChoice) {
    current = choice;
    if (choice === 'system') stored.remove();
    else stored.setText(choice);
    apply(choice);
    for (const listener of listeners) listener();
  },
  /** Applies the remembered choice: call before the first render, so that nothing flashes in the wrong colours. */
  applyStored() {
    current = read();
    apply(current);
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
};

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(theme.subscribe, theme.get, () => 'system');
}
