/**
 * What every part of the client needs to know about the connection it serves, checked
 * and derived once from the profile's settings: where Gaia is, which key and tenant,
 * which route, and how to describe the host in messages.
 */
import { normalizeBaseUrl } from '../validate/base-url';
import { appError } from '../errors';
import type { CallFailure, FailureContext } from './error-map';
import type { ProbeTarget } from './probe';
import type { ProxyRoute } from './proxy';

export interface ClientContext {
  /** scheme://host:port — the only place the key is ever sent. */
  origin: string;
  /** The base path without a trailing slash, e.g. "/v2/mcm/gaia". */
  basePath: string;
  /** host[:port], for messages. */
  hostLabel: string;
  apiKey: string;
  securityContext: string | null;
  trustedFingerprint: string | null;
  proxy: ProxyRoute | null;
  probeTarget: Omit<ProbeTarget, 'timeoutMs'>;
  redact: (text: string) => string;
}

/**
 * The base URL, checked by the one rule for Gaia addresses (validate/base-url.ts): https,
 * since every request carries the key — plain http only to this computer itself.
 */
export function parseBaseUrl(raw: string): URL {
  return new URL(normalizeBaseUrl(raw).normalized);
}

/** The tenant token travels in a header too; refuse what no header can carry. */
export function checkSecurityContext(value: string | null | undefined): string | null {
  const token = value?.trim();
  if (!token) return null;
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw appError(
      'bad-key',
      'The security context contains spaces, line breaks or other characters that cannot be sent to Gaia.',
      'Copy the security context again, exactly as your administrator gave it, or clear it.',
    );
  }
  return token;
}

export function failureContextFor(ctx: ClientContext, extra: CallFailure = {}): FailureContext {
  return { host: ctx.hostLabel, proxyLabel: ctx.proxy?.label ?? null, redact: ctx.redact, ...extra };
}
