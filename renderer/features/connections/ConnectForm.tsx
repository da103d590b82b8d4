import { useId, useRef, useState, type FormEvent } from 'react';
import type { AppErrorInfo, CertificateSummary, Profile } from '../../../preload/contract';
import { GaiaError } from '../../../preload/contract';
import { gaia } from '../../api';
import { ProblemNotice } from '../../ui/ProblemNotice';
import { ApiKeyInput } from './ApiKeyInput';
import { CaField, PresentedChain, commonName, type CaChoice } from './certificates';
import { KeyHelp } from './KeyHelp';
import { UrlHints } from './UrlHints';
import { useUrlCheck } from './useUrlCheck';

export const HELIOS_GAIA_URL = 'https://helios.cohesity.com/v2/mcm/gaia';

const KEY_KINDS = new Set(['unauthorized', 'bad-key', 'forbidden']);
const URL_KINDS = new Set(['bad-url', 'dns', 'connection-refused', 'not-found', 'html-response', 'timeout']);

/**
 * Adds a connection: checked against Gaia (GET /datasets) by main before anything is
 * saved. On any failure everything typed stays as it was, and the error says what to do.
 */
export function ConnectForm({ onConnected, onCancel }: { onConnected: (profile: Profile) => void; onCancel?: () => void }) {
  const ids = { name: useId(), url: useId(), urlHints: useId(), key: useId(), ctx: useId(), proxy: useId(), tls: useId() };
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState(HELIOS_GAIA_URL);
  const [securityContext, setSecurityContext] = useState('');
  const [proxyUrl, setProxyUrl] = useState('');
  const [ca, setCa] = useState<CaChoice | null>(null);
  const [insecure, setInsecure] = useState(false);
  const [hasKey, setHasKey] = useState(false);
  const [busy, setBusy] = useState(false);
  const [caReading, setCaReading] = useState(false);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const keyRef = useRef<HTMLInputElement>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const urlCheck = useUrlCheck(baseUrl);

  const connect = async (caOverride?: CaChoice | null) => {
    const key = keyRef.current?.value ?? '';
    const chosen = caOverride === undefined ? ca : caOverride;
    setBusy(true);
    setError(null);
    try {
      const { profile } = await gaia.profiles.connect({
        name: name.trim(),
        baseUrl: baseUrl.trim(),
        apiKey: key,
        securityContext: securityContext.trim() || null,
        caPem: chosen?.pem ?? null,
        trustedFingerprint: chosen?.trustedFingerprint ?? null,
        proxyUrl: proxyUrl.trim() || null,
        verifyTls: !insecure,
      });
      if (keyRef.current) keyRef.current.value = '';
      setHasKey(false);
      onConnected(profile);
    } catch (err) {
      if (!(err instanceof GaiaError)) throw err;
      setError(err.info);
      if (KEY_KINDS.has(err.info.kind)) keyRef.current?.focus();
      else if (URL_KINDS.has(err.info.kind)) urlRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const trust = (cert: CertificateSummary) => {
    const choice: CaChoice = { pem: cert.pem, certificates: [cert], source: commonName(cert.subject), trustedFingerprint: cert.fingerprint256 };
    setCa(choice);
    void connect(choice);
  };

  const missing = name.trim() === '' || baseUrl.trim() === '' || !hasKey;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || caReading) return;
    if (missing) {
      // Something is still empty: go to it rather than send half a form.
      const form = event.currentTarget as HTMLFormElement;
      form.querySelector<HTMLInputElement>(`[id="${CSS.escape(name.trim() === '' ? ids.name : baseUrl.trim() === '' ? ids.url : ids.key)}"]`)?.focus();
      return;
    }
    void connect();
  };

  return (
    <form className="connect-form panel" aria-label="Connect to Gaia" onSubmit={submit} noValidate>
      <h2>Add a connection</h2>
      <div className="field">
        <label htmlFor={ids.name}>Connection name</label>
        <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Helios – production" maxLength={200} required />
      </div>
      <div className="field">
        <label htmlFor={ids.url}>Gaia base URL</label>
        <input
          id={ids.url}
          ref={urlRef}
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          inputMode="url"
          spellCheck={false}
          autoCapitalize="off"
          aria-describedby={ids.urlHints}
          aria-invalid={urlCheck?.error ? true : undefined}
          required
        />
        <UrlHints id={ids.urlHints} check={urlCheck} original={baseUrl} />
      </div>
      <div className="field">
        <label htmlFor={ids.key}>API key</label>
        <ApiKeyInput id={ids.key} ref={keyRef} onFilled={setHasKey} />
        <p className="hint">Kept in your system’s keychain, never on disk, and never shown again.</p>
        <KeyHelp />
      </div>
      <div className="field">
        <label htmlFor={ids.ctx}>
          Security context <span className="optional">(optional)</span>
        </label>
        <input id={ids.ctx} value={securityContext} onChange={(e) => setSecurityContext(e.target.value)} spellCheck={false} autoComplete="off" />
        <p className="hint">Only on a multi-tenant cluster whose administrator gave you one: it scopes every request to one tenant.</p>
      </div>
      <CaField value={ca} onChange={setCa} onReading={setCaReading} />
      <div className="field">
        <label htmlFor={ids.proxy}>
          Proxy <span className="optional">(optional)</span>
        </label>
        <input
          id={ids.proxy}
          value={proxyUrl}
          onChange={(e) => setProxyUrl(e.target.value)}
          placeholder="http://proxy.example.com:3128"
          spellCheck={false}
          autoCapitalize="off"
        />
        <p className="hint">Leave empty to use this computer’s proxy settings (HTTPS_PROXY), if any.</p>
      </div>
      <details className="advanced" open={insecure || undefined}>
        <summary>Advanced</summary>
        <label className="checkbox danger-choice">
          <input id={ids.tls} type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} />
          Turn off certificate verification for this host
        </label>
        <p className={insecure ? 'tls-warning strong' : 'hint'}>
          {insecure
            ? 'Certificate verification will be OFF for this host: anyone between you and the server could read your API key and your data. Use this only for an isolated test cluster. Adding the cluster’s CA certificate is the safe way.'
            : 'Only for an isolated test cluster. Adding the cluster’s CA certificate (above) is the safe way.'}
        </p>
      </details>
      {error && (
        <div className="form-error">
          <ProblemNotice error={error} onRetry={() => void connect()} />
          <PresentedChain error={error} busy={busy} onTrust={trust} />
        </div>
      )}
      <div className="row form-actions">
        <button type="submit" className="primary" disabled={busy || caReading}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        {busy && (
          <span role="status" className="muted">
            Checking the key with Gaia…
          </span>
        )}
        {!busy && missing && <span className="muted">Enter a name, the base URL and an API key.</span>}
      </div>
    </form>
  );
}
