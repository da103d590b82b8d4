/**
 * Turns a stored profile and its key into a Gaia client, and keeps one client per profile
 * so connections are reused. The key is fetched from the keychain here, in main, and
 * goes straight into the client: nothing else holds it.
 */
import { AppError, appError } from '../errors';
import { createGaiaClient, type ConnectionSettings, type GaiaClient } from '../gaia/client';
import type { Keychain } from '../platform/keychain';
import type { Log } from '../platform/log';
import type { ProfileStore, StoredProfile } from './profiles';

export interface ActiveConnection {
  profile: StoredProfile;
  client: GaiaClient;
}

export interface Connections {
  /** The active profile with a client, or AppError 'not-connected'. */
  active(): Promise<ActiveConnection>;
  /** A client for a profile with its stored key. */
  forProfile(profile: StoredProfile): Promise<GaiaClient>;
  /** A short-lived client for settings and a key not saved yet (connect, replace key, rotate). */
  probe(settings: ConnectionSettings): GaiaClient;
  /** Drops the cached client of a profile (its settings or key changed, or it is gone). */
  invalidate(profileId: string): Promise<void>;
  closeAll(): Promise<void>;
}

export function settingsOf(profile: StoredProfile, apiKey: string): ConnectionSettings {
  return {
    baseUrl: profile.baseUrl,
    apiKey,
    securityContext: profile.securityContext,
    caPem: profile.caPem,
    trustedFingerprint: profile.trustedFingerprint,
    proxyUrl: profile.proxyUrl,
    verifyTls: profile.verifyTls,
  };
}

/** There is no active profile: the one wording, wherever a call needs a connection. */
export function notConnected(): AppError {
  return appError('not-connected', 'You are not connected to Gaia yet.', 'Open Connections and connect with your base URL and API key.');
}

export function createConnections(deps: { profiles: ProfileStore; keychain: Keychain; log: Log; env?: NodeJS.ProcessEnv }): Connections {
  const clients = new Map<string, GaiaClient>();

  const forProfile = async (profile: StoredProfile): Promise<GaiaClient> => {
    const cached = clients.get(profile.id);
    if (cached) return cached;
    const key = await deps.keychain.get(profile.id);
    if (!key) {
      throw appError(
        'not-connected',
        `The connection “${profile.name}” has no API key stored${deps.keychain.sessionOnly ? ' (keys kept for the session only are forgotten when the app quits)' : ''}.`,
        'Open Connections and add the key again.',
      );
    }
    const client = createGaiaClient(settingsOf(profile, key), { log: deps.log, env: deps.env });
    clients.set(profile.id, client);
    return client;
  };

  return {
    async active() {
      const profile = await deps.profiles.active();
      if (!profile) throw notConnected();
      return { profile, client: await forProfile(profile) };
    },
    forProfile,
    probe: (settings) => createGaiaClient(settings, { log: deps.log, env: deps.env }),
    async invalidate(profileId) {
      const client = clients.get(profileId);
      clients.delete(profileId);
      await client?.close();
    },
    async closeAll() {
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(all.map((c) => c.close()));
    },
  };
}
