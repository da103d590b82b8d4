import { useCallback, useEffect, useState } from 'react';
import type { AppErrorInfo, KeychainStatus, Profile } from '../../../preload/contract';
import { GaiaError } from '../../../preload/contract';
import { gaia } from '../../api';
import { useNavigation } from '../../navigation';
import { useSession } from '../../session';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { ConnectForm } from './ConnectForm';
import { ProfileCard } from './ProfileCard';
import './connections.css';

const DEFAULT_KEY_AGE_DAYS = 90;

/** What the keychain said when probed: nothing when it works; the problem, the fix and the session-only way out when not. */
function KeychainBanner({ status, onChange }: { status: KeychainStatus | null; onChange: (s: KeychainStatus) => void }) {
  const [error, setError] = useState<AppErrorInfo | null>(null);
  if (!status) return null;
  if (status.sessionOnly) {
    return (
      <p className="notice notice-info" role="note">
        Keys are kept in memory for this session only: they are forgotten when Gaia Desktop quits, and you will paste them again next time.
      </p>
    );
  }
  if (status.available || !status.problem) return null;
  const sessionOnly = async () => {
    try {
      onChange(await gaia.keychain.useSessionOnly({}));
    } catch (err) {
      if (err instanceof GaiaError) setError(err.info);
      else throw err;
    }
  };
  return (
    <section className="notice notice-danger" aria-label="Keychain problem">
      <h2>Your keys cannot be kept safely on this computer</h2>
      <p className="strong">{status.problem.message}</p>
      <p>{status.problem.action}</p>
      <div className="row">
        <button type="button" className="primary" onClick={() => void sessionOnly()}>
          Keep keys for this session only
        </button>
        <button type="button" onClick={() => void gaia.keychain.status({}).then(onChange, () => undefined)}>
          Check the keychain again
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

export function ConnectionsPage() {
  const { list, active, error, refresh } = useSession();
  const { go } = useNavigation();
  const [adding, setAdding] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [keychain, setKeychain] = useState<KeychainStatus | null>(null);
  const [keyAgeWarningDays, setKeyAgeWarningDays] = useState(DEFAULT_KEY_AGE_DAYS);

  useEffect(() => {
    let live = true;
    gaia.keychain.status({}).then(
      (s) => live && setKeychain(s),
      () => undefined,
    );
    gaia.settings.get({}).then(
      (s) => live && setKeyAgeWarningDays(s.keyAgeWarningDays),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const connected = useCallback(
    async (profile: Profile) => {
      setAdding(false);
      await refresh();
      setStatus(`Connected to “${profile.name}”. Its key ending …${profile.key.last4 ?? ''} is ${profile.key.storage === 'session' ? 'kept for this session only' : 'in your keychain'}.`);
      // The keychain may have been switched to session-only on the way.
      gaia.keychain.status({}).then(setKeychain, () => undefined);
    },
    [refresh],
  );

  const rotate = async (profile: Profile) => {
    if (profile.id !== active?.id) {
      try {
        await gaia.profiles.activate({ id: profile.id });
        await refresh();
      } catch (err) {
        if (err instanceof GaiaError) setStatus(err.info.message);
        return;
      }
    }
    go('keys');
  };

  const profiles = list?.profiles ?? [];
  const problems = list?.problems ?? [];
  const showForm = list !== null && (profiles.length === 0 || adding);

  return (
    <div className="connections-page">
      <div className="page-head">
        <h1>Connections</h1>
        {profiles.length > 0 && !adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add connection
          </button>
        )}
      </div>

      <p role="status" aria-live="polite" className={status ? 'notice notice-ok' : 'visually-hidden'}>
        {status}
      </p>
      {error && <ErrorNotice error={error} onRetry={() => void refresh()} />}
      {problems.map((p) => (
        <div key={`${p.file}:${p.movedTo ?? ''}`} className="notice notice-warn" role="alert">
          <p className="strong">Some saved connections could not be read.</p>
          <p>{p.message}</p>
          {p.movedTo && (
            <p className="muted">
              The damaged file was kept as <code>{p.movedTo}</code>, so nothing is lost.
            </p>
          )}
        </div>
      ))}
      <KeychainBanner status={keychain} onChange={setKeychain} />

      {list !== null && profiles.length === 0 && (
        <EmptyState title="Connect to Gaia first">
          <p>
            Add a connection with your Gaia base URL (for Helios: <code>https://helios.cohesity.com/v2/mcm/gaia</code>) and an API key from Helios →
            Settings → Access Management → API Keys. The key is checked with Gaia before anything is saved, and kept in your system’s keychain.
          </p>
        </EmptyState>
      )}

      {showForm && <ConnectForm onConnected={(p) => void connected(p)} onCancel={profiles.length > 0 ? () => setAdding(false) : undefined} />}

      {profiles.length > 0 && !active && (
        <p className="notice notice-warn" role="note">
          No connection is active. Choose “Use this connection” on one of them to browse datasets and ask questions.
        </p>
      )}
      {profiles.length > 0 && (
        <section aria-label="Saved connections">
          <ul className="profile-list">
            {profiles.map((p) => (
              <ProfileCard
                key={p.id}
                profile={p}
                active={p.id === active?.id}
                keyAgeWarningDays={keyAgeWarningDays}
                onChanged={refresh}
                onStatus={setStatus}
                onRotate={(profile) => void rotate(profile)}
              />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
