/**
 * Gaia's API-key service, rooted at the base URL's origin (urls.ts keyServicePath). Every
 * key that passes through here is registered as a log secret before anything can log it.
 */
import type { GaiaClient } from '../client';
import type { Exchange } from '../transport';
import { keyServicePath, segment } from '../urls';
import { WireApiKey, WireApiKeyList, WireApiKeyResult, type WireKeyConfigBody } from '../wire';
import type { EndpointKit } from './kit';

const permissionsOf = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) ? value.map(String).join(', ') : value == null ? 'unknown' : JSON.stringify(value);

/**
 * A 404 on the list or on create means the service is not there, not that a key is
 * missing: its paths are [I] and come from no Cohesity page (docs/gaia-api.md §API key
 * management), so a real Helios or cluster is expected to answer so. (On update and
 * delete a 404 is the key the service does not know, as the ordinary message says.)
 */
const NO_KEY_SERVICE = {
  message: 'This Gaia has no API-key service at /es/api/v1/credentials/api_keys/ (404), so keys cannot be listed or created from here.',
  action: 'Manage API keys in Helios (Settings → Access Management → API Keys) or on the cluster’s API Keys page; your key for Gaia itself is not affected.',
};

export function keyEndpoints(kit: EndpointKit): GaiaClient['apiKeys'] {
  const { transport, log, timeouts, get, shapeError } = kit;

  const keyWrite = (method: 'POST' | 'PUT' | 'DELETE', path: string, route: string, body?: unknown, notFound?: typeof NO_KEY_SERVICE): Exchange => ({
    method,
    path,
    route,
    body,
    idempotent: false,
    deadlineMs: timeouts.deadlineMs,
    failure: { write: true, what: 'that API key', ...(notFound ? { notFound } : {}) },
  });

  return {
    async list(o) {
      const label = 'GET /es/api/v1/credentials/api_keys/';
      const value = await transport.json(get(keyServicePath(), label, { notFound: NO_KEY_SERVICE }), o);
      const parsed = WireApiKeyList.safeParse(value);
      if (!parsed.success) throw shapeError(label, parsed.error.issues.slice(0, 5));
      return parsed.data.flatMap((item) => {
        const k = WireApiKey.safeParse(item);
        if (!k.success) return [];
        log.addSecret(k.data.api_key);
        return [{ apiKey: k.data.api_key, permissions: permissionsOf(k.data.config?.permissions) }];
      });
    },
    async create(permissions, o) {
      const label = 'POST /es/api/v1/credentials/api_keys/';
      const body: WireKeyConfigBody = { config: { permissions } };
      const value = await transport.json(keyWrite('POST', keyServicePath(), label, body, NO_KEY_SERVICE), o);
      const parsed = WireApiKeyResult.safeParse(value);
      if (!parsed.success) throw shapeError(label, parsed.error.issues.slice(0, 5).map((i) => i.message));
      log.addSecret(parsed.data.api_key);
      return parsed.data.api_key;
    },
    async update(key, permissions, o) {
      log.addSecret(key);
      const body: WireKeyConfigBody = { config: { permissions } };
      await transport.json(keyWrite('PUT', keyServicePath(segment(key)), 'PUT /es/api/v1/credentials/api_keys/{key}', body), o);
    },
    async delete(key, o) {
      log.addSecret(key);
      await transport.json(keyWrite('DELETE', keyServicePath(`delete/${segment(key)}`), 'DELETE /es/api/v1/credentials/api_keys/delete/{key}'), o);
    },
  };
}
