/**
 * Which proxy, if any, carries traffic to the profile's host.
 *
 * A client talks to exactly one origin, so the route is decided once, here: the
 * profile's own proxy URL wins, else HTTPS_PROXY / HTTP_PROXY, unless NO_PROXY exempts
 * the host. undici's EnvHttpProxyAgent makes the same decision per request, but the
 * certificate probe (see probe.ts) must take the very same route as the request it
 * explains, so both read it from this one function instead of two implementations that
 * could disagree.
 */
import { appError } from '../errors';

export interface ProxyRoute {
  /** The proxy URL, credentials included (they never reach a message or the log). */
  url: URL;
  /** For messages and the log: scheme, host and port only. */
  label: string;
  source: 'profile' | 'environment';
}

const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v && v.trim() ? v.trim() : undefined;
}

function parseProxy(raw: string, source: ProxyRoute['source']): ProxyRoute {
  let url: URL;
  try {
    // "proxy.corp:3128" is common in the environment; it means http.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw appError(
      'proxy',
      source === 'profile' ? 'The proxy address in this connection is not a valid URL.' : 'The HTTPS_PROXY or HTTP_PROXY setting is not a valid URL.',
      'Enter the proxy as http://host:port (or https://host:port), or clear it.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw appError('proxy', `Proxies of type ${url.protocol.replace(':', '')} are not supported.`, 'Use an http:// or https:// proxy address.');
  }
  return { url, label: `${url.protocol}//${url.host}`, source };
}

/** NO_PROXY: comma/space separated hosts, ".suffix", "*.suffix", "host:port", or "*". */
export function exemptFromProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const port = Number(target.port) || DEFAULT_PORT[target.protocol] || 0;
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (!raw) continue;
    const m = /^\[(.+)\](?::(\d+))?$/.exec(raw) ?? /^([^:]+)(?::(\d+))?$/.exec(raw) ?? [raw, raw, undefined];
    const entryHost = (m[1] ?? '').toLowerCase().replace(/\.$/, '');
    const entryPort = m[2] ? Number(m[2]) : 0;
    if (entryPort && entryPort !== port) continue;
    if (entryHost === '*') return true;
    const wildcard = entryHost.startsWith('*.');
    const bare = entryHost.replace(/^\*?\./, '');
    if (!wildcard && host === bare) return true;
    if (host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

export function resolveProxy(target: URL, profileProxy: string | null | undefined, env: NodeJS.ProcessEnv): ProxyRoute | null {
  // Plain http is only ever allowed to this computer itself (context.ts); through a
  // proxy it would hand the key over in clear text.
  if (target.protocol === 'http:') return null;
  if (profileProxy && profileProxy.trim()) return parseProxy(profileProxy.trim(), 'profile');
  const raw = target.protocol === 'https:' ? (envValue(env, 'https_proxy') ?? envValue(env, 'http_proxy')) : envValue(env, 'http_proxy');
  if (!raw) return null;
  if (exemptFromProxy(target, envValue(env, 'no_proxy'))) return null;
  return parseProxy(raw, 'environment');
}
