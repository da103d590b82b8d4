import { Fragment, useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { AppErrorInfo, CertificateSummary } from '../../../preload/contract';
import { GaiaError } from '../../../preload/gaia-error';
import { gaia } from '../../api';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { formatDate } from './dates';

/** "CN=Gaia Root, O=Example" → "Gaia Root". */
export function commonName(dn: string): string {
  const m = /(?:^|,\s*)CN=([^,]+)/.exec(dn);
  return (m ? m[1] : dn).trim();
}

function validity(cert: CertificateSummary, now = Date.now()): { label: string; bad: boolean } {
  if (now > cert.validTo) return { label: `expired on ${formatDate(cert.validTo)}`, bad: true };
  if (now < cert.validFrom) return { label: `not valid before ${formatDate(cert.validFrom)}`, bad: true };
  return { label: `valid ${formatDate(cert.validFrom)} – ${formatDate(cert.validTo)}`, bad: false };
}

/** One certificate: who it is for, who vouches for it, when it is valid, and its fingerprint. */
export function CertificateCard({ cert, role, children }: { cert: CertificateSummary; role?: string; children?: ReactNode }) {
  const v = validity(cert);
  const name = commonName(cert.subject);
  return (
    <li className="cert" aria-label={`Certificate: ${name}`}>
      <div className="cert-head">
        <strong>{name}</strong>
        {role && <span className="badge">{role}</span>}
        {cert.isCA && !role?.endsWith('authority') && <span className="badge">Certificate authority</span>}
        {cert.selfSigned && <span className="badge">Self-signed</span>}
      </div>
      <dl className="cert-facts">
        <dt>Subject</dt>
        <dd>{cert.subject}</dd>
        <dt>Issued by</dt>
        <dd>{cert.issuer}</dd>
        <dt>Validity</dt>
        <dd className={v.bad ? 'text-danger' : undefined}>{v.label}</dd>
        <dt>SHA-256 fingerprint</dt>
        <dd>
          <code className="fingerprint">{breakAfterColons(cert.fingerprint256)}</code>
        </dd>
      </dl>
      {children}
    </li>
  );
}

export interface CaChoice {
  pem: string;
  certificates: CertificateSummary[];
  /** Where it came from: a file name, or "trusted from the server". */
  source: string;
  /** Set when it came from "trust this certificate". */
  trustedFingerprint: string | null;
}

/** The choice "trust this certificate" makes: the server's own certificate, pinned by its fingerprint. */
export function trustedChoice(cert: CertificateSummary): CaChoice {
  return { pem: cert.pem, certificates: [cert], source: commonName(cert.subject), trustedFingerprint: cert.fingerprint256 };
}

const MAX_PEM_BYTES = 1024 * 1024;

/**
 * The connection's own CA certificate: chosen with a file picker or dropped, read here
 * (File.text()), summarised by main before anything is saved, and removable.
 */
export function CaField({
  value,
  onChange,
  onReading,
  label = 'CA certificate',
}: {
  value: CaChoice | null;
  onChange: (ca: CaChoice | null) => void;
  /** While a chosen file is being read and summarised (saving must wait for it). */
  onReading?: (reading: boolean) => void;
  label?: string;
}) {
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const [reading, setReading] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const take = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    if (file.size > MAX_PEM_BYTES) {
      setError({ kind: 'bad-certificate', message: `“${file.name}” is too large to be a certificate file.`, action: 'Choose the PEM file of your cluster’s CA certificate (usually a few kilobytes).' });
      return;
    }
    setReading(true);
    onReading?.(true);
    try {
      const pem = await file.text();
      const { certificates } = await gaia.profiles.inspectCa({ pem });
      onChange({ pem, certificates, source: file.name, trustedFingerprint: null });
    } catch (err) {
      if (err instanceof GaiaError) setError(err.info);
      else setError({ kind: 'bad-certificate', message: `“${file.name}” could not be read.`, action: 'Choose the file again, or export the certificate again as PEM.' });
    } finally {
      setReading(false);
      onReading?.(false);
      if (input.current) input.current.value = '';
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    void take(event.dataTransfer.files[0]);
  };

  return (
    <fieldset className="ca-field">
      <legend>{label} <span className="optional">(optional)</span></legend>
      {value ? (
        <div className="ca-chosen">
          <p className="muted">
            {value.trustedFingerprint ? 'Trusted from the server: ' : 'From '}
            <strong>{value.source}</strong> — {value.certificates.length} certificate{value.certificates.length === 1 ? '' : 's'}:
          </p>
          <ul className="cert-list">
            {value.certificates.map((c) => (
              <CertificateCard key={c.fingerprint256} cert={c} />
            ))}
          </ul>
          <button type="button" onClick={() => onChange(null)}>
            Remove CA certificate
          </button>
        </div>
      ) : (
        <div
          className={`drop-zone${dragging ? ' dragging' : ''}`}
          onDragEnter={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="ca-drop-zone"
        >
          <p>
            Only for a cluster whose certificate was issued by your organisation’s own authority. Drop its PEM file (.pem, .crt, .cer) here, or{' '}
            <label className="file-label">
              choose a file
              <input
                ref={input}
                type="file"
                aria-label="CA certificate file"
                accept=".pem,.crt,.cer,.cert,application/x-pem-file,application/x-x509-ca-cert,text/plain"
                onChange={(e) => void take(e.target.files?.[0])}
              />
            </label>
            .
          </p>
          {reading && <p role="status">Reading the certificate…</p>}
        </div>
      )}
      {error && <ErrorNotice error={error} />}
    </fieldset>
  );
}

/**
 * The chain a server presented when its certificate could not be verified, with the
 * choice to trust the top of the chain (its issuing authority: renewals keep working)
 * or only the server's own certificate. Pinned by fingerprint either way.
 */
/** Each certificate of a presented chain with what it is, and whether it may be trusted (the server's own, or the top of the chain) and in what words. */
export function chainRoles(chain: CertificateSummary[]): Array<{ cert: CertificateSummary; role: string; offer: boolean; top: boolean; choice: string }> {
  const top = chain.length - 1;
  return chain.map((cert, i) => {
    const role = i === 0 ? 'Server certificate' : i === top ? (cert.selfSigned ? 'Root authority' : 'Issuing authority') : 'Intermediate';
    return { cert, role, offer: i === 0 || i === top, top: i === top, choice: `Trust ${role.toLowerCase()}` };
  });
}

/** What to do before trusting: compare fingerprints; or, when the pinned one changed, why not to. */
export function ChainAdvice({ changed }: { changed: boolean }) {
  return changed ? (
    <p className="text-danger strong">
      This is not the certificate you trusted before. Only trust the new one if your administrator confirms its fingerprint — otherwise someone may be
      intercepting the connection.
    </p>
  ) : (
    <p className="muted">
      Compare the fingerprint with the one your administrator gives you before you trust a certificate. Trusting the issuing authority keeps working when
      the server’s certificate is renewed; trusting the server certificate only has to be repeated at every renewal.
    </p>
  );
}

export function PresentedChain({ error, busy, onTrust }: { error: AppErrorInfo; busy: boolean; onTrust: (cert: CertificateSummary) => void }) {
  const chain = chainRoles(error.certificates ?? []);
  if (chain.length === 0) return null;
  const changed = error.kind === 'tls-fingerprint-changed';
  return (
    <section className={`presented-chain${changed ? ' changed' : ''}`} aria-label="Certificates the server presented">
      <h3>{changed ? 'The server now presents these certificates' : `What ${error.host ?? 'the server'} presented`}</h3>
      <ChainAdvice changed={changed} />
      <ul className="cert-list">
        {chain.map(({ cert, role, offer, top, choice }) => (
          <CertificateCard key={cert.fingerprint256} cert={cert} role={role}>
            {offer && (
              <button
                type="button"
                className={top && !changed ? 'primary' : undefined}
                aria-label={`${choice}: ${commonName(cert.subject)}`}
                disabled={busy}
                onClick={() => onTrust(cert)}
              >
                {choice}
              </button>
            )}
          </CertificateCard>
        ))}
      </ul>
    </section>
  );
}

/** A fingerprint wraps between its byte pairs ("…:E9:" then "02:…"), never inside one. */
function breakAfterColons(fingerprint: string) {
  return fingerprint.split(':').map((pair, i, all) => (
    <Fragment key={i}>
      {pair}
      {i < all.length - 1 && (
        <>
          :<wbr />
        </>
      )}
    </Fragment>
  ));
}
