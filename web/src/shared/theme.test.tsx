import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { theme } from './theme';
import { ThemeToggle } from './ThemeToggle';

beforeEach(() => {
  window.localStorage.clear();
  theme.applyStored();
});

describe('theme', () => {
  it('follows the system until a theme is chosen, and remembers the choice', async () => {
    render(<ThemeToggle />);
    const select = screen.getByRole('combobox', { name: 'Theme' });
    expect(select).toHaveValue('system');
    expect(document.documentElement).not.toHaveAttribute('data-theme');

    await userEvent.selectOptions(select, 'Dark');
    expect(document.documentElement).toHaveAttribute('data-theme', 'dark');
    expect(window.localStorage.getItem('parley.theme')).toBe('dark');

    await userEvent.selectOptions(select, 'Light');
    expect(document.documentElement).toHaveAttribute('data-theme', 'light');

    await userEvent.selectOptions(select, 'System');
    expect(document.documentElement).not.toHaveAttribute('data-theme');
    expect(window.localStorage.getItem('parley.theme')).toBeNull();
  });

  it('applies the remembered choice at start, ignoring anything unknown', () => {
    window.localStorage.setItem('parley.theme', 'dark');
    theme.applyStored();
    expect(document.documentElement).toHaveAttribute('data-theme', 'dark');
    render(<ThemeToggle />);
    expect(screen.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');

    window.localStorage.setItem('parley.theme', 'purple');
    act(() => theme.applyStored());
    expect(document.documentElement).not.toHaveAttribute('data-theme');
    expect(theme.get()).toBe('system');
  });
});
