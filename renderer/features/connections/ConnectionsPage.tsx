import { useCallback, useEffect, useState } from 'react';
import type { AppErrorInfo, KeychainStatus, Profile } from '../../../preload/contract';
import { GaiaError } from '../../../preload/gaia-error';
import { gaia } from '../../api';
import { useNavigation } from '../../navigation';
import { useSession } from '../../session';
import { ArrowRight, CircleCheck, Plus } from 'lucide-react';
import { useSettings } from '../../queries';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { CodeSpans } from '../../ui/CodeSpans';
import { keyPlace } from '../../ui/keyPlace';
import { Sheet } from '../../ui/Sheet';
import { ConnectForm } from './ConnectForm';
import { ProfileCard } from './ProfileCard';
import './connections.css';

const DEFAULT_KEY_AGE_DAYS = 90;

/** What the keychain said when probed: nothing when it works; the problem, the fix and the session-only way out when not. */
function KeychainBanner({ status, onChange }: { status: KeychainStatus | null; onChange: (s: KeychainStatus) => void }) {
  const [error, setError] = useState<AppErrorInfo | null>(null);
  if (!status) return null;
  if (status.sessionOnly) {
    // Says what is lost and what is not, so nobody re-creates connections or fears for their history.
    return (
      <div className="notice notice-info" role="note" aria-label="Keys for this session only">
        <p>
          Keys are kept in memory for this session only{status.problem ? ', because no keychain is usable here' : ''}: they are forgotten when Gaia
          Desktop quits, and you will paste them again next time. Connections, settings and history are saved as usual. The command line and local
          assistants cannot use these keys.
        </p>
        {status.problem && (
          <details>
            <summary>Why, and how to use a keychain instead</summary>
            <p><CodeSpans text={status.problem.message} /></p>
            <p><CodeSpans text={status.problem.action} /></p>
          </details>
        )}
      </div>
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
      <p className="strong"><CodeSpans text={status.problem.message} /></p>
      <p><CodeSpans text={status.problem.action} /></p>
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
  const [welcome, setWelcome] = useState<Profile | null>(null);
  const [keychain, setKeychain] = useState<KeychainStatus | null>(null);
  const keyAgeWarningDays = useSettings().data?.keyAgeWarningDays ?? DEFAULT_KEY_AGE_DAYS;

  // The list is cached for the whole renderer, and calls made since it was read (Ask,
  // Datasets) have moved the cards' "Last used": read it again whenever the page opens.
  useEffect(() => {
    void refresh().catch(() => undefined);
  }, [refresh]);

  useEffect(() => {
    let live = true;
    gaia.keychain.status({}).then(
      (s) => live && setKeychain(s),
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
      setWelcome(profile);
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
  const firstRun = list !== null && profiles.length === 0;

  return (
    <div className="connections-page">
      <div className="page-head">
        <h1>Connections</h1>
        {profiles.length > 0 && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            <Plus size={16} aria-hidden />
            Add connection
          </button>
        )}
      </div>

      <div className={status ? 'notice notice-ok connected-notice' : 'sr-only'}>
        <p role="status" aria-live="polite" className="row">
          {status && <CircleCheck size={18} aria-hidden className="text-ok" />}
          {status}
        </p>
        {status && welcome && welcome.id === active?.id && (
          <div className="row next-steps">
            <span className="muted">Next:</span>
            <button type="button" className="primary" onClick={() => go('datasets')}>
              Browse datasets
              <ArrowRight size={16} aria-hidden />
            </button>
            <button type="button" onClick={() => go('ask')}>
              Ask a question
            </button>
          </div>
        )}
      </div>
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

      {firstRun && (
        <section className="panel first-run" aria-labelledby="first-run-title">
          <h2 id="first-run-title">Connect to Gaia first</h2>
          <p className="muted">
            Your Gaia base URL (for Helios: <code>https://helios.cohesity.com/v2/mcm/gaia</code>) and an API key from Helios → Settings → Access
            Management → API Keys. The key is checked with Gaia before anything is saved, and
            {keyPlace(keychain) === 'keychain' ? ' kept in your system’s keychain.' : ' kept in memory until Gaia Desktop quits, as no keychain is in use.'}
          </p>
          <ConnectForm keychain={keychain} onConnected={(p) => void connected(p)} />
        </section>
      )}
      <Sheet title="Add a connection" open={adding} onOpenChange={setAdding}>
        <ConnectForm keychain={keychain} onConnected={(p) => void connected(p)} onCancel={() => setAdding(false)} />
      </Sheet>

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
