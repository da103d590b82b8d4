import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { AppErrorInfo, Profile } from '../../../preload/contract';
import { GaiaError } from '../../../preload/gaia-error';
import { gaia } from '../../api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { ago, daysSince, daysUntil, formatDate, fromDateInput, toDateInput } from './dates';
import { ProblemNotice } from '../../ui/ProblemNotice';
import { ApiKeyInput } from './ApiKeyInput';
import { PresentedChain, commonName } from './certificates';
import { EditProfileForm } from './EditProfileForm';
import { KeyHelp } from './KeyHelp';
import { Sheet } from '../../ui/Sheet';
import { hasExpired, toProblem } from '../../ui/errors';
import { hostOf } from '../../ui/host';

/** Days before a key's expiry date that the reminder appears (rotate in time). */
export const EXPIRY_REMINDER_DAYS = 7;

/** The key's expiry as the user set it: a date to change or clear, saved on its own. */
function KeyExpiryForm({ profile, onSaved }: { profile: Profile; onSaved: (message: string) => void }) {
  const id = useId();
  const [value, setValue] = useState(toDateInput(profile.keyExpiresAt));
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const keyExpiresAt = fromDateInput(value);
      await gaia.profiles.update({ id: profile.id, keyExpiresAt });
      setError(null);
      onSaved(keyExpiresAt === null ? `“${profile.name}” has no key expiry date now.` : `The key of “${profile.name}” expires on ${formatDate(keyExpiresAt)}.`);
    } catch (err) {
      if (err instanceof GaiaError) setError(err.info);
      else throw err;
    }
  };
  return (
    <form className="expiry-form" aria-label="Key expiry date" onSubmit={(e) => void save(e)}>
      <h3>Key expiry</h3>
      <div className="field">
        <label htmlFor={id}>
          Key expires on <span className="optional">(optional)</span>
        </label>
        <div className="row">
          <input id={id} type="date" value={value} onChange={(e) => setValue(e.target.value)} style={{ maxWidth: '12rem' }} />
          <button type="submit">Save date</button>
        </div>
        <p className="hint">Gaia Desktop reminds you {EXPIRY_REMINDER_DAYS} days before, and explains a refused key after that date as expired.</p>
      </div>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}

/** Why the key should be rotated now, with the way to do it. */
function RotateNotice({ onRotate, children }: { onRotate: () => void; children: ReactNode }) {
  return (
    <div className="key-age" role="note">
      <p>{children}</p>
      <button type="button" onClick={onRotate}>
        Rotate key…
      </button>
    </div>
  );
}

type Panel = 'none' | 'edit' | 'replace' | 'confirm-delete' | 'confirm-forget';

export function keyLine(profile: Profile): string {
  const { key } = profile;
  if (key.storage === 'none') return 'No key stored';
  const ending = key.last4 ? `Key ending …${key.last4}` : 'Key stored';
  const added = key.addedAt ? `, added ${formatDate(key.addedAt)}` : '';
  return `${ending}${added}${key.storage === 'session' ? ' (kept for this session only)' : ''}`;
}

