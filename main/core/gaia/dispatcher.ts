/**
 * One undici dispatcher per client: it keeps connections to the profile's host alive
 * between calls and carries the profile's TLS trust, timeouts and proxy route.
 */
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { ProxyRoute } from './proxy';
import type { TlsConnectOptions } from './trust';
import type tls from 'node:tls';

export interface DispatcherTimeouts {
  connectMs: number;
  headersMs: number;
  /** Longest silence allowed between two chunks of a body. */
  bodyIdleMs: number;
}

export function createDispatcher(o: {
  route: ProxyRoute | null;
  tls: TlsConnectOptions;
  proxyTls: { secureContext: tls.SecureContext };
  timeouts: DispatcherTimeouts;
}): Dispatcher {
  const common = {
    connectTimeout: o.timeouts.connectMs,
    headersTimeout: o.timeouts.headersMs,
    bodyTimeout: o.timeouts.bodyIdleMs,
    keepAliveTimeout: 30_000,
    connections: 6,
  };
  if (!o.route) return new Agent({ ...common, connect: { ...o.tls, timeout: o.timeouts.connectMs } });
  // requestTls is the TLS *inside* the CONNECT tunnel, i.e. to Gaia: the profile's
  // trust and pin apply there. proxyTls only matters for https:// proxies.
  return new ProxyAgent({ ...common, uri: o.route.url.href, requestTls: o.tls, proxyTls: o.proxyTls });
}
