import { useId, useRef, useState, type FormEvent } from 'react';
import type { AppErrorInfo, CertificateSummary, Profile, Request } from '../../../preload/contract';
import { GaiaError } from '../../../preload/gaia-error';
import { gaia } from '../../api';
import { ProblemNotice } from '../../ui/ProblemNotice';
import { ApiKeyInput } from './ApiKeyInput';
import { CaField, PresentedChain, commonName, trustedChoice, type CaChoice } from './certificates';
import { fieldOf, type FieldName } from './errorField';
import { FieldError, PROXY_PLACEHOLDER, TextField } from './fields';
import { UrlHints } from './UrlHints';
import { useUrlCheck } from './useUrlCheck';

type Update = Request<'gaia:profiles.update'>;

function initialCa(profile: Profile): CaChoice | null {
  if (profile.ca.length === 0) return null;
  return {
    pem: profile.ca.map((c) => c.pem).join('\n'),
    certificates: profile.ca,
    source: profile.trustedFingerprint ? commonName(profile.ca[0].subject) : 'the saved CA certificate',
    trustedFingerprint: profile.trustedFingerprint,
  };
}

/**
 * Changes a connection's settings. Main checks the changed settings with the stored key
 * before saving them, so a typo never breaks a working connection; only what changed is sent.
 * A change that would send the key to another server or under weaker checks is refused by
 * main ('key-required') until the key is typed again; the form then asks for it and says why.
 */
