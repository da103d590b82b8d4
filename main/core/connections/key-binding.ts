/**
 * A stored key belongs to the place its user sent it: one origin (scheme, host, port)
 * reached under one trust (the CA set, the pinned fingerprint, the proxy, certificate
 * checks on or off). That pair is the key's binding.
 *
 * Main compares bindings before a secret goes anywhere new. A change that moves the
 * origin or loosens the trust needs the key typed again (the stored one is never sent
 * to the new place); a change that tightens (checks back on, a proxy removed, a CA
 * taken away) does not. Every secret main holds is bound: a profile's key (its binding
 * is recorded with it in profiles.json) and the keys of Gaia's key service kept behind
 * handles (key-handles.ts).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { normalizeFingerprint, splitPem } from '../gaia/certificates';
import type { ConnectionSettings } from '../gaia/client';

/** The settings a binding is read from: a stored profile, or connection settings. */
export type BindingSource = Pick<ConnectionSettings, 'baseUrl' | 'caPem' | 'trustedFingerprint' | 'proxyUrl' | 'verifyTls'>;

export interface Binding {
  origin: string;
  /** SHA-256 fingerprints of the extra CA certificates, sorted. */
  ca: string[];
  pin: string | null;
  proxy: string | null;
  verifyTls: boolean;
}

/** A change the key must be typed again for; `origin` is a move, the others loosen trust. */
export type Loosening = 'origin' | 'verify-off' | 'ca' | 'pin' | 'proxy';

function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    // Not a URL: it binds to nothing else, so any real address differs from it.
    return `invalid:${baseUrl}`;
  }
}

/**
 * Fingerprints by PEM text: every call through a connection checks its binding, and
 * parsing the certificates each time cost a third of a millisecond a call. A pure
 * function of the text, so remembering a few is safe.
 */
const fingerprintsByPem = new Map<string, readonly string[]>();
const MAX_REMEMBERED_PEMS = 16;

function caFingerprints(pem: string | null | undefined): string[] {
  const text = pem ?? '';
  let known = fingerprintsByPem.get(text);
  if (!known) {
    known = readFingerprints(text);
    if (fingerprintsByPem.size >= MAX_REMEMBERED_PEMS) fingerprintsByPem.delete(fingerprintsByPem.keys().next().value!);
    fingerprintsByPem.set(text, known);
  }
  return [...known];
}

function readFingerprints(pem: string): string[] {
  const blocks = splitPem(pem ?? '');
  const out = new Set<string>();
  for (const block of blocks) {
    try {
      out.add(normalizeFingerprint(new X509Certificate(block).fingerprint256));
    } catch {
      out.add(`unparsed:${createHash('sha256').update(block.trim()).digest('hex')}`);
    }
  }
  // Text that holds no certificate block still changes what is trusted if it ever did.
  if (blocks.length === 0 && pem && pem.trim()) out.add(`text:${createHash('sha256').update(pem.trim()).digest('hex')}`);
  return [...out].sort();
}

export function bindingOf(s: BindingSource): Binding {
  const proxy = s.proxyUrl?.trim() ? s.proxyUrl.trim().toLowerCase() : null;
  return {
    origin: originOf(s.baseUrl),
    ca: caFingerprints(s.caPem),
    pin: s.trustedFingerprint?.trim() ? normalizeFingerprint(s.trustedFingerprint) : null,
    proxy,
    verifyTls: s.verifyTls,
  };
}

/**
 * The last few settings a binding id was worked out for: every call through a connection
 * checks its binding, and building and hashing it cost more than the rest of finding the
 * connection. A pure function of these five fields, compared one by one (the profile
 * store hands out the same strings each call, so the comparison is cheap).
 */
const recentIds: Array<{ source: BindingSource; id: string }> = [];
const MAX_RECENT_IDS = 8;

const sameSource = (a: BindingSource, b: BindingSource) =>
  a.baseUrl === b.baseUrl && a.caPem === b.caPem && a.trustedFingerprint === b.trustedFingerprint && a.proxyUrl === b.proxyUrl && a.verifyTls === b.verifyTls;

function idOfBinding(binding: Binding): string {
  const canonical = JSON.stringify([binding.origin, binding.ca, binding.pin, binding.proxy, binding.verifyTls]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 32);
}

/** A short, stable name for a binding: what profiles.json records next to a key, and what handles carry. */
export function bindingId(b: Binding | BindingSource): string {
  if ('origin' in b) return idOfBinding(b);
  for (const known of recentIds) if (sameSource(known.source, b)) return known.id;
  const id = idOfBinding(bindingOf(b));
  // A copy of the five fields: the caller's object may change after this.
  const source: BindingSource = { baseUrl: b.baseUrl, caPem: b.caPem, trustedFingerprint: b.trustedFingerprint, proxyUrl: b.proxyUrl, verifyTls: b.verifyTls };
  if (recentIds.length >= MAX_RECENT_IDS) recentIds.shift();
  recentIds.push({ source, id });
  return id;
}

/** The trust a moved key starts from: nothing of the old host's trust comes along but the proxy. */
const strictAt = (origin: string, proxy: string | null): Binding => ({ origin, ca: [], pin: null, proxy, verifyTls: true });

/**
 * What going from `from` to `to` loosens. The origin first; trust is compared with the
 * old trust on the same origin, and with full checks (only the proxy carried over) when
 * the origin moves.
 */
export function loosenings(from: Binding, to: Binding): Loosening[] {
  const out: Loosening[] = [];
  const base = from.origin === to.origin ? from : strictAt(to.origin, from.proxy);
  if (from.origin !== to.origin) out.push('origin');
  if (base.verifyTls && !to.verifyTls) out.push('verify-off');
  // With checks off before, any certificate was accepted: a CA or pin can only narrow that.
  if (base.verifyTls && to.ca.some((fp) => !base.ca.includes(fp))) out.push('ca');
  // A pin is tied to one certificate: a new, changed or removed pin is a new trust decision.
  if (base.verifyTls && to.pin !== base.pin) out.push('pin');
  if (to.proxy !== null && to.proxy !== base.proxy) out.push('proxy');
  return out;
}

/** Loosenings that weaken the trust itself (a move alone is checked like a new connection). */
export const loosensTrust = (list: readonly Loosening[]) => list.some((l) => l !== 'origin');

/** The user's words for what a change would do, e.g. for the native confirmation and the error. */
export function describeLoosenings(list: readonly Loosening[], to: BindingSource): string[] {
  const host = (() => {
    try {
      return new URL(to.baseUrl).host;
    } catch {
      return to.baseUrl;
    }
  })();
  const words: Record<Loosening, string> = {
    origin: `send your API key to a different server, ${originOf(to.baseUrl)}`,
    'verify-off': `turn certificate checks off for ${host}`,
    ca: `trust a new CA certificate for ${host}`,
    pin: `change which certificate is pinned for ${host}`,
    proxy: `send your API key through the proxy ${to.proxyUrl ?? ''}`.trim(),
  };
  return list.map((l) => words[l]);
}
