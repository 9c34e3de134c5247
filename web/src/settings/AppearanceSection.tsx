import { useId } from 'react';
import { theme, THEME_CHOICES, useThemeChoice, type ThemeChoice } from '../shared/theme';
import { SettingsSection } from './SettingsSection';

const LABELS: Record<ThemeChoice, string> = { system: 'As the system', light: 'Light', dark: 'Dark' };

/** The theme (the same setting as the inbox's toggle, shared/theme.ts): remembered on this device. */
export function AppearanceSection() {
  const choice = useThemeChoice();
  const id = useId();
  return (
    <SettingsSection title="Appearance">
      <div className="settings-field">
        <label htmlFor={id}>Colour theme</label>
        <select id={id} value={choice} onChange={(e) => theme.set(e.target.value as ThemeChoice)}>
          {THEME_CHOICES.map((c) => (
            <option key={c} value={c}>
              {LABELS[c]}
            </option>
          ))}
        </select>
      </div>
    </SettingsSection>
  );
}
