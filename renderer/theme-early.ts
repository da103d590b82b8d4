/**
 * A classic script in index.html's <head> (added by vite.config.ts: themeEarly), run before
 * the body is parsed: the theme remembered from the last run is on <html> before the first
 * paint, which already shows the static shell. An external file, so the CSP stays
 * `script-src 'self'` with no inline script. useTheme.ts applies the setting itself once
 * it arrives.
 */
import { applyTheme, rememberedTheme } from './ui/theme';

const theme = rememberedTheme();
if (theme) applyTheme(theme);
