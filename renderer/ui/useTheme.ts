import { useEffect } from 'react';
import type { Settings } from '../../preload/contract';
import { useSettings } from '../queries';

/** Follows the OS unless the user chose light or dark in Settings (the settings query is shared, so a change applies at once). */
export function useTheme(): void {
  const { data, isError } = useSettings();
  const theme = data?.theme ?? (isError ? 'system' : undefined);
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);
}

export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
