import { RefreshCw, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import type { AppErrorInfo, Profile } from '../../../preload/contract';
import { gaia } from '../../api';
import { useNavigation } from '../../navigation';
import { useSettings } from '../../queries';
import { useSession } from '../../session';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { toProblem } from '../../ui/errors';
import { daysSince } from '../connections/dates';
import { CreateKey } from './CreateKey';
import { endingLabel, masked, PERMISSION_LABELS, type Permission, type ServiceKey } from './keyText';
import { NewKeyPanel } from './NewKeyPanel';
import { RotatePanel } from './RotatePanel';
import { useKeys } from './useKeys';
import './keys.css';
import { hostOf } from '../../ui/host';

const IN_USE_REASON = 'This connection uses this key: rotate it instead.';

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
            <button type="button" className="primary" onClick={() => go('connections')}>
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
  const { refresh: refreshSession, list } = useSession();
  const { keys, loading, error: listFailure, reload, replace } = useKeys(profile);
  const listError = listFailure ? toProblem(listFailure, profile) : null;
  const load = () => void reload();
  const [created, setCreated] = useState<ServiceKey | null>(null);
  const [rowBusy, setRowBusy] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ handle: string; error: AppErrorInfo } | null>(null);
  const [deleting, setDeleting] = useState<ServiceKey | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<AppErrorInfo | null>(null);
  const keyAgeWarningDays = useSettings().data?.keyAgeWarningDays ?? 90;
  /** The other local connections on this service that hold a key with these last four characters. */
  const host = hostOf(profile.baseUrl);
  const usedBy = (k: ServiceKey) =>
    (list?.profiles ?? []).filter((p) => p.key.last4 && p.key.last4 === k.last4 && hostOf(p.baseUrl) === host && (p.id !== profile.id || k.isCurrent)).map((p) => p.name);

  const changePermissions = async (key: ServiceKey, permissions: Permission) => {
    setRowBusy(key.handle);
    setRowError(null);
    try {
      const updated = await gaia.keys.update({ handle: key.handle, permissions });
      replace(updated);
      setStatus(`The key ${endingLabel(updated.last4)} is now ${PERMISSION_LABELS[permissions].toLowerCase()}.`);
    } catch (err) {
      setRowError({ handle: key.handle, error: toProblem(err, profile) });
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
      await reload();
    } catch (err) {
      setDeleteError(toProblem(err, profile));
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
  const inUseReasonId = useId();
  const keyAge = profile.key.addedAt !== null ? daysSince(profile.key.addedAt) : null;

  return (
    <div className="keys-page">
      <div className="page-head">
        <h1>Keys</h1>
        <button type="button" onClick={load} disabled={loading}>
          <RefreshCw size={15} aria-hidden="true" /> {loading ? 'Loading…' : 'Refresh'}
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
        {listError && <ErrorNotice error={listError} onRetry={load} />}
        {keys && keys.length === 0 && <p className="muted">No keys are listed on this service.</p>}
        {keys && keys.length > 0 && (
          <table className="keys-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Used by</th>
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
                    <span className="sr-only">Key {endingLabel(k.last4)}</span>
                    <span className="key-badges">
                      {k.isCurrent && <span className="badge badge-active">This connection’s key</span>}
                      {created?.handle === k.handle && <span className="badge badge-accent">New</span>}
                    </span>
                    {rowError?.handle === k.handle && <ErrorNotice error={rowError.error} />}
                  </td>
                  <td className="key-used-by">
                    {usedBy(k).length > 0 ? usedBy(k).join(', ') : <span className="muted">No connection on this computer</span>}
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
                    {/* The key in use stays focusable (aria-disabled, not disabled), so a keyboard
                        or screen reader user reaches the button and hears why it does nothing. */}
                    <button
                      type="button"
                      className="quiet danger icon"
                      aria-label={`Delete the key ${endingLabel(k.last4)}`}
                      aria-disabled={k.isCurrent || undefined}
                      aria-describedby={k.isCurrent ? inUseReasonId : undefined}
                      disabled={rowBusy === k.handle}
                      title={k.isCurrent ? IN_USE_REASON : undefined}
                      onClick={() => {
                        if (k.isCurrent) return;
                        setDeleteError(null);
                        setDeleting(k);
                      }}
                    >
                      <Trash2 size={16} aria-hidden />
                    </button>
                    {k.isCurrent && (
                      <span id={inUseReasonId} className="sr-only">
                        {IN_USE_REASON}
                      </span>
                    )}
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
          load();
        }}
      />

      <RotatePanel
        profile={profile}
        keyAgeDays={keyAge}
        keyAgeWarningDays={keyAgeWarningDays}
        onRotated={(message) => void afterProfileChange(message)}
        onFailed={load}
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
