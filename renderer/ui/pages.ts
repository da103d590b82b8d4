/** What the shell, the palette and the menu say about each page. */
import { Database, KeyRound, MessagesSquare, Plug, Settings, type LucideIcon } from 'lucide-react';
import type { Page } from '../navigation';

export const PAGE_LABELS: Record<Page, string> = {
  connections: 'Connections',
  datasets: 'Datasets',
  ask: 'Ask',
  keys: 'Keys',
  settings: 'Settings',
};

export const PAGE_ICONS: Record<Page, LucideIcon> = {
  connections: Plug,
  datasets: Database,
  ask: MessagesSquare,
  keys: KeyRound,
  settings: Settings,
};

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "Ctrl+K" or "⌘K", as each OS writes its shortcuts. */
export const shortcutLabel = (key: string): string => (isMac ? `⌘${key}` : `Ctrl+${key}`);
/** The same for aria-keyshortcuts. */
export const ariaShortcut = (key: string): string => `${isMac ? 'Meta' : 'Control'}+${key}`;
