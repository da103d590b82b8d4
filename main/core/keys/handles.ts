/**
 * The renderer never holds an API key. Keys seen on Gaia's key service (listed, or made
 * in this session) stay here, in the main process, behind opaque random handles; the
 * renderer gets a handle and the key's last four characters, and passes the handle back
 * to act on the key.
 *
 * A handle belongs to the profile whose key service the key was seen on AND to that
 * profile's binding at the time (connections/key-binding.ts: origin and trust). So a handle from one
 * connection's list never acts through another connection, nor through the same
 * connection after it was moved or its trust loosened: the key would go somewhere it was
 * never sent. Handles are stable for the life of the core (listing twice gives the same
 * handle), random (they say nothing about the key), and forgotten when the key is deleted.
 */
import { randomBytes } from 'node:crypto';
import { appError } from '../errors';
import { keyLast4 } from '../connections/profiles';

/** Where a key was seen: a profile, and the binding (origin and trust) it had then. */
export interface KeyOwner {
  profileId: string;
  binding: string;
}

export interface KeyHandleEntry {
  handle: string;
  key: string;
  profileId: string;
  binding: string;
  /** Made by "create" in this session: the only keys that may be copied or stored from a handle. */
  created: boolean;
}

export interface KeyHandles {
  /** The handle of this key as seen on this profile's key service under this binding; a new one the first time. */
  handleFor(owner: KeyOwner, key: string, created?: boolean): string;
  /**
   * Throws AppError 'not-found' when the handle is unknown, or belongs to another
   * profile or binding than `owner` says (fields left out are not compared).
   */
  require(handle: string, owner?: Partial<KeyOwner>): KeyHandleEntry;
  /** Drops every handle of this key (it was deleted on the server). */
  forgetKey(key: string): void;
  /** Drops listed (not created) handles of a profile whose keys are not in `present` any more. */
  retain(profileId: string, present: ReadonlySet<string>): void;
  forgetProfile(profileId: string): void;
  readonly size: number;
}

/** The last four characters for display, cut here in main; nothing for keys too short to spare them. */
export function last4Of(key: string): string {
  return keyLast4(key) ?? '';
}

/** 18 random bytes as base64url: 24 characters of [A-Za-z0-9_-], which the contract's id pattern accepts. */
function newHandle(): string {
  return randomBytes(18).toString('base64url');
}

const MAX_ENTRIES = 10_000;

export function createKeyHandles(): KeyHandles {
  const byHandle = new Map<string, KeyHandleEntry>();
  const byScopedKey = new Map<string, KeyHandleEntry>();
  const scoped = (owner: KeyOwner, key: string) => `${owner.profileId}\n${owner.binding}\n${key}`;

  const drop = (entry: KeyHandleEntry) => {
    byHandle.delete(entry.handle);
    byScopedKey.delete(scoped(entry, entry.key));
  };

  return {
    handleFor(owner, key, created = false) {
      const { profileId, binding } = owner;
      const existing = byScopedKey.get(scoped(owner, key));
      if (existing) {
        if (created) existing.created = true;
        return existing.handle;
      }
      if (byHandle.size >= MAX_ENTRIES) {
        // A runaway list must not grow memory without end: forget the oldest listed key.
        const oldest = [...byHandle.values()].find((e) => !e.created);
        if (oldest) drop(oldest);
      }
      let handle = newHandle();
      while (byHandle.has(handle)) handle = newHandle();
      const entry: KeyHandleEntry = { handle, key, profileId, binding, created };
      byHandle.set(handle, entry);
      byScopedKey.set(scoped(owner, key), entry);
      return handle;
    },
    require(handle, owner = {}) {
      const entry = byHandle.get(handle);
      const mismatch = entry && ((owner.profileId !== undefined && entry.profileId !== owner.profileId) || (owner.binding !== undefined && entry.binding !== owner.binding));
      if (!entry || mismatch) {
        throw appError(
          'not-found',
          'That key is not in the current list any more.',
          'Refresh the list of keys and try again.',
        );
      }
      return entry;
    },
    forgetKey(key) {
      for (const entry of [...byHandle.values()]) if (entry.key === key) drop(entry);
    },
    retain(profileId, present) {
      for (const entry of [...byHandle.values()]) if (entry.profileId === profileId && !entry.created && !present.has(entry.key)) drop(entry);
    },
    forgetProfile(profileId) {
      for (const entry of [...byHandle.values()]) if (entry.profileId === profileId) drop(entry);
    },
    get size() {
      return byHandle.size;
    },
  };
}
