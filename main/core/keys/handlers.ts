/**
 * Gaia's API-key service, for the active profile, and key rotation for any profile.
 *
 * No key ever crosses the bridge: every key listed or created stays in this core's
 * handle map (handles.ts) and the renderer gets an opaque handle and the last four
 * characters, cut here. A key created in this session can be stored straight into the
 * keychain for a profile (validated first) or copied to the OS clipboard by main, which
 * clears the clipboard again after a minute if it still holds the key.
 */
import type { Handlers } from '../dispatch';
import { appError, toErrorInfo } from '../errors';
import { summarizePem } from '../gaia/certificates';
import { settingsOf } from '../connections/clients';
import { bindingId } from '../connections/key-binding';
import { last4Of, type KeyHandleEntry, type KeyHandles, type KeyOwner } from './handles';
import { requireBinding, toPublic, type StoredProfile } from '../connections/profiles';
import { rotateProfileKey } from './rotate';
import type { Services } from '../services';

type KeyChannels = 'gaia:keys.list' | 'gaia:keys.create' | 'gaia:keys.update' | 'gaia:keys.delete' | 'gaia:keys.useForProfile' | 'gaia:keys.copy' | 'gaia:keys.rotate';

export const CLIPBOARD_CLEAR_MS = 60_000;

export interface KeyHandlerOptions {
  /** How long a copied key may stay on the clipboard. */
  clipboardClearMs?: number;
  handles?: KeyHandles;
}

