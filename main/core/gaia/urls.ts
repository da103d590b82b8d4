/**
 * Where each call goes (the paths themselves: docs/gaia-api.md). Paths are built as raw strings and handed to undici as-is, so
 * nothing re-parses (and re-normalises) a dataset name on the way.
 *
 * Rooting of the API-key service ([I]: its paths come from another product's page, not
 * from Cohesity; docs/gaia-api.md §API key management). Gaia's paths are documented relative to the base URL
 * (`GET /datasets` means `{base}/datasets`), but the key service's paths carry their
 * own service prefix (`/es/api/v1/...`), the mark of a separate service mounted at the
 * host's root. So they are rooted at the ORIGIN of the base URL:
 *   https://helios.cohesity.com/v2/mcm/gaia  →  https://helios.cohesity.com/es/api/v1/credentials/api_keys/
 * The simulator serves them there too. Should a deployment mount them under the base
 * path instead, `keyServicePath` is the one place to change.
 */
import type { ClientContext } from './context';

/** One path segment, whatever the name holds: spaces, "/", "?", "#", accents, CJK. */
export function segment(value: string): string {
  const encoded = encodeURIComponent(value);
  // "." and ".." are path navigation to every URL parser on the way; escape them.
  return encoded === '.' ? '%2E' : encoded === '..' ? '%2E%2E' : encoded;
}

export type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

/** Characters URLSearchParams leaves as they are: text made of only these needs no encoder. */
const PLAIN = /^[A-Za-z0-9._-]*$/;

export function queryString(query: Query = {}): string {
  // The usual query (a page size, a plain token) written directly: the same text
  // URLSearchParams gives it, without building one per request.
  let plain = '';
  for (const key in query) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    if (typeof text !== 'string' || !PLAIN.test(key) || !PLAIN.test(text)) return encoded(query);
    plain += `${plain ? '&' : '?'}${key}=${text}`;
  }
  return plain;
}

function encoded(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** `{base}/…` — `parts` are raw path parts; values from users go through `segment`. */
export function gaiaPath(ctx: ClientContext, parts: string, query?: Query): string {
  return `${ctx.basePath}/${parts.replace(/^\//, '')}${queryString(query)}`;
}

export function keyServicePath(rest = ''): string {
  return `/es/api/v1/credentials/api_keys/${rest}`;
}
