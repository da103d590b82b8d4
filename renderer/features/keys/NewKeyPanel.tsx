import { useState } from 'react';
import type { AppErrorInfo, Profile } from '../../../preload/contract';
import { gaia } from '../../api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ProblemNotice } from '../../ui/ProblemNotice';
import { toProblem } from '../../ui/errors';
import { masked, PERMISSION_LABELS, type ServiceKey } from './keyText';

/** A key just created: shown once (masked even now), and kept by main until the user stores or copies it. */
export function NewKeyPanel({ created, profile, onClose, onUsed }: { created: ServiceKey; profile: Profile; onClose: () => void; onUsed: (message: string) => void }) {
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
      setError(toProblem(err));
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
      setError(toProblem(err));
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
      <p className="hint">
        “Use it for this connection” checks the key with Gaia, then {profile.key.storage === 'session' ? 'keeps it in memory for this session only (no keychain is in use)' : 'stores it in your keychain'} for “{profile.name}” in place of its
        current key.
      </p>
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
