/**
 * The theme on the page, and the page's memory of it: settings arrive only once the core
 * answers, so the theme last applied is kept in localStorage and applied again before the
 * first paint (theme-early.ts), or the static shell would flash in the system's theme.
 * Free of React and the API: theme-early.ts bundles this file alone.
 */
import type { Settings } from '../../preload/contract';

export const THEME_STORAGE_KEY = 'gaia.theme';

export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** Applies it and remembers it for the next start. */
export function applyAndRememberTheme(theme: Settings['theme']): void {
  applyTheme(theme);
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Storage off or full: the next start paints in the system's theme until settings arrive, as before.
  }
}

/** The theme remembered from the last run; null when none (or storage is off). */
export function rememberedTheme(): Settings['theme'] | null {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' || value === 'system' ? value : null;
  } catch {
    return null;
  }
}
