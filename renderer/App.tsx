import { useEffect, useState, type ComponentType } from 'react';
import type { Response } from '../preload/contract';
import { gaia } from './api';
import { AskPage } from './features/ask/AskPage';
import { ConnectionsPage } from './features/connections/ConnectionsPage';
import { DatasetsPage } from './features/datasets/DatasetsPage';
import { KeysPage } from './features/keys/KeysPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { NavigationProvider, PAGES, useNavigation, type Page } from './navigation';
import { SessionProvider, useSession } from './session';
import { useTheme } from './ui/useTheme';

const LABELS: Record<Page, string> = {
  connections: 'Connections',
  datasets: 'Datasets',
  ask: 'Ask',
  keys: 'Keys',
  settings: 'Settings',
};

const VIEWS: Record<Page, ComponentType> = {
  connections: ConnectionsPage,
  datasets: DatasetsPage,
  ask: AskPage,
  keys: KeysPage,
  settings: SettingsPage,
};

/** The active connection, always in view; red while its certificate checks are off. */
function ActiveProfile() {
  const { active } = useSession();
  const { go } = useNavigation();
  if (!active) return null;
  return (
    <button
      type="button"
      className={`active-profile${active.verifyTls ? '' : ' insecure'}`}
      aria-label={`Active connection: ${active.name}${active.verifyTls ? '' : ' (certificate checks off)'}`}
      onClick={() => go('connections')}
    >
      <span className="active-profile-name">{active.name}</span>
      <span className="active-profile-key">{active.key.last4 ? `Key ending …${active.key.last4}` : active.key.storage === 'none' ? 'No key stored' : 'Key stored'}</span>
      {!active.verifyTls && <span className="active-profile-warning">Certificate checks off</span>}
    </button>
  );
}

function Shell({ info }: { info: Response<'gaia:app.info'> | null }) {
  const { page, go } = useNavigation();
  const View = VIEWS[page];

  // Ctrl/Cmd + 1…5 jump between pages, as in most desktop apps with a sidebar.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const index = Number(event.key) - 1;
      if (index >= 0 && index < PAGES.length) {
        event.preventDefault();
        go(PAGES[index]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand" aria-hidden="true">
          Gaia
        </div>
        <ul>
          {PAGES.map((p, i) => (
            <li key={p}>
              <button
                type="button"
                className="nav-item"
                aria-current={p === page ? 'page' : undefined}
                aria-keyshortcuts={`Control+${i + 1}`}
                onClick={() => go(p)}
              >
                {LABELS[p]}
              </button>
            </li>
          ))}
        </ul>
        <ActiveProfile />
        {info && (
          <p className="version" aria-label="Version">
            {info.name} {info.version} · {info.platform}
            {info.shell === 'preview' ? ' · preview' : ''}
          </p>
        )}
      </nav>
      <main className="content" aria-label={LABELS[page]}>
        <View />
      </main>
    </div>
  );
}

export function App() {
  const [info, setInfo] = useState<Response<'gaia:app.info'> | null>(null);
  useTheme();
  useEffect(() => {
    gaia.app.info({}).then(setInfo, () => setInfo(null));
  }, []);
  return (
    <SessionProvider>
      <NavigationProvider initial="connections">
        <Shell info={info} />
      </NavigationProvider>
    </SessionProvider>
  );
}
