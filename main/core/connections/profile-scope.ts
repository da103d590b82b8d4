/**
 * Which connection a call runs as. The app's window always uses the active profile; the
 * command line and the MCP server choose one per call (`--profile`, a tool's
 * `connection`) without changing which one the app shows. The choice travels with the
 * call in AsyncLocalStorage, so the handlers stay as they are (they ask for "the active
 * profile") and two calls for two connections can run at once in one core.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appError } from '../errors';
import type { ProfileStore, StoredProfile } from './profiles';

const chosen = new AsyncLocalStorage<string>();

/** Runs `call` with `profileId` as its active profile (for this call only). */
export function asProfile<T>(profileId: string, call: () => Promise<T>): Promise<T> {
  return chosen.run(profileId, call);
}

/** The store, with `active()` answering the profile chosen for the current call, if one was. */
export function scopedProfiles(store: ProfileStore): ProfileStore {
  return {
    ...store,
    active: async () => {
      const id = chosen.getStore();
      return id ? store.get(id) : store.active();
    },
    // A call with a chosen profile reads it through get(), which waits.
    activeNow: () => (chosen.getStore() ? undefined : store.activeNow?.()),
  };
}

/**
 * A profile by id or by name (case-insensitive); without one, the active profile.
 * Refusals name the connections there are, so the next try can be right.
 */
export async function findProfile(store: ProfileStore, nameOrId: string | undefined): Promise<StoredProfile> {
  const { profiles, activeId } = await store.load();
  const names = profiles.map((p) => `“${p.name}”`).join(', ');
  if (profiles.length === 0) {
    throw appError('not-connected', 'You are not connected to Gaia yet.', 'Open Gaia Desktop → Connections and connect with your base URL and API key.');
  }
  if (nameOrId === undefined || nameOrId.trim() === '') {
    const active = profiles.find((p) => p.id === activeId);
    if (active) return active;
    throw appError('not-connected', 'No connection is active in Gaia Desktop.', `Name one with --profile (connections: ${names}), or choose one in Gaia Desktop → Connections.`);
  }
  const wanted = nameOrId.trim();
  const byId = profiles.find((p) => p.id === wanted);
  if (byId) return byId;
  const byName = profiles.filter((p) => p.name.toLocaleLowerCase() === wanted.toLocaleLowerCase());
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    throw appError('no-such-profile', `More than one connection is named “${wanted}”.`, `Use the connection’s id instead (gaia-desktop profiles lists them).`);
  }
  throw appError('no-such-profile', `There is no connection named “${wanted}”.`, `Use one of: ${names}.`);
}
