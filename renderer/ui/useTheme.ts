import { useEffect } from 'react';
import { gaia } from '../api';

/** Follows the OS unless the user chose light or dark in Settings. */
export function useTheme(): void {
  useEffect(() => {
    gaia.settings.get({}).then(
      (s) => applyTheme(s.theme),
      () => applyTheme('system'),
    );
  }, []);
}

export function applyTheme(theme: 'system' | 'light' | 'dark'): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