export function EditProfileForm({ profile, onSaved, onCancel }: { profile: Profile; onSaved: (p: Profile) => void; onCancel: () => void }) {
  const ids = { name: useId(), url: useId(), urlHints: useId(), ctx: useId(), proxy: useId(), key: useId(), keyWhy: useId(), error: useId() };
  const keyRef = useRef<HTMLInputElement>(null);
  const [needsKey, setNeedsKey] = useState(false);
  const [name, setName] = useState(profile.name);
  const [baseUrl, setBaseUrl] = useState(profile.baseUrl);
  const [securityContext, setSecurityContext] = useState(profile.securityContext ?? '');
  const [proxyUrl, setProxyUrl] = useState(profile.proxyUrl ?? '');
  const [ca, setCa] = useState<CaChoice | null>(() => initialCa(profile));
  const [insecure, setInsecure] = useState(!profile.verifyTls);
  const [busy, setBusy] = useState(false);
  const [caReading, setCaReading] = useState(false);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const urlCheck = useUrlCheck(baseUrl);

  const changes = (chosen: CaChoice | null): Omit<Update, 'id'> => {
    const patch: Omit<Update, 'id'> = {};
    if (name.trim() !== profile.name) patch.name = name.trim();
    if (baseUrl.trim() !== profile.baseUrl) patch.baseUrl = baseUrl.trim();
    if ((securityContext.trim() || null) !== profile.securityContext) patch.securityContext = securityContext.trim() || null;
    if ((proxyUrl.trim() || null) !== profile.proxyUrl) patch.proxyUrl = proxyUrl.trim() || null;
    if (!insecure !== profile.verifyTls) patch.verifyTls = !insecure;
    const before = initialCa(profile);
    if ((chosen?.pem ?? null) !== (before?.pem ?? null)) patch.caPem = chosen?.pem ?? null;
    if ((chosen?.trustedFingerprint ?? null) !== profile.trustedFingerprint) patch.trustedFingerprint = chosen?.trustedFingerprint ?? null;
    return patch;
  };

  const save = async (chosen: CaChoice | null = ca) => {
    const patch = changes(chosen);
    if (Object.keys(patch).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const typed = keyRef.current?.value ?? '';
      const { profile: saved } = await gaia.profiles.update({ id: profile.id, ...patch, ...(needsKey && typed ? { apiKey: typed } : {}) });
      onSaved(saved);
    } catch (err) {
      if (err instanceof GaiaError) {
        if (err.info.kind === 'key-required') setNeedsKey(true);
        setError(err.info);
        // To the field the error is about, as the add sheet does (the key's field is drawn only now, hence the frame).
        const field = fieldOf(err.info);
        const inputId = field && field !== 'caPem' ? { name: ids.name, baseUrl: ids.url, apiKey: ids.key, securityContext: ids.ctx, proxyUrl: ids.proxy }[field] : null;
        if (inputId) requestAnimationFrame(() => document.getElementById(inputId)?.focus());
      } else throw err;
    } finally {
      setBusy(false);
    }
  };

  // The key field is there only once a change asked for the key; a key error before that is the sheet's.
  const errorField = error && (fieldOf(error) !== 'apiKey' || needsKey) ? fieldOf(error) : null;
  const at = (field: FieldName) => (errorField === field ? error : null);
  /** Editing the field an error is about makes the error stale: it goes. */
  const edited = (field: FieldName) => {
    if (errorField === field) setError(null);
  };
  const describedBy = (field: FieldName, ...others: string[]) => [...others, ...(errorField === field ? [ids.error] : [])].join(' ') || undefined;

  const trust = (cert: CertificateSummary) => {
    const choice = trustedChoice(cert);
    setCa(choice);
    void save(choice);
  };

  return (
    <form
      className="edit-form"
      aria-label={`Edit ${profile.name}`}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (!busy && !caReading) void save();
      }}
    >
      <TextField
        id={ids.name}
        label="Connection name"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          edited('name');
        }}
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
        value={baseUrl}
        onChange={(e) => {
          setBaseUrl(e.target.value);
          edited('baseUrl');
        }}
        spellCheck={false}
        autoCapitalize="off"
        aria-describedby={describedBy('baseUrl', ids.urlHints)}
        aria-invalid={urlCheck?.error || errorField === 'baseUrl' ? true : undefined}
        after={<UrlHints id={ids.urlHints} check={urlCheck} original={baseUrl} />}
        error={at('baseUrl')}
        errorId={ids.error}
      />
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
        aria-invalid={errorField === 'securityContext' || undefined}
        aria-describedby={describedBy('securityContext')}
        error={at('securityContext')}
        errorId={ids.error}
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
        aria-invalid={errorField === 'proxyUrl' || undefined}
        aria-describedby={describedBy('proxyUrl')}
        error={at('proxyUrl')}
        errorId={ids.error}
      />
      <label className="checkbox danger-choice">
        <input type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} />
        Turn off certificate verification for this host
      </label>
      {insecure && (
        <p className="tls-warning strong">
          Certificate verification is OFF for this host: anyone between you and the server could read your API key and your data. Use this only for an
          isolated test cluster.
        </p>
      )}
      <p className="hint">
        Changes to the address, certificates, proxy or security context are checked before they are saved: with the stored key while it goes only where it
        went before, or with the key typed again when a change would send it to another server or with weaker checks. A new address drops the old one’s
        CA certificate unless you choose one for it.
      </p>
      {needsKey && (
        <div className="field">
          <label htmlFor={ids.key}>API key for the new settings</label>
          <p className="hint" id={ids.keyWhy}>
            Your stored key only ever goes to the server and through the checks it was entered for. This change would send it somewhere else (another
            address or proxy) or with weaker certificate checks, so type the key again: it is checked with the new settings before anything is saved.
          </p>
          <ApiKeyInput id={ids.key} ref={keyRef} label="API key for the new settings" onFilled={() => edited('apiKey')} describedBy={describedBy('apiKey', ids.keyWhy)} />
          {errorField === 'apiKey' && <FieldError id={ids.error} error={at('apiKey')} />}
        </div>
      )}
      {error && (!errorField || !!error.certificates?.length) && (
        <div className="form-error">
          {!errorField && <ProblemNotice error={error} onRetry={() => void save()} />}
          <PresentedChain error={error} busy={busy} onTrust={trust} />
        </div>
      )}
      <div className="row form-actions">
        <button type="submit" className="primary" disabled={busy || caReading}>
          {busy ? 'Checking…' : 'Save changes'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
