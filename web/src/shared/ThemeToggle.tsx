import { useId } from 'react';
import { theme, THEME_CHOICES, useThemeChoice, type ThemeChoice } from './theme';
import { Icon } from './Icon';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Light, dark, or as the system prefers; remembered on this device. */
export function ThemeToggle({ className = '' }: { className?: string }) {
  const choice = useThemeChoice();
  const id = useId();
  return (
    <span className={`theme-toggle ${className}`}>
      <label htmlFor={id} className="visually-hidden">
        Theme
      </label>
      <Icon className="theme-toggle__icon" size={16}>
        <circle cx="12" cy="12" r="8" />
        <path d="M12 4a8 8 0 000 16z" fill="currentColor" />
      </Icon>
      <select id={id} value={choice} onChange={(e) => theme.set(e.target.value as ThemeChoice)}>
        {THEME_CHOICES.map((c) => (
          <option key={c} value={c}>
            {LABELS[c]}
          </option>
        ))}
      </select>
    </span>
  );
}