/** One connection: what it is, its state, and everything that can be done to it. */
export function ProfileCard({
  profile,
  active,
  keyAgeWarningDays,
  onChanged,
  onStatus,
  onRotate,
}: {
  profile: Profile;
  active: boolean;
  keyAgeWarningDays: number;
  /** After any change: refresh the session's list. */
  onChanged: () => Promise<void>;
  onStatus: (message: string) => void;
  onRotate: (profile: Profile) => void;
}) {
  const [panel, setPanel] = useState<Panel>('none');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const headingId = useId();
  const keyId = useId();

  const run = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setChecked(null);
    try {
      const message = await work();
      await onChanged();
      if (message) onStatus(message);
      return true;
    } catch (err) {
      if (err instanceof GaiaError) setError(toProblem(err, profile));
      else throw err;
      return false;
    } finally {
      setBusy(false);
    }
  };

  const activate = () => run(async () => (await gaia.profiles.activate({ id: profile.id }), `Now using “${profile.name}”.`));

  /** Re-checks the saved settings and key with Gaia without changing anything. */
  const check = async () => {
    setBusy(true);
    setError(null);
    setChecked(null);
    try {
      await gaia.profiles.update({ id: profile.id, verifyTls: profile.verifyTls });
      setChecked(`“${profile.name}” works: Gaia accepted its key.`);
    } catch (err) {
      if (err instanceof GaiaError) setError(toProblem(err, profile));
      else throw err;
    } finally {
      setBusy(false);
    }
  };

  const trustNew = (pem: string, fingerprint: string) =>
    run(async () => (await gaia.profiles.update({ id: profile.id, caPem: pem, trustedFingerprint: fingerprint }), `“${profile.name}” now trusts the new certificate.`));

  const expiresAt = profile.keyExpiresAt;
  const expired = hasExpired(expiresAt);
  const daysLeft = expiresAt !== null && !expired ? daysUntil(expiresAt) : null;
  const keyAge = profile.key.addedAt !== null ? daysSince(profile.key.addedAt) : null;
  const old = keyAge !== null && keyAge >= keyAgeWarningDays;

  return (
    <li className={`profile-card${active ? ' active' : ''}${profile.verifyTls ? '' : ' insecure'}`} aria-labelledby={headingId}>
      <div className="profile-head">
        <h2 id={headingId}>{profile.name}</h2>
        {active ? (
          <span className="badge badge-active">Active</span>
        ) : (
          <button type="button" className="primary" onClick={() => void activate()} disabled={busy}>
            Use this connection
          </button>
        )}
      </div>
      <dl className="profile-facts">
        <dt>Base URL</dt>
        <dd>
          <code>{profile.baseUrl}</code>
        </dd>
        <dt>API key</dt>
        <dd className={profile.key.storage === 'none' ? 'text-warn' : undefined}>{keyLine(profile)}</dd>
        {expiresAt !== null && (
          <>
            <dt>Key expires</dt>
            <dd className={expired ? 'text-danger' : undefined}>{expired ? `Expired on ${formatDate(expiresAt)}` : formatDate(expiresAt)}</dd>
          </>
        )}
        <dt>Last used</dt>
        <dd>{profile.lastUsedAt ? ago(profile.lastUsedAt) : 'Not yet'}</dd>
        <dt>Added</dt>
        <dd>{formatDate(profile.createdAt)}</dd>
        {profile.securityContext && (
          <>
            <dt>Security context</dt>
            <dd>Set</dd>
          </>
        )}
        {profile.proxyUrl && (
          <>
            <dt>Proxy</dt>
            <dd>
              <code>{profile.proxyUrl}</code>
            </dd>
          </>
        )}
        {profile.ca.length > 0 && (
          <>
            <dt>{profile.trustedFingerprint ? 'Trusted certificate' : 'CA certificate'}</dt>
            <dd>
              {profile.ca.map((c) => commonName(c.subject)).join(', ')} (expires {formatDate(Math.min(...profile.ca.map((c) => c.validTo)))})
            </dd>
          </>
        )}
      </dl>
      {!profile.verifyTls && (
        <p className="tls-off" role="note">
          Certificate verification is OFF for {hostOf(profile.baseUrl)}. Anyone on the network path could read this connection’s key and data. Turn it
          back on with Edit{profile.ca.length === 0 ? ', after adding the cluster’s CA certificate' : ''}.
        </p>
      )}
      {(expired || (daysLeft !== null && daysLeft <= EXPIRY_REMINDER_DAYS)) && (
        <RotateNotice onRotate={() => onRotate(profile)}>
          {expired
            ? `This key expired on ${formatDate(expiresAt!)}: Gaia will refuse it. Rotate it, or replace it with a new one.`
            : `This key expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${formatDate(expiresAt!)}). Rotate it in time: Gaia Desktop creates a new key, switches to it and deletes the old one.`}
        </RotateNotice>
      )}
      {old && !expired && (
        <RotateNotice onRotate={() => onRotate(profile)}>
          This key is {keyAge} days old (your reminder is set to {keyAgeWarningDays} days). Rotate it: Gaia Desktop creates a new key, switches to it and
          deletes the old one.
        </RotateNotice>
      )}
      {profile.key.storage === 'none' && panel !== 'replace' && (
        <p className="text-warn">This connection has no key, so it cannot reach Gaia. Add one with “Add key”.</p>
      )}

      <div className="row profile-actions">
        <button type="button" onClick={() => setPanel(panel === 'edit' ? 'none' : 'edit')} aria-expanded={panel === 'edit'} disabled={busy}>
          Edit
        </button>
        <button type="button" onClick={() => setPanel(panel === 'replace' ? 'none' : 'replace')} aria-expanded={panel === 'replace'} disabled={busy}>
          {profile.key.storage === 'none' ? 'Add key' : 'Replace key'}
        </button>
        <button type="button" onClick={() => void check()} disabled={busy || profile.key.storage === 'none'}>
          Check connection
        </button>
        {profile.key.storage !== 'none' && (
          <button type="button" onClick={() => setPanel('confirm-forget')} disabled={busy}>
            Forget key
          </button>
        )}
        <button type="button" className="quiet danger" onClick={() => setPanel('confirm-delete')} disabled={busy}>
          Delete
        </button>
      </div>

      {checked && (
        <p role="status" className="text-ok">
          {checked}
        </p>
      )}
      {error && (
        <div className="form-error">
          <ProblemNotice error={error} />
          <PresentedChain error={error} busy={busy} onTrust={(cert) => void trustNew(cert.pem, cert.fingerprint256)} />
        </div>
      )}

      <Sheet title={`Edit ${profile.name}`} open={panel === 'edit'} onOpenChange={(open) => setPanel(open ? 'edit' : 'none')}>
        <EditProfileForm
          profile={profile}
          onCancel={() => setPanel('none')}
          onSaved={(saved) => {
            setPanel('none');
            void onChanged().then(() => onStatus(`Saved “${saved.name}”.`));
          }}
        />
        <KeyExpiryForm
          profile={profile}
          onSaved={(message) => {
            setPanel('none');
            void onChanged().then(() => onStatus(message));
          }}
        />
      </Sheet>
      {panel === 'replace' && (
        <ReplaceKeyForm
          profile={profile}
          inputId={keyId}
          onDone={(message) => {
            setPanel('none');
            void onChanged().then(() => onStatus(message));
          }}
          onCancel={() => setPanel('none')}
        />
      )}
      {panel === 'confirm-delete' && (
        <ConfirmDialog
          title={`Delete “${profile.name}”?`}
          confirmLabel="Delete connection"
          danger
          busy={busy}
          onCancel={() => setPanel('none')}
          onConfirm={() =>
            void run(async () => (await gaia.profiles.delete({ id: profile.id })).keyLeftBehind ?? `Deleted “${profile.name}”.`).then((ok) => ok && setPanel('none'))
          }
        >
          <p>
            This removes the connection, its key from your keychain, and its local history. The key itself keeps working on Gaia: delete it in Helios (or
            on the Keys page first) if nobody needs it any more.
          </p>
          {error && <ErrorNotice error={error} />}
        </ConfirmDialog>
      )}
      {panel === 'confirm-forget' && (
        <ConfirmDialog
          title={`Forget the key of “${profile.name}”?`}
          confirmLabel="Forget key"
          danger
          busy={busy}
          onCancel={() => setPanel('none')}
          onConfirm={() =>
            void run(async () => (await gaia.profiles.forgetKey({ id: profile.id }), `The key of “${profile.name}” was removed from this computer.`)).then(
              (ok) => ok && setPanel('none'),
            )
          }
        >
          <p>
            The key is removed from your keychain; the connection stays, without a key, until you add one. The key itself keeps working on Gaia.
          </p>
          {error && <ErrorNotice error={error} />}
        </ConfirmDialog>
      )}
    </li>
  );
}

