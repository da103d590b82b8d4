/**
 * Turns a stored profile and its key into a Gaia client, and keeps one client per profile
 * so connections are reused. The key is fetched from the keychain here, in main, and
 * goes straight into the client: nothing else holds it.
 */
import { AppError, appError } from '../errors';
import { bindingId } from './key-binding';
import { createGaiaClient, type ConnectionSettings, type GaiaClient } from '../gaia/client';
import type { Keychain } from '../platform/keychain/index';
import type { Log } from '../platform/log';
import { createUseRecorder } from './last-used';
import { requireBinding, type ProfileStore, type StoredProfile } from './profiles';

export interface ActiveConnection {
  profile: StoredProfile;
  client: GaiaClient;
}

export interface Connections {
  /** The active profile with a client, or AppError 'not-connected'. */
  active(): Promise<ActiveConnection>;
  /** The active connection when it is known without waiting (profile read, client made); undefined otherwise (ask active()). */
  activeNow?(): ActiveConnection | undefined;
  /** A client for a profile with its stored key. */
  forProfile(profile: StoredProfile): Promise<GaiaClient>;
  /**
   * The profile's stored key, or null when none is stored. Throws 'key-required' when the
   * profile no longer has the origin and trust the key was stored under: the one place a
   * stored key is read to be sent, so it is never sent anywhere else.
   */
  storedKey(profile: StoredProfile): Promise<string | null>;
  /**
   * Stores a key for the profile as it was when the key was checked (`checked`), or refuses
   * when the profile has moved since: a check on the wire while the page moves the profile
   * must not bind the checked key to the new place. Runs inside `writingKey`.
   */
  storeKey(checked: StoredProfile, key: string): Promise<StoredProfile>;
  /** Runs `write` with no other key write of this profile in between (keychain and file change together). */
  writingKey<T>(profileId: string, write: () => Promise<T>): Promise<T>;
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
  /** One client per profile, for the binding (address, trust, proxy) it was made for. */
  const clients = new Map<string, { binding: string; client: GaiaClient }>();
  const keyWrites = new Map<string, Promise<unknown>>();
  const uses = createUseRecorder((id) => deps.profiles.touch(id));

  const writingKey = <T>(profileId: string, write: () => Promise<T>): Promise<T> => {
    const before = keyWrites.get(profileId) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(write);
    const tail = run.catch(() => undefined);
    keyWrites.set(profileId, tail);
    void tail.then(() => {
      if (keyWrites.get(profileId) === tail) keyWrites.delete(profileId);
    });
    return run;
  };

  const storeKey = (checked: StoredProfile, key: string): Promise<StoredProfile> =>
    writingKey(checked.id, async () => {
      const binding = bindingId(checked);
      // Before the keychain changes: a moved profile must never hold this key, not even briefly.
      requireBinding(await deps.profiles.get(checked.id), binding);
      const previous = await deps.keychain.get(checked.id).catch(() => null);
      const where = await deps.keychain.set(checked.id, key);
      try {
        return await deps.profiles.recordKey(checked.id, key, where, binding);
      } catch (err) {
        // File and keychain must agree: the key the file describes goes back.
        await (previous ? deps.keychain.set(checked.id, previous) : deps.keychain.delete(checked.id)).catch(() => undefined);
        throw err;
      }
    });

  const storedKey = async (profile: StoredProfile): Promise<string | null> => {
    const key = await deps.keychain.get(profile.id);
    // A record read before a move describes the old place, but the keychain already holds
    // the key typed for the new one: that key must not go to the old place either.
    if (key) {
      const current = await deps.profiles.get(profile.id).catch(() => null);
      if (!current) throw appError('not-connected', `The connection “${profile.name}” was removed.`, 'Choose another connection.');
      requireBinding(current, bindingId(profile));
    }
    if (key && profile.keyBinding && profile.keyBinding !== bindingId(profile)) {
      deps.log.warn(`profile ${profile.id}: its key was stored for other settings; not sending it`);
      throw appError(
        'key-required',
        `The address, certificates or proxy of “${profile.name}” are not the ones its API key was stored for, so the key is not sent.`,
        'Open Connections and enter the key again for these settings (Replace key).',
      );
    }
    return key;
  };

  /** Clients being made: calls that arrive together (a page asks for datasets and models at once) share one. */
  const making = new Map<string, { binding: string; client: Promise<GaiaClient> }>();
  /** Bumped by invalidate: a client made from a key read before it is used once, never cached. */
  const generation = new Map<string, number>();

  const makeClient = async (profile: StoredProfile, binding: string): Promise<GaiaClient> => {
    const gen = generation.get(profile.id) ?? 0;
    const key = await storedKey(profile);
    if (!key) {
      throw appError(
        'not-connected',
        `The connection “${profile.name}” has no API key stored${deps.keychain.sessionOnly ? ' (keys kept for the session only are forgotten when the app quits)' : ''}.`,
        'Open Connections and add the key again.',
      );
    }
    const profileId = profile.id;
    const client = createGaiaClient(settingsOf(profile, key), { log: deps.log, env: deps.env, onAnswered: () => uses.used(profileId) });
    if ((generation.get(profile.id) ?? 0) !== gen) return client;
    const replaced = clients.get(profile.id);
    clients.set(profile.id, { binding, client });
    // Only a client made for other settings is closed; requests it still carries finish first.
    if (replaced && replaced.client !== client) void replaced.client.close().catch(() => undefined);
    return client;
  };

  const forProfile = async (profile: StoredProfile): Promise<GaiaClient> => {
    const binding = bindingId(profile);
    const cached = clients.get(profile.id);
    // A record read before a move must not get the client made for where the profile is now.
    if (cached?.binding === binding) return cached.client;
    const pending = making.get(profile.id);
    if (pending?.binding === binding) return pending.client;
    const client = makeClient(profile, binding);
    const entry = { binding, client };
    making.set(profile.id, entry);
    const settle = () => {
      if (making.get(profile.id) === entry) making.delete(profile.id);
    };
    client.then(settle, settle);
    return client;
  };

  return {
    activeNow() {
      const profile = deps.profiles.activeNow?.();
      if (!profile) return undefined;
      const cached = clients.get(profile.id);
      return cached?.binding === bindingId(profile) ? { profile, client: cached.client } : undefined;
    },
    async active() {
      const profile = await deps.profiles.active();
      if (!profile) throw notConnected();
      // The usual case, the client made already for where the profile is, without forProfile's await.
      const cached = clients.get(profile.id);
      if (cached?.binding === bindingId(profile)) return { profile, client: cached.client };
      return { profile, client: await forProfile(profile) };
    },
    forProfile,
    storedKey,
    storeKey,
    writingKey,
    probe: (settings) => createGaiaClient(settings, { log: deps.log, env: deps.env }),
    async invalidate(profileId) {
      const cached = clients.get(profileId);
      clients.delete(profileId);
      making.delete(profileId);
      generation.set(profileId, (generation.get(profileId) ?? 0) + 1);
      uses.forget(profileId);
      await cached?.client.close();
    },
    async closeAll() {
      const all = [...clients.values()];
      clients.clear();
      making.clear();
      await Promise.all(all.map((c) => c.client.close()));
    },
  };
}
