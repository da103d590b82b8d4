import { useCallback, useEffect, useId, useState } from 'react';
import type { AppErrorInfo, Profile, Response } from '../../../preload/contract';
import { GaiaError } from '../../../preload/contract';
import { gaia } from '../../api';
import { useNavigation } from '../../navigation';
import { useSession } from '../../session';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { daysSince } from '../connections/dates';
import { ProblemNotice } from '../../ui/ProblemNotice';
import { RotatePanel } from './RotatePanel';
import './keys.css';

type ServiceKey = Response<'gaia:keys.list'>['keys'][number];
type Permission = 'read' | 'write';

export const masked = (last4: string) => (last4 ? `•••• •••• ${last4}` : '••••••••');
export const endingLabel = (last4: string) => (last4 ? `ending ${last4}` : 'too short to show');

const PERMISSION_LABELS: Record<string, string> = { read: 'Read only', write: 'Read and write' };

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function caught(err: unknown): AppErrorInfo {
  if (err instanceof GaiaError) return err.info;
  throw err;
}

export function KeysPage() {
  const { active, list } = useSession();
  const { go } = useNavigation();
  // Kept here, so a message survives the page re-keying itself on a new key.
  const [status, setStatus] = useState<string | null>(null);
  if (!active) {
    return (
      <>
        <h1>Keys</h1>
        <EmptyState
          title={list && list.profiles.length > 0 ? 'No connection is active' : 'Connect to Gaia first'}
          action={
            <button type="button" onClick={() => go('connections')}>
              Go to Connections
            </button>
          }
        >
          <p>Keys are managed on the Gaia key service of the active connection. Choose or add a connection first.</p>
        </EmptyState>
      </>
    );
  }
  // A fresh page per connection, so nothing of another connection's keys lingers.
  return <KeysForProfile key={active.id} profile={active} status={status} setStatus={setStatus} />;
}

