/**
 * The set of certificate authorities a profile trusts, built by the app rather than
 * inherited from whatever Node or Electron happens to load (the model is Bruno's
 * "ca-cert" handling): the OS store, Node's bundled Mozilla roots, NODE_EXTRA_CA_CERTS,
 * and the profile's own CA PEM. Passing `ca` replaces Node's defaults, so each source
 * must be added explicitly.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { Log } from '../platform/log';
import { isSelfSigned, normalizeFingerprint, splitPem } from './certificates';
import { X509Certificate, createHash } from 'node:crypto';

/** The code our pin check fails a handshake with; errors.ts maps it. */
export const PIN_MISMATCH = 'ERR_GAIA_PIN_MISMATCH';

export interface TrustSettings {
  caPem?: string | null;
  trustedFingerprint?: string | null;
  verifyTls: boolean;
}

export interface TlsConnectOptions {
  secureContext: tls.SecureContext;
  rejectUnauthorized: boolean;
  checkServerIdentity: (host: string, cert: tls.PeerCertificate) => Error | undefined;
}

let systemCache: string[] | null = null;

/** The OS store is slow to read (hundreds of certificates) and does not change while we run. */
function systemCertificates(log: Log): string[] {
  if (systemCache) return systemCache;
  try {
    systemCache = typeof tls.getCACertificates === 'function' ? tls.getCACertificates('system') : [];
  } catch (err) {
    log.warn('could not read the system certificate store; using the bundled roots only', String(err));
    systemCache = [];
  }
  return systemCache;
}

function extraCertificates(env: NodeJS.ProcessEnv, log: Log): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return splitPem(readFileSync(file, 'utf8'));
  } catch (err) {
    log.warn(`NODE_EXTRA_CA_CERTS points at a file that cannot be read (${file}); ignoring it`, String((err as Error).message));
    return [];
  }
}

/** Every trusted CA as PEM, deduplicated, profile CA last. */
export function trustedCertificates(caPem: string | null | undefined, env: NodeJS.ProcessEnv, log: Log): string[] {
  const all = [...systemCertificates(log), ...tls.rootCertificates, ...extraCertificates(env, log), ...splitPem(caPem ?? '')];
  return [...new Set(all.map((pem) => pem.trim()))];
}

/**
 * "Trust this certificate" may pin a leaf or an intermediate rather than a root. OpenSSL
 * only accepts chains that end in a self-signed root unless partial chains are allowed;
 * allow them only when the profile itself holds such a certificate, so ordinary
 * profiles keep the strict behaviour.
 */
function needsPartialChain(caPem: string | null | undefined): boolean {
  return splitPem(caPem ?? '').some((pem) => {
    try {
      return !isSelfSigned(new X509Certificate(pem));
    } catch {
      return false;
    }
  });
}

function chainFingerprints(cert: tls.PeerCertificate): Set<string> {
  const out = new Set<string>();
  let current = cert as tls.DetailedPeerCertificate | undefined;
  while (current?.fingerprint256 && !out.has(normalizeFingerprint(current.fingerprint256))) {
    out.add(normalizeFingerprint(current.fingerprint256));
    current = current.issuerCertificate;
  }
  return out;
}

/**
 * TLS options for connections to the profile's host. One secure context per client:
 * building it from ~700 PEMs on every connection would cost more than the handshake.
 *
 * `verifyTls: false` reaches only these options, which only ever reach this profile's
 * host; proxies and every other profile keep full verification.
 *
 * With a pinned fingerprint, a chain that verifies but no longer contains the pinned
 * certificate (say, re-issued by another CA that is also trusted) fails the handshake
 * before any request — and so the key — is written.
 */
export function tlsConnectOptions(settings: TrustSettings, env: NodeJS.ProcessEnv, log: Log): TlsConnectOptions {
  const secureContext = secureContextFor(trustedCertificates(settings.caPem, env, log), needsPartialChain(settings.caPem));
  const pin = settings.trustedFingerprint ? normalizeFingerprint(settings.trustedFingerprint) : null;
  return {
    secureContext,
    rejectUnauthorized: settings.verifyTls,
    checkServerIdentity: (host, cert) => {
      const identityError = tls.checkServerIdentity(host, cert);
      if (identityError) return identityError;
      if (pin && !chainFingerprints(cert).has(pin)) {
        return Object.assign(new Error('the server certificate chain no longer contains the pinned certificate'), { code: PIN_MISMATCH });
      }
      return undefined;
    },
  };
}

/** For the connection to an https proxy: full verification always, no pin. */
export function proxyTlsOptions(caPem: string | null | undefined, env: NodeJS.ProcessEnv, log: Log): { secureContext: tls.SecureContext } {
  return { secureContext: secureContextFor(trustedCertificates(caPem, env, log), false) };
}

const contexts = new Map<string, tls.SecureContext>();
const MAX_CONTEXTS = 8;

/**
 * A secure context costs ~100 ms to build from the full store, and clients are rebuilt
 * whenever a profile changes; identical trust sets share one (contexts are read-only).
 */
function secureContextFor(ca: string[], allowPartialTrustChain: boolean): tls.SecureContext {
  const key = createHash('sha256').update(ca.join('\n')).update(String(allowPartialTrustChain)).digest('hex');
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext({ ca, ...(allowPartialTrustChain ? { allowPartialTrustChain: true } : {}) });
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(key, ctx);
  }
  return ctx;
}
