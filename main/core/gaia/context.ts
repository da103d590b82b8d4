/**
 * What every part of the client needs to know about the connection it serves, checked
 * and derived once from the profile's settings: where Gaia is, which key and tenant,
 * which route, and how to describe the host in messages.
 */
import { isLoopbackHost } from '../validate/base-url';
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
 * Parses and checks the base URL: https, since every request carries the key — plain
 * http only to this computer itself (a local tunnel or simulator), as base-url.ts allows.
 */
export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw appError('bad-url', 'The base URL is not a valid web address.', 'Enter the full address, e.g. https://helios.cohesity.com/v2/mcm/gaia.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw appError(
      'bad-url',
      `The base URL must start with https:// (it starts with ${url.protocol}//), because every request carries your API key.`,
      'Use the https:// address of Helios or of your cluster, e.g. https://helios.cohesity.com/v2/mcm/gaia.',
    );
  }
  if (url.username || url.password) {
    throw appError('bad-url', 'The base URL must not contain a user name or password.', 'Remove the part before "@" from the address; the API key is entered separately.');
  }
  if (url.search || url.hash) {
    throw appError('bad-url', 'The base URL must not contain "?" or "#" parts.', 'Enter only the address up to the path, e.g. https://helios.cohesity.com/v2/mcm/gaia.');
  }
  return url;
}

/** A key that cannot travel in an HTTP header is refused before anything is sent. */
export function checkApiKey(apiKey: string): string {
  const key = apiKey.trim();
  if (!key) throw appError('bad-key', 'No API key was given.', 'Paste the API key you generated in Helios or on your cluster.');
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw appError(
      'bad-key',
      'The API key contains spaces, line breaks or other characters that an API key cannot hold.',
      'Copy the key again, exactly as Helios or the cluster showed it, and paste it without anything around it.',
    );
  }
  return key;
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
