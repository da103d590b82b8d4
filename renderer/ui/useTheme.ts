import { useEffect } from 'react';
import { useSettings } from '../queries';
import { applyAndRememberTheme } from './theme';

/** Follows the OS unless the user chose light or dark in Settings (the settings query is shared, so a change applies at once). */
export function useTheme(): void {
  const { data, isError } = useSettings();
  const theme = data?.theme ?? (isError ? 'system' : undefined);
  useEffect(() => {
    if (theme) applyAndRememberTheme(theme);
  }, [theme]);
}
