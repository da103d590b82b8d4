/**
 * Certificates as the user sees them: a PEM file (often a chain) turned into summaries,
 * and the chain a server presented turned into the same summaries, so "trust this
 * certificate" can show what it is about to trust and pin its fingerprint.
 */
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate, DetailedPeerCertificate } from 'node:tls';
import type { CertificateSummary } from '../../../preload/contract';
import { appError } from '../errors';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** The contract carries at most this many certificates per list. */
export const MAX_CERTIFICATES = 16;

/** Every certificate block in a PEM text, in order; other blocks (keys, CRLs) are ignored. */
export function splitPem(pem: string): string[] {
  return pem.match(PEM_BLOCK) ?? [];
}

export function summarize(cert: X509Certificate): CertificateSummary {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    validFrom: Date.parse(cert.validFrom),
    validTo: Date.parse(cert.validTo),
    fingerprint256: cert.fingerprint256,
    isCA: cert.ca,
    selfSigned: isSelfSigned(cert),
    pem: cert.toString().trim(),
  };
}

/**
 * Summarises every certificate in a PEM text. Throws `bad-certificate` when the text
 * holds none, or a block that does not parse — a half-accepted bundle would leave the
 * user wondering why trust still fails.
 */
export function summarizePem(pem: string): CertificateSummary[] {
  const blocks = splitPem(pem);
  if (blocks.length === 0) {
    // DER and PKCS#12 files are binary: control bytes where PEM has only text.
    // eslint-disable-next-line no-control-regex
    const looksBinary = /[\u0000-\u0008\u000e-\u001f]/.test(pem.slice(0, 512));
    throw appError(
      'bad-certificate',
      looksBinary
        ? 'This file is not a PEM certificate: it looks like a binary (DER or PKCS#12) file.'
        : 'No certificate was found in this text. A PEM certificate starts with "-----BEGIN CERTIFICATE-----".',
      looksBinary
        ? 'Export the certificate as PEM (Base-64 encoded X.509, often .pem or .crt) and choose that file.'
        : "Choose the cluster's CA certificate file in PEM format, or paste its full text including the BEGIN and END lines.",
    );
  }
  if (blocks.length > MAX_CERTIFICATES) {
    throw appError(
      'bad-certificate',
      `This file holds ${blocks.length} certificates; at most ${MAX_CERTIFICATES} can be added to a connection.`,
      "Choose a file with only your cluster's CA certificate (and its intermediates).",
    );
  }
  return blocks.map((block, i) => {
    try {
      return summarize(new X509Certificate(block));
    } catch {
      throw appError(
        'bad-certificate',
        `Certificate ${i + 1} of ${blocks.length} in this file is damaged and cannot be read.`,
        'Export the certificate again from its source, or ask your administrator for a fresh copy.',
      );
    }
  });
}

/** The chain a TLS peer presented, leaf first, from `getPeerCertificate(true)`. */
export function summarizePeerChain(peer: PeerCertificate | DetailedPeerCertificate | null | undefined): CertificateSummary[] {
  const out: CertificateSummary[] = [];
  const seen = new Set<string>();
  let current = peer as DetailedPeerCertificate | undefined;
  while (current && current.raw && out.length < MAX_CERTIFICATES) {
    if (seen.has(current.fingerprint256)) break; // a root's issuer is itself
    seen.add(current.fingerprint256);
    try {
      out.push(summarize(new X509Certificate(current.raw)));
    } catch {
      break;
    }
    current = current.issuerCertificate;
  }
  return out;
}

/** Fingerprints compare without colons and case, whatever the user pasted. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

/**
 * Signed by its own key. (Not `checkIssued(cert)`: OpenSSL also demands the keyCertSign
 * usage there, which a self-signed server certificate usually lacks.)
 */
export function isSelfSigned(cert: X509Certificate): boolean {
  if (cert.subject !== cert.issuer) return false;
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}
