/**
 * Settings → Local assistants: which connections AI assistants on this computer may use
 * through `gaia-desktop mcp` (none until the user ticks one; main enforces it on every
 * call), a ready configuration snippet per MCP client, and what assistants did
 * recently. No key is anywhere here: the MCP server reads the keychain itself.
 */
import './local-assistants.css';
import { useCallback, useEffect, useState } from 'react';
import type { AppErrorInfo, Response } from '../../../preload/contract';
import { GaiaError } from '../../../preload/gaia-error';
import { gaia } from '../../api';
import { useSettings, useUpdateSettings } from '../../queries';
import { useSession } from '../../session';
import { CopyButton } from '../../ui/CopyButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { keyPlace, type KeyPlace } from '../../ui/keyPlace';

type Setup = Response<'gaia:assistants.setup'>;
type Calls = Response<'gaia:assistants.activity'>['calls'];

const OUTCOME = { ok: 'answered', refused: 'refused', error: 'failed' } as const;

export function LocalAssistants() {
  // Connections and settings from the shared cache: a connection added or a setting changed elsewhere shows here at once.
  const profiles = useSession().list?.profiles ?? [];
  const settings = useSettings();
  const updateSettings = useUpdateSettings();
  // A tick shows at once; put back if main could not save it.
  const [pending, setPending] = useState<string[] | null>(null);
  const allowed = pending ?? settings.data?.localAssistants ?? [];
  const [setup, setSetup] = useState<Setup | null>(null);
  const [calls, setCalls] = useState<Calls | null>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [place, setPlace] = useState<KeyPlace>('keychain');

  const fail = (e: unknown) => {
    if (e instanceof GaiaError) setError(e.info);
  };
  const loadActivity = useCallback(() => gaia.assistants.activity({}).then((r) => setCalls(r.calls), fail), []);

  useEffect(() => {
    gaia.assistants.setup({}).then(setSetup, fail);
    gaia.keychain.status({}).then((k) => setPlace(keyPlace(k)), () => undefined);
    void loadActivity();
  }, [loadActivity]);

  const toggle = (id: string, on: boolean) => {
    const next = on ? [...new Set([...allowed, id])] : allowed.filter((a) => a !== id);
    setPending(next);
    updateSettings.mutate(
      { localAssistants: next },
      {
        onSuccess: () => setError(null),
        onError: fail,
        onSettled: () => setPending(null),
      },
    );
  };
  const shownError = error ?? (settings.error instanceof GaiaError ? settings.error.info : null);

  return (
    <div className="local-assistants">
      <p className="muted">
        Let AI assistants on this computer (Claude Desktop, VS Code, Cursor…) use Gaia through Gaia Desktop. They never see a key
        {place === 'keychain' ? ' — it stays in the keychain — ' : ' '}
        and they can only read: list datasets, read details and topics, ask, and find documents. No feedback, no deleting, no keys.
      </p>
      {place !== 'keychain' && (
        <p className="notice notice-warn small">
          Keys are kept in memory for this session only, because no keychain is in use. Assistants read keys from the keychain, so they cannot use
          these connections until a key is stored there.
        </p>
      )}
      {shownError && <ErrorNotice error={shownError} />}

      <fieldset>
        <legend>Connections that assistants may use</legend>
        {profiles.length === 0 && <p className="muted small">No connections yet.</p>}
        {profiles.map((p) => (
          <label key={p.id} className="checkbox">
            <input type="checkbox" checked={allowed.includes(p.id)} onChange={(e) => toggle(p.id, e.target.checked)} />
            {p.name}
          </label>
        ))}
        {profiles.length > 0 && allowed.length === 0 && <p className="muted small">Off: every assistant call is refused until you tick a connection.</p>}
      </fieldset>

      {setup && (
        <div className="assistant-snippets">
          <h3>Add Gaia Desktop to an assistant</h3>
          {setup.snippets.map((s) => (
            <details key={s.client}>
              <summary>{s.client}</summary>
              <p className="muted small">{s.where}</p>
              <pre>
                <code>{s.text}</code>
              </pre>
              <CopyButton text={s.text} label={`Copy for ${s.client}`} />
            </details>
          ))}
        </div>
      )}

      <div className="assistant-activity">
        <h3>
          Recent activity{' '}
          <button type="button" onClick={() => void loadActivity()}>
            Refresh
          </button>
        </h3>
        {calls && calls.length === 0 && <p className="muted small">No assistant has called Gaia Desktop yet.</p>}
        {calls && calls.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Tool</th>
                <th scope="col">Connection</th>
                <th scope="col">Result</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((c, i) => (
                <tr key={`${c.at}-${i}`} data-outcome={c.outcome}>
                  <td>{new Date(c.at).toLocaleString()}</td>
                  <td>{c.tool}</td>
                  <td>{c.connection ?? '—'}</td>
                  <td>{OUTCOME[c.outcome]}</td>
                  <td>{c.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
