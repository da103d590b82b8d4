import { Dialog } from 'radix-ui';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { AppErrorInfo, CertificateSummary, KeychainStatus, Profile } from '../../../preload/contract';
import { GaiaError } from '../../../preload/gaia-error';
import { gaia } from '../../api';
import { KEY_FIELD_HINT, keyPlace } from '../../ui/keyPlace';
import { ProblemNotice } from '../../ui/ProblemNotice';
import { ApiKeyInput } from './ApiKeyInput';
import { CaField, CertificateCard, ChainAdvice, chainRoles, commonName, trustedChoice, type CaChoice } from './certificates';
import { fromDateInput } from './dates';
import { ADVANCED, fieldOf, type FieldName } from './errorField';
import { FieldError, PROXY_PLACEHOLDER, TextField } from './fields';
import { KeyHelp } from './KeyHelp';
import { UrlHints } from './UrlHints';
import { useUrlCheck } from './useUrlCheck';

export const HELIOS_GAIA_URL = 'https://helios.cohesity.com/v2/mcm/gaia';

/**
 * Adds a connection: checked against Gaia (GET /datasets) by main before anything is
 * saved. On any failure everything typed stays as it was, and the error says what to do.
 */
export function ConnectForm({
  onConnected,
  onCancel,
  keychain,
}: {
  onConnected: (profile: Profile) => void;
  onCancel?: () => void;
  /** What the keychain said, for where the key will be kept; null while unknown. */
  keychain?: KeychainStatus | null;
}) {
  const ids = { name: useId(), url: useId(), urlHints: useId(), key: useId(), ctx: useId(), proxy: useId(), tls: useId(), expires: useId(), error: useId() };
  const [expires, setExpires] = useState('');
  const [advancedOpen, setAdvancedOpen] = useState(false);
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
        keyExpiresAt: fromDateInput(expires),
      });
      if (keyRef.current) keyRef.current.value = '';
      setHasKey(false);
      onConnected(profile);
    } catch (err) {
      if (!(err instanceof GaiaError)) throw err;
      setError(err.info);
      const field = fieldOf(err.info);
      if (field && ADVANCED.includes(field)) setAdvancedOpen(true);
      if (field === 'apiKey') keyRef.current?.focus();
      else if (field === 'baseUrl') urlRef.current?.focus();
      else if (field === 'proxyUrl') requestAnimationFrame(() => document.getElementById(ids.proxy)?.focus());
    } finally {
      setBusy(false);
    }
  };

  const trust = (cert: CertificateSummary) => {
    const choice = trustedChoice(cert);
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

  const errorField = error ? fieldOf(error) : null;
  const at = (field: FieldName) => (errorField === field ? error : null);
  /** Editing the field an error is about makes the error stale: it goes. */
  const edited = (field: FieldName) => {
    if (errorField === field) setError(null);
  };
  const describedBy = (field: FieldName, ...others: string[]) => [...others, ...(errorField === field ? [ids.error] : [])].join(' ') || undefined;
  const certificateChoice = !!error?.certificates?.length;

  return (
    <form className="connect-form" aria-label="Connect to Gaia" onSubmit={submit} noValidate>
      <TextField
        id={ids.name}
        label="Connection name"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          edited('name');
        }}
        placeholder="e.g. Helios – production"
        maxLength={200}
        required
        aria-invalid={errorField === 'name' || undefined}
        aria-describedby={describedBy('name')}
        error={at('name')}
        errorId={ids.error}
      />
      <TextField
        id={ids.url}
        label="Gaia base URL"
        inputRef={urlRef}
        value={baseUrl}
        onChange={(e) => {
          setBaseUrl(e.target.value);
          edited('baseUrl');
        }}
        inputMode="url"
        spellCheck={false}
        autoCapitalize="off"
        aria-describedby={describedBy('baseUrl', ids.urlHints)}
        aria-invalid={urlCheck?.error || errorField === 'baseUrl' ? true : undefined}
        required
        after={<UrlHints id={ids.urlHints} check={urlCheck} original={baseUrl} />}
        error={at('baseUrl')}
        errorId={ids.error}
      />
      <div className="field">
        <label htmlFor={ids.key}>API key</label>
        <ApiKeyInput
          id={ids.key}
          ref={keyRef}
          describedBy={describedBy('apiKey')}
          onFilled={(filled) => {
            setHasKey(filled);
            edited('apiKey');
          }}
        />
        {errorField === 'apiKey' && <FieldError id={ids.error} error={at('apiKey')} />}
        <p className="hint">{KEY_FIELD_HINT[keyPlace(keychain)]}</p>
        <KeyHelp />
      </div>
      <details className="advanced" open={advancedOpen || insecure || undefined} onToggle={(e) => setAdvancedOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <span>Advanced</span>
          <span className="summary-hint">Security context, certificate, proxy</span>
        </summary>
        <div className="advanced-body">
          <TextField
            id={ids.ctx}
            label="Security context"
            optional
            value={securityContext}
            onChange={(e) => {
              setSecurityContext(e.target.value);
              edited('securityContext');
            }}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={describedBy('securityContext')}
            error={at('securityContext')}
            errorId={ids.error}
            hint="Only on a multi-tenant cluster whose administrator gave you one: it scopes every request to one tenant."
          />
          <CaField
            value={ca}
            onChange={(next) => {
              setCa(next);
              edited('caPem');
            }}
            onReading={setCaReading}
          />
          <FieldError id={ids.error} error={at('caPem')} />
          <TextField
            id={ids.proxy}
            label="Proxy"
            optional
            value={proxyUrl}
            onChange={(e) => {
              setProxyUrl(e.target.value);
              edited('proxyUrl');
            }}
            placeholder={PROXY_PLACEHOLDER}
            spellCheck={false}
            autoCapitalize="off"
            aria-invalid={errorField === 'proxyUrl' || undefined}
            aria-describedby={describedBy('proxyUrl')}
            error={at('proxyUrl')}
            errorId={ids.error}
            hint="Leave empty to use this computer’s proxy settings (HTTPS_PROXY), if any."
          />
          <div className="field">
            <label htmlFor={ids.expires}>
              Key expires on <span className="optional">(optional)</span>
            </label>
            <input id={ids.expires} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} style={{ maxWidth: '12rem' }} />
            <p className="hint">If your key service gave the key an end date: Gaia Desktop reminds you 7 days before, so you can rotate it in time.</p>
          </div>
          <label className="checkbox danger-choice">
            <input id={ids.tls} type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} />
            Turn off certificate verification for this host
          </label>
          <p className={insecure ? 'tls-warning strong' : 'hint'}>
            {insecure
              ? 'Certificate verification will be OFF for this host: anyone between you and the server could read your API key and your data. Use this only for an isolated test cluster. Adding the cluster’s CA certificate is the safe way.'
              : 'Only for an isolated test cluster. Adding the cluster’s CA certificate (above) is the safe way.'}
          </p>
        </div>
      </details>
      {error && !errorField && !certificateChoice && (
        <div className="form-error">
          <ProblemNotice error={error} onRetry={() => void connect()} />
        </div>
      )}
      {error && certificateChoice && (
        <CertificateDialog error={error} busy={busy} onTrust={trust} onClose={() => setError(null)} />
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
          <span role="status" className="muted small">
            Checking the key with Gaia…
          </span>
        )}
        {!busy && missing && <span className="muted small">Enter a name, the base URL and an API key.</span>}
      </div>
    </form>
  );
}