function KeysForProfile({ profile, status, setStatus }: { profile: Profile; status: string | null; setStatus: (s: string | null) => void }) {
  const { refresh: refreshSession } = useSession();
  const [keys, setKeys] = useState<ServiceKey[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [listError, setListError] = useState<AppErrorInfo | null>(null);
  const [created, setCreated] = useState<ServiceKey | null>(null);
  const [rowBusy, setRowBusy] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ handle: string; error: AppErrorInfo } | null>(null);
  const [deleting, setDeleting] = useState<ServiceKey | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<AppErrorInfo | null>(null);
  const [keyAgeWarningDays, setKeyAgeWarningDays] = useState(90);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const { keys } = await gaia.keys.list({});
      setKeys(keys);
      setListError(null);
    } catch (err) {
      setListError(caught(err));
    } finally {
      setLoading(false);
    }
  }, []);

  // Loaded again whenever the connection's key changes (used a new key, rotated, replaced).
  const keyStamp = `${profile.key.last4 ?? ''}:${profile.key.addedAt ?? ''}`;
  useEffect(() => {
    let live = true;
    gaia.keys.list({}).then(
      ({ keys }) => {
        if (!live) return;
        setKeys(keys);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        if (err instanceof GaiaError) setListError(err.info);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [keyStamp]);

  useEffect(() => {
    let live = true;
    gaia.settings.get({}).then(
      (s) => live && setKeyAgeWarningDays(s.keyAgeWarningDays),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const changePermissions = async (key: ServiceKey, permissions: Permission) => {
    setRowBusy(key.handle);
    setRowError(null);
    try {
      const updated = await gaia.keys.update({ handle: key.handle, permissions });
      setKeys((all) => all?.map((k) => (k.handle === updated.handle ? updated : k)) ?? null);
      setStatus(`The key ${endingLabel(updated.last4)} is now ${PERMISSION_LABELS[permissions].toLowerCase()}.`);
    } catch (err) {
      setRowError({ handle: key.handle, error: caught(err) });
    } finally {
      setRowBusy(null);
    }
  };

  const confirmDelete = async () => {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      const { deleted } = await gaia.keys.delete({ handle: deleting.handle });
      setStatus(deleted ? `Deleted the key ${endingLabel(deleting.last4)}.` : `The key ${endingLabel(deleting.last4)} was already gone.`);
      if (created?.handle === deleting.handle) setCreated(null);
      setDeleting(null);
      await load();
    } catch (err) {
      setDeleteError(caught(err));
    } finally {
      setDeleteBusy(false);
    }
  };

  const afterProfileChange = async (message: string) => {
    setStatus(message);
    // The session's new key facts reload the list (and move "this connection's key").
    await refreshSession();
  };

  const current = keys?.find((k) => k.isCurrent) ?? null;
  const keyAge = profile.key.addedAt !== null ? daysSince(profile.key.addedAt) : null;

  return (
    <div className="keys-page">
      <div className="page-head">
        <h1>Keys</h1>
        <button type="button" onClick={() => void load()} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <p className="muted">
        API keys on the Gaia key service of <strong>{profile.name}</strong> (<code>{hostOf(profile.baseUrl)}</code>). Keys are shown only by their last four
        characters.
      </p>
      <p role="status" aria-live="polite" className={status ? 'notice notice-ok' : 'visually-hidden'}>
        {status}
      </p>

      {created && (
        <NewKeyPanel
          created={created}
          profile={profile}
          onClose={() => setCreated(null)}
          onUsed={(message) => {
            setCreated(null);
            void afterProfileChange(message);
          }}
        />
      )}

      <section className="panel" aria-labelledby="keys-list-heading">
        <h2 id="keys-list-heading">Keys on this service</h2>
        {listError && <ErrorNotice error={listError} onRetry={() => void load()} />}
        {keys && keys.length === 0 && <p className="muted">No keys are listed on this service.</p>}
        {keys && keys.length > 0 && (
          <table className="keys-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Permissions</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.handle} aria-label={`Key ${endingLabel(k.last4)}`} className={k.isCurrent ? 'current' : undefined}>
                  <td>
                    <code className="masked-key" aria-hidden="true">
                      {masked(k.last4)}
                    </code>
                    <span className="visually-hidden">Key {endingLabel(k.last4)}</span>
                    {k.isCurrent && <span className="badge badge-active">This connection’s key</span>}
                    {created?.handle === k.handle && <span className="badge">New</span>}
                    {rowError?.handle === k.handle && <ErrorNotice error={rowError.error} />}
                  </td>
                  <td>
                    <select
                      aria-label={`Permissions of the key ${endingLabel(k.last4)}`}
                      value={k.permissions}
                      disabled={rowBusy === k.handle}
                      onChange={(e) => void changePermissions(k, e.target.value as Permission)}
                    >
                      {k.permissions !== 'read' && k.permissions !== 'write' && (
                        <option value={k.permissions} disabled>
                          {k.permissions}
                        </option>
                      )}
                      <option value="read">{PERMISSION_LABELS.read}</option>
                      <option value="write">{PERMISSION_LABELS.write}</option>
                    </select>
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Delete the key ${endingLabel(k.last4)}`}
                      disabled={k.isCurrent || rowBusy === k.handle}
                      title={k.isCurrent ? 'This connection uses this key: rotate it instead.' : undefined}
                      onClick={() => {
                        setDeleteError(null);
                        setDeleting(k);
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {keys && !current && profile.key.storage !== 'none' && (
          <p className="muted">This connection’s own key is not in the list (the service may list only some keys).</p>
        )}
      </section>

      <CreateKey
        pending={created !== null}
        onCreated={(key) => {
          setCreated(key);
          setStatus(null);
          void load();
        }}
      />

      <RotatePanel
        profile={profile}
        keyAgeDays={keyAge}
        keyAgeWarningDays={keyAgeWarningDays}
        onRotated={(message) => void afterProfileChange(message)}
        onFailed={() => void load()}
      />

      {deleting && (
        <ConfirmDialog
          title={`Delete the key ${endingLabel(deleting.last4)}?`}
          confirmLabel="Delete key"
          danger
          busy={deleteBusy}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void confirmDelete()}
        >
          <p>
            The key is deleted on Gaia and stops working at once, for everyone and every app that uses it ({PERMISSION_LABELS[deleting.permissions] ?? deleting.permissions}). This
            cannot be undone.
          </p>
          {deleteError && <ErrorNotice error={deleteError} />}
        </ConfirmDialog>
      )}
    </div>
  );
}

function CreateKey({ pending, onCreated }: { pending: boolean; onCreated: (key: ServiceKey) => void }) {
  const [permissions, setPermissions] = useState<Permission>('read');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const name = useId();

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      onCreated(await gaia.keys.create({ permissions }));
    } catch (err) {
      setError(caught(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={`${name}-h`}>
      <h2 id={`${name}-h`}>Create a key</h2>
      <form
        className="create-key"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && !pending) void create();
        }}
      >
        <fieldset>
          <legend>Permissions for the new key</legend>
          <label className="checkbox">
            <input type="radio" name={name} value="read" checked={permissions === 'read'} onChange={() => setPermissions('read')} />
            Read only — ask questions and browse datasets
          </label>
          <label className="checkbox">
            <input type="radio" name={name} value="write" checked={permissions === 'write'} onChange={() => setPermissions('write')} />
            Read and write — also make changes, such as managing keys
          </label>
        </fieldset>
        <div className="row">
          <button type="submit" className="primary" disabled={busy || pending}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
          <span className="muted">
            {pending ? 'Keep or dismiss the new key above first.' : 'Give each app or person its own key, with the least permission it needs.'}
          </span>
        </div>
      </form>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

/** A key just created: shown once (masked even now), and kept by main until the user stores or copies it. */
function NewKeyPanel({ created, profile, onClose, onUsed }: { created: ServiceKey; profile: Profile; onClose: () => void; onUsed: (message: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [copyMessage, setCopyMessage] = useState<string | null>(null);
  const [kept, setKept] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);

  const use = async () => {
    setBusy(true);
    setError(null);
    try {
      const { profile: updated } = await gaia.keys.useForProfile({ handle: created.handle, profileId: profile.id });
      onUsed(`“${updated.name}” now uses the new key ending …${updated.key.last4 ?? created.last4}${updated.key.storage === 'session' ? ' (kept for this session only)' : ', kept in your keychain'}.`);
    } catch (err) {
      setError(caught(err));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await gaia.keys.copy({ handle: created.handle });
      setCopyMessage(result.message);
      if (result.copied) setKept(true);
    } catch (err) {
      setError(caught(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel new-key" aria-label="New key">
      <h2>New key created</h2>
      <p>
        <code className="masked-key">{masked(created.last4)}</code> · {PERMISSION_LABELS[created.permissions] ?? created.permissions}
      </p>
      <p className="strong text-warn">
        Keep it now: Gaia will not show this key again. Store it for a connection, or copy it for another app. Gaia Desktop never shows the key itself.
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={() => void use()} disabled={busy}>
          Use it for this connection
        </button>
        <button type="button" onClick={() => void copy()} disabled={busy}>
          Copy key
        </button>
        <button type="button" onClick={() => (kept ? onClose() : setConfirmClose(true))} disabled={busy}>
          Done
        </button>
      </div>
      <p className="hint">“Use it for this connection” checks the key with Gaia, then stores it in your keychain for “{profile.name}” in place of its current key.</p>
      {copyMessage && (
        <p role="status" className={`copy-message notice ${kept ? 'notice-ok' : 'notice-warn'}`}>
          {copyMessage}
        </p>
      )}
      {error && <ProblemNotice error={error} onRetry={() => void use()} />}
      {confirmClose && (
        <ConfirmDialog
          title="Close without keeping the new key?"
          confirmLabel="Close"
          onCancel={() => setConfirmClose(false)}
          onConfirm={() => {
            setConfirmClose(false);
            onClose();
          }}
        >
          <p>The key stays on Gaia, but it cannot be shown or copied again. If nobody will use it, delete it from the list.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
