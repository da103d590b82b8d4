import { QueryClientProvider } from '@tanstack/react-query';
import { Tooltip } from 'radix-ui';
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { MenuCommand } from '../preload/contract';
import { gaia } from './api';
import { NavigationProvider, PAGES, useNavigation, type Page } from './navigation';
import { PAGE_VIEW, preloadPages } from './pageViews';
import { queryClient, useAppInfo } from './queries';
import { SessionProvider, useSession } from './session';
import { CommandProvider, useCommandBus } from './ui/commands';
import { isMac, PAGE_LABELS } from './ui/pages';
import { Rail, ShellFrame } from './ui/Rail';
import { StreamNotice } from './ui/StreamNotice';
import { Tip } from './ui/Tip';
import { useTheme } from './ui/useTheme';

// The palette (and cmdk) loads the first time it opens.
const Palette = lazy(() => import('./ui/Palette').then((m) => ({ default: m.Palette })));

/** How wide each page's centred column may grow: tables want room, forms do not. */
const WIDTHS: Record<Page, 'normal' | 'wide' | 'full'> = {
  connections: 'normal',
  datasets: 'wide',
  ask: 'full',
  keys: 'normal',
  settings: 'normal',
};

/** The active connection, always in view; red while its certificate checks are off. */
function ActiveProfile() {
  const { active } = useSession();
  const { go } = useNavigation();
  if (!active) return null;
  const keyText = active.key.last4 ? `Key ending …${active.key.last4}` : active.key.storage === 'none' ? 'No key stored' : 'Key stored';
  return (
    <Tip label={`Active connection: ${active.name}`}>
      <button type="button" className={`active-profile${active.verifyTls ? '' : ' insecure'}`} onClick={() => go('connections')}>
        <span className="active-profile-line">
          <span className="active-profile-dot" aria-hidden="true" />
          <span className="active-profile-text active-profile-name">
            <span className="sr-only">Active connection: </span>
            {active.name}
          </span>
        </span>
        <span className="active-profile-text active-profile-key">{keyText}</span>
        {!active.verifyTls && <span className="active-profile-text active-profile-warning">Certificate checks off</span>}
      </button>
    </Tip>
  );
}

/** Focuses the visible page heading (a page still loading may leave the last page's, hidden, in place). */
function focusHeading(): boolean {
  const heading = [...document.querySelectorAll<HTMLElement>('#main h1')].find((h) => h.getClientRects().length > 0);
  if (!heading) return false;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
  return true;
}

/** After a navigation, focus goes to the new page's heading (once its chunk has loaded); null: no page drawn yet. */
function useFocusHeadingAfterNavigation(page: Page | null) {
  const first = useRef(true);
  useEffect(() => {
    if (page === null) return;
    // The first page drawn is where the app opened (the one left), not a navigation.
    if (first.current) {
      first.current = false;
      return;
    }
    let frame = 0;
    const deadline = performance.now() + 3000;
    const tryFocus = () => {
      if (focusHeading()) return;
      if (performance.now() < deadline) frame = requestAnimationFrame(tryFocus);
    };
    frame = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(frame);
  }, [page]);
}

function Shell() {
  const { ready, page, go } = useNavigation();
  const { list, refresh } = useSession();
  const { data: info } = useAppInfo();
  const bus = useCommandBus();
  const [paletteOpen, setPaletteOpenState] = useState(false);
  const [paletteLoaded, setPaletteLoaded] = useState(false);
  // Where focus goes back to when the palette closes without going anywhere.
  const returnFocus = useRef<HTMLElement | null>(null);
  const setPaletteOpen = useCallback((next: boolean | ((open: boolean) => boolean)) => {
    setPaletteLoaded(true);
    setPaletteOpenState((open) => {
      const value = typeof next === 'function' ? next(open) : next;
      if (value && !open) returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      return value;
    });
  }, []);
  const View = PAGE_VIEW[page];
  useEffect(() => (ready ? preloadPages() : undefined), [ready]);
  useFocusHeadingAfterNavigation(ready ? page : null);

  const newConversation = useCallback(() => {
    go('ask');
    bus.send({ type: 'new-conversation' });
  }, [go, bus]);

  const runMenuCommand = useCallback(
    (command: MenuCommand) => {
      if (command === 'palette') setPaletteOpen((open) => !open);
      else if (command === 'new-conversation') newConversation();
      else if (command === 'find') bus.send({ type: 'find' });
      else go(command);
    },
    [go, bus, newConversation, setPaletteOpen],
  );

  // The shortcuts; the app menu carries the same ones (main/menu.ts) and sends the same commands.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(isMac ? event.metaKey : event.ctrlKey) || event.altKey || event.shiftKey) return;
      const key = event.key.toLowerCase();
      const index = Number(event.key) - 1;
      let command: MenuCommand | null = null;
      if (index >= 0 && index < PAGES.length) command = PAGES[index];
      else if (key === 'k') command = 'palette';
      else if (key === 'n') command = 'new-conversation';
      else if (key === ',') command = 'settings';
      else if (key === 'f') {
        // Only when the page has a search; otherwise the key does what it did before.
        if (!bus.has('find')) return;
        command = 'find';
      }
      if (!command) return;
      event.preventDefault();
      runMenuCommand(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [bus, runMenuCommand]);

  // The app menu (Electron only).
  useEffect(() => gaia.app.onCommand(({ command }) => runMenuCommand(command)), [runMenuCommand]);

  return (
    <Tooltip.Provider delayDuration={400}>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        if (!focusHeading()) document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <ShellFrame
        rail={
          <Rail
            current={ready ? page : null}
            go={go}
            openPalette={() => setPaletteOpen(true)}
            profile={<ActiveProfile />}
            version={info ? { name: info.name, version: info.version, where: `${info.platform}${info.shell === 'preview' ? ' · preview' : ''}` } : { ...__GAIA_BUILD__, where: '' }}
          />
        }
        mainLabel={ready ? PAGE_LABELS[page] : undefined}
      >
        <StreamNotice />
        {/* Drawn with the rail, before settings say which page was left; the page waits for that. */}
        {ready && (
          <div className="page-frame" data-width={WIDTHS[page]} data-page={page}>
            <Suspense key={page} fallback={<p className="page-loading">Loading {PAGE_LABELS[page]}…</p>}>
              <View />
            </Suspense>
          </div>
        )}
      </ShellFrame>
      {paletteLoaded && (
      <Suspense fallback={null}>
      <Palette
        open={paletteOpen}
        onOpenChange={setPaletteOpen}
        returnFocus={returnFocus}
        profiles={list?.profiles ?? []}
        activeId={list?.activeId ?? null}
        actions={{
          go,
          newConversation,
          openConversation: (id) => {
            go('ask');
            bus.send({ type: 'open-conversation', id });
          },
          openDataset: (name) => {
            go('datasets');
            bus.send({ type: 'open-dataset', name });
          },
          find: bus.has('find') ? () => bus.send({ type: 'find' }) : null,
          activate: async (profile) => {
            await gaia.profiles.activate({ id: profile.id });
            await refresh();
          },
        }}
      />
      </Suspense>
      )}
    </Tooltip.Provider>
  );
}

function Themed({ children }: { children: ReactNode }) {
  useTheme();
  return children;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Themed>
        <SessionProvider>
          <CommandProvider>
            <NavigationProvider initial="connections">
              <Shell />
            </NavigationProvider>
          </CommandProvider>
        </SessionProvider>
      </Themed>
    </QueryClientProvider>
  );
}
