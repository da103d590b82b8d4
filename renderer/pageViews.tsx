/**
 * Each page is its own chunk: the first screen loads only what it shows. Once it is drawn,
 * the other pages' chunks load while the app is idle, so going to a page later draws it at
 * once: a page that had to wait for its chunk showed its "Loading …" fallback, which React
 * then holds for about 300 ms before it reveals the page, however fast the chunk came.
 */
import { lazy, useState, type ComponentType } from 'react';
import type { Page } from './navigation';

function pageView<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  let loaded: ComponentType | null = null;
  let loading: Promise<ComponentType> | null = null;
  const preload = () => (loading ??= load().then((m) => (loaded = m[name])));
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  function View() {
    // Chosen once per mount: swapping Lazy for the loaded component under a drawn page would remount it.
    const [Component] = useState<ComponentType>(() => loaded ?? Lazy);
    return <Component />;
  }
  return { View, preload };
}

const PAGE_VIEWS: Record<Page, { View: ComponentType; preload(): Promise<unknown> }> = {
  connections: pageView(() => import('./features/connections/ConnectionsPage'), 'ConnectionsPage'),
  datasets: pageView(() => import('./features/datasets/DatasetsPage'), 'DatasetsPage'),
  ask: pageView(() => import('./features/ask/AskPage'), 'AskPage'),
  keys: pageView(() => import('./features/keys/KeysPage'), 'KeysPage'),
  settings: pageView(() => import('./features/settings/SettingsPage'), 'SettingsPage'),
};

export const PAGE_VIEW = Object.fromEntries(Object.entries(PAGE_VIEWS).map(([page, { View }]) => [page, View])) as Record<Page, ComponentType>;

/** The other pages' chunks, one at a time while the app is idle. */
export function preloadPages(): () => void {
  let cancelled = false;
  let handle = 0;
  const queue = Object.values(PAGE_VIEWS);
  const next = () => {
    const view = queue.shift();
    if (cancelled || !view) return;
    void view.preload().finally(() => {
      if (!cancelled) handle = requestIdleCallback(next, { timeout: 2000 });
    });
  };
  handle = requestIdleCallback(next, { timeout: 2000 });
  return () => {
    cancelled = true;
    cancelIdleCallback(handle);
  };
}