/** Replaces (or adds) a connection's key: the new key is checked with Gaia before the old one is dropped. */
function ReplaceKeyForm({ profile, inputId, onDone, onCancel }: { profile: Profile; inputId: string; onDone: (message: string) => void; onCancel: () => void }) {
  const [hasKey, setHasKey] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const ref = useRef<HTMLInputElement>(null);

  const replace = async () => {
    setBusy(true);
    setError(null);
    try {
      const { profile: updated } = await gaia.profiles.replaceKey({ id: profile.id, apiKey: ref.current?.value ?? '' });
      if (ref.current) ref.current.value = '';
      onDone(`“${updated.name}” now uses the key ending …${updated.key.last4 ?? ''}.`);
    } catch (err) {
      if (err instanceof GaiaError) setError(err.info);
      else throw err;
      ref.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="replace-form"
      aria-label={`New key for ${profile.name}`}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (!busy && hasKey) void replace();
      }}
    >
      <div className="field">
        <label htmlFor={inputId}>New API key</label>
        <ApiKeyInput id={inputId} ref={ref} label="New API key" onFilled={setHasKey} />
        <p className="hint">Checked with Gaia first; the current key is only dropped once the new one works.</p>
        <KeyHelp />
      </div>
      {error && <ProblemNotice error={error} onRetry={() => void replace()} />}
      <div className="row form-actions">
        <button type="submit" className="primary" disabled={busy || !hasKey}>
          {busy ? 'Checking…' : profile.key.storage === 'none' ? 'Add key' : 'Replace key'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
