import { useId, useState } from 'react';
import type { AppErrorInfo } from '../../../preload/contract';
import { gaia } from '../../api';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { toProblem } from '../../ui/errors';
import type { Permission, ServiceKey } from './keyText';

export function CreateKey({ pending, onCreated }: { pending: boolean; onCreated: (key: ServiceKey) => void }) {
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
      setError(toProblem(err));
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

