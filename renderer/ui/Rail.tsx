/**
 * The shell's frame: the rail (brand, palette button, one button per page, the active
 * connection, the Version label) and the main area beside it. Drawn by the live shell
 * (App.tsx) and, at build time, into index.html as its static copy (static-shell.tsx), so
 * both are the same markup: nothing here may read the core, the session or the browser.
 */
import { Command as CommandIcon, Sparkles } from 'lucide-react';
import type { ReactNode } from 'react';
import type { PageName } from '../../preload/contract';
import { PAGE_NAMES } from '../../preload/names';
import { ariaShortcut, PAGE_ICONS, PAGE_LABELS, shortcutLabel } from './pages';
import { Tip } from './Tip';

export interface VersionText {
  name: string;
  version: string;
  /** "linux · preview"; empty in the static copy (known only at run time). */
  where: string;
}

export interface RailProps {
  /** The page marked as current; null before settings say which page is open. */
  current: PageName | null;
  go?: (page: PageName) => void;
  openPalette?: () => void;
  /** The active connection (ActiveProfile), above the Version label. */
  profile?: ReactNode;
  version: VersionText | null;
}

export function Rail({ current, go, openPalette, profile, version }: RailProps) {
  return (
    <nav className="rail" aria-label="Main">
      <div className="brand" aria-hidden="true">
        <Sparkles size={20} />
        <span className="brand-name">Gaia</span>
      </div>
      <Tip label="Command palette" shortcut={shortcutLabel('K')}>
        <button type="button" className="palette-button" aria-keyshortcuts={ariaShortcut('K')} onClick={openPalette}>
          <CommandIcon size={16} aria-hidden />
          <span className="palette-label">Commands</span>
          <kbd className="kbd" aria-hidden="true">
            {shortcutLabel('K')}
          </kbd>
        </button>
      </Tip>
      <ul>
        {PAGE_NAMES.map((p, i) => {
          const Icon = PAGE_ICONS[p];
          return (
            <li key={p}>
              <Tip label={PAGE_LABELS[p]} shortcut={shortcutLabel(String(i + 1))}>
                <button type="button" className="nav-item" aria-current={p === current ? 'page' : undefined} aria-keyshortcuts={ariaShortcut(String(i + 1))} onClick={go && (() => go(p))}>
                  <Icon size={18} aria-hidden />
                  <span className="nav-label">{PAGE_LABELS[p]}</span>
                </button>
              </Tip>
            </li>
          );
        })}
      </ul>
      <div className="rail-bottom">
        {profile}
        {version && (
          <p className="version" aria-label="Version">
            {version.name} {version.version}
            {/* Where it runs on a line of its own: the rail is too narrow for both, and a wrap left a "·" hanging. */}
            <span className="version-sep"> · </span>
            <span className="version-where">{version.where}</span>
          </p>
        )}
      </div>
    </nav>
  );
}

/** The rail and, beside it, the main area that holds the open page (empty until settings say which). */
export function ShellFrame({ rail, mainLabel, children }: { rail: ReactNode; mainLabel?: string; children?: ReactNode }) {
  return (
    <div className="shell">
      {rail}
      <main className="content" id="main" tabIndex={-1} aria-label={mainLabel}>
        {children}
      </main>
    </div>
  );
}