export function keyHandlers(s: Services, options: KeyHandlerOptions = {}): Handlers<KeyChannels> {
  const { profiles, keychain, connections, log } = s;
  const handles = options.handles ?? s.keyHandles;
  const clearAfterMs = options.clipboardClearMs ?? CLIPBOARD_CLEAR_MS;
  const clipboardTimers = new Map<string, NodeJS.Timeout>();
  const rotating = new Set<string>();
  const pub = (p: StoredProfile) => toPublic(p, summarizePem);
  /** A key seen through this profile belongs to it and to where it points now. */
  const ownerOf = (p: StoredProfile): KeyOwner => ({ profileId: p.id, binding: bindingId(p) });

  /** The active profile's stored key, or null when it cannot be read (then nothing is marked current). */
  const currentKey = async (profileId: string): Promise<string | null> => {
    try {
      return await keychain.get(profileId);
    } catch {
      return null;
    }
  };

  const onlyCreated = (entry: KeyHandleEntry, what: string) => {
    if (!entry.created) {
      throw appError(
        'invalid-request',
        `Only a key created here in this session can be ${what}; listed keys stay masked.`,
        'To use another key, paste it with “Replace key” on the Connections page.',
      );
    }
  };

  const serviceKey = (entry: KeyHandleEntry, permissions: string, current: string | null) => ({
    handle: entry.handle,
    last4: last4Of(entry.key),
    permissions,
    isCurrent: current !== null && entry.key === current,
  });

  return {
    'gaia:keys.list': async () => {
      const { profile, client } = await connections.active();
      const [listed, current] = await Promise.all([client.apiKeys.list(), currentKey(profile.id)]);
      handles.retain(profile.id, new Set(listed.map((k) => k.apiKey)));
      return {
        keys: listed.map((k) => {
          const entry = handles.require(handles.handleFor(ownerOf(profile), k.apiKey));
          return serviceKey(entry, k.permissions, current);
        }),
      };
    },

    'gaia:keys.create': async ({ permissions }) => {
      const { profile, client } = await connections.active();
      // Read now, while it still belongs where the profile points: the key that can delete
      // the new one again if the connection moves while Gaia makes it.
      const ownKey = await connections.storedKey(profile);
      const key = await client.apiKeys.create(permissions);
      log.addSecret(key);
      const owner = ownerOf(profile);
      const now = await profiles.get(profile.id).catch(() => null);
      if (ownKey && (!now || bindingId(now) !== owner.binding)) {
        // No handle could act on it after the move, so nobody here could see or delete it. It
        // goes now, from the key service that made it, with the key that was valid there (the
        // client of the old place is closed by the move).
        const there = connections.probe(settingsOf(profile, ownKey));
        await there.apiKeys
          .delete(key)
          .catch((err: unknown) => log.warn('keys: a key made while its connection moved could not be deleted again', err))
          .finally(() => there.close());
        if (now) requireBinding(now, owner.binding);
        throw appError('not-connected', 'The connection was removed while the key was being made; the key was deleted again.', 'Choose another connection.');
      }
      const entry = handles.require(handles.handleFor(owner, key, true));
      log.info(`keys: created a ${permissions} key on the key service of profile ${profile.id}`);
      return serviceKey(entry, permissions, null);
    },

    'gaia:keys.update': async ({ handle, permissions }) => {
      const { profile, client } = await connections.active();
      // Listed keys travel in the URL path: only to the key service they were listed on.
      const entry = handles.require(handle, ownerOf(profile));
      await client.apiKeys.update(entry.key, permissions);
      return serviceKey(entry, permissions, await currentKey(profile.id));
    },

    'gaia:keys.delete': async ({ handle }) => {
      const { profile, client } = await connections.active();
      const entry = handles.require(handle, ownerOf(profile));
      if (entry.key === (await currentKey(profile.id))) {
        throw appError(
          'invalid-request',
          `This is the key “${profile.name}” uses. Deleting it would disconnect this connection.`,
          'Rotate the key instead (it creates a new key, switches to it, then deletes this one), or replace the key on the Connections page first.',
        );
      }
      try {
        await client.apiKeys.delete(entry.key);
      } catch (err) {
        if (toErrorInfo(err).status !== 404) throw err;
        handles.forgetKey(entry.key);
        return { deleted: false };
      }
      handles.forgetKey(entry.key);
      log.info(`keys: deleted a key on the key service of profile ${profile.id}`);
      return { deleted: true };
    },

    'gaia:keys.useForProfile': async ({ handle, profileId }) => {
      const entry = handles.require(handle);
      onlyCreated(entry, 'stored from here');
      const target = await profiles.get(profileId);
      if (entry.binding !== bindingId(target)) {
        // Same host through another proxy, or with other certificates, is not where the key came from.
        throw appError(
          'invalid-request',
          `This key was created on another connection (or before this one's address, certificates or proxy changed), so it is not stored into “${target.name}”.`,
          'Create a new key on the Keys page while this connection is active, or paste a key with “Replace key” on the Connections page.',
        );
      }
      // Checked before anything changes: the profile keeps its old key if the new one fails.
      const probe = connections.probe(settingsOf(target, entry.key));
      try {
        await probe.validate();
      } finally {
        await probe.close();
      }
      const updated = await connections.storeKey(target, entry.key);
      await connections.invalidate(profileId);
      log.info(`keys: profile ${profileId} now uses a key created in this session`);
      return { profile: pub(updated) };
    },

    'gaia:keys.copy': async ({ handle }) => {
      const entry = handles.require(handle);
      onlyCreated(entry, 'copied');
      const copied = await s.options.ports.writeClipboard(entry.key);
      if (!copied) {
        return {
          copied: false,
          clearsAfterMs: null,
          message:
            s.options.ports.shell === 'preview'
              ? 'The browser preview cannot reach the system clipboard, so the key was not copied. Use “Use it for this connection” to keep it, or copy it from the desktop app.'
              : 'The key could not be copied to the clipboard. Use “Use it for this connection” to keep it instead.',
        };
      }
      clearTimeout(clipboardTimers.get(handle));
      const timer = setTimeout(() => {
        clipboardTimers.delete(handle);
        s.options.ports.clearClipboardIfUnchanged(entry.key).catch(() => undefined);
      }, clearAfterMs);
      timer.unref?.();
      clipboardTimers.set(handle, timer);
      const seconds = Math.round(clearAfterMs / 1000);
      return {
        copied: true,
        clearsAfterMs: clearAfterMs,
        message: `Copied. Paste it where you need it now: the clipboard is cleared in ${seconds} seconds if it still holds the key.`,
      };
    },

    'gaia:keys.rotate': async ({ requestId, profileId }, ctx) => {
      if (rotating.has(profileId)) {
        throw appError('invalid-request', 'This connection’s key is already being rotated.', 'Wait for the rotation under way to finish.');
      }
      rotating.add(profileId);
      try {
        const outcome = await rotateProfileKey(s, handles, profileId, (step, state, message) =>
          ctx.emit('gaia:keys.rotateProgress', { requestId, step, state, message: message.slice(0, 4096) }),
        );
        return { profile: pub(outcome.profile), leftover: outcome.leftover };
      } finally {
        rotating.delete(profileId);
      }
    },
  };
}