/**
 * The certificate decision, as its own dialog: one surface, with what the server presented
 * (subject, issuer, validity, SHA-256 of each certificate, as definition lists divided by
 * rules, not boxes in a box) and the choices as the dialog's own buttons, kept in view at
 * its foot. Focus starts on "Cancel", so Enter never trusts anything by accident; closing
 * returns focus to the form.
 */
export function CertificateDialog({ error, busy, onTrust, onClose }: { error: AppErrorInfo; busy: boolean; onTrust: (cert: CertificateSummary) => void; onClose: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const changed = error.kind === 'tls-fingerprint-changed';
  const chain = chainRoles(error.certificates ?? []);
  return (
    <Dialog.Root open onOpenChange={(open) => !open && !busy && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog wide"
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            cancelRef.current?.focus();
          }}
        >
          <div className="dialog-head">
            <Dialog.Title>{changed ? 'The server’s certificate has changed' : 'Trust this server’s certificate?'}</Dialog.Title>
          </div>
          <Dialog.Description className="dialog-description">{error.message}</Dialog.Description>
          <div role="alert" className="sr-only">
            {error.message}
          </div>
          {chain.length > 0 && (
            <section className="cert-chain" aria-label="Certificates the server presented">
              <ChainAdvice changed={changed} />
              <ul className="cert-list flat">
                {chain.map(({ cert, role }) => (
                  <CertificateCard key={cert.fingerprint256} cert={cert} role={role} />
                ))}
              </ul>
            </section>
          )}
          <p className="muted small">{error.action}</p>
          <div className="dialog-actions">
            <button type="button" ref={cancelRef} onClick={onClose} disabled={busy}>
              {busy ? 'Connecting…' : 'Cancel'}
            </button>
            {chain
              .filter((c) => c.offer)
              .map(({ cert, choice, top }) => (
                <button
                  key={cert.fingerprint256}
                  type="button"
                  className={top && !changed ? 'primary' : undefined}
                  // The visible words first, then which certificate: the name a screen reader and a test hear.
                  aria-label={`${choice}: ${commonName(cert.subject)}`}
                  title={commonName(cert.subject)}
                  disabled={busy}
                  onClick={() => onTrust(cert)}
                >
                  {choice}
                </button>
              ))}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
