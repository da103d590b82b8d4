/**
 * Connection profiles and their keys. A key is checked with GET /datasets before it is
 * stored, and a profile is only saved together with a working key: nothing half-saved.
 */
import type { Handlers } from '../dispatch';
import { cleanApiKey } from '../validate/api-key';
import { normalizeBaseUrl, validateProxyUrl } from '../validate/base-url';
import { AppError, appError, toErrorInfo } from '../errors';
import { summarizePem } from '../gaia/certificates';
import type { ConnectionSettings } from '../gaia/client';
import { settingsOf } from './clients';
import { shownName } from './shown-name';
import { bindingId, bindingOf, describeLoosenings, loosenings, loosensTrust } from './key-binding';
import { toPublic, type StoredProfile } from './profiles';
import { profilesListHandler } from './list-handler';
import type { Services } from '../services';

type ProfileChannels =
  | 'gaia:keychain.status'
  | 'gaia:keychain.useSessionOnly'
  | 'gaia:profiles.list'
  | 'gaia:profiles.checkUrl'
  | 'gaia:profiles.inspectCa'
  | 'gaia:profiles.connect'
  | 'gaia:profiles.update'
  | 'gaia:profiles.activate'
  | 'gaia:profiles.delete'
  | 'gaia:profiles.replaceKey'
  | 'gaia:profiles.forgetKey';

const CONNECTION_FIELDS = new Set(['baseUrl', 'securityContext', 'caPem', 'trustedFingerprint', 'proxyUrl', 'verifyTls']);
const fields = (patch: object) => Object.entries(patch).filter(([, v]) => v !== undefined).map(([k]) => k);
const isConnectionField = (field: string) => CONNECTION_FIELDS.has(field);

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** Where the left-over key is, and how to remove it, on this OS. */
export function leftBehind(service: string, account: string, name: string, platform: NodeJS.Platform = process.platform): string {
  const where =
    platform === 'darwin'
      ? `open Keychain Access, search for “${service}” and delete the entry whose account is ${account}`
      : platform === 'win32'
        ? `open Credential Manager → Windows Credentials and remove the entry for “${service}” with the user name ${account}`
        : `run: secret-tool clear service "${service}" username "${account}" (or delete it in Passwords and Keys / Seahorse)`;
  return `“${name}” was deleted, but its API key could not be removed from the system keychain and is still stored there. To remove it, ${where}.`;
}

export function profileHandlers(s: Services): Handlers<ProfileChannels> {
  const { profiles, keychain, connections, log } = s;
  const pub = (p: StoredProfile) => toPublic(p, summarizePem);

  /** Checks settings and a key against Gaia with a throwaway client. */
  const check = async (settings: ConnectionSettings) => {
    const client = connections.probe(settings);
    try {
      await client.validate();
    } finally {
      await client.close();
    }
  };

  return {
    'gaia:keychain.status': () => keychain.status(),
    'gaia:keychain.useSessionOnly': () => keychain.useSessionOnly(),

    'gaia:profiles.list': profilesListHandler(profiles),

    'gaia:profiles.checkUrl': async ({ baseUrl }) => {
      try {
        const { normalized, warnings } = normalizeBaseUrl(baseUrl);
        return { normalized, warnings, error: null };
      } catch (err) {
        return { normalized: null, warnings: [], error: toErrorInfo(err) };
      }
    },

    'gaia:profiles.inspectCa': async ({ pem }) => ({ certificates: summarizePem(pem) }),

    'gaia:profiles.connect': async (req) => {
      const { apiKey, ...fields } = req;
      const key = cleanApiKey(apiKey);
      log.addSecret(key);
      if (fields.caPem) summarizePem(fields.caPem);
      await check({
        baseUrl: normalizeBaseUrl(fields.baseUrl).normalized,
        apiKey: key,
        securityContext: fields.securityContext?.trim() || null,
        caPem: fields.caPem ?? null,
        trustedFingerprint: fields.trustedFingerprint ?? null,
        proxyUrl: fields.proxyUrl?.trim() ? validateProxyUrl(fields.proxyUrl).normalized : null,
        verifyTls: fields.verifyTls ?? true,
      });
      const created = await profiles.create(fields);
      try {
        const withKey = await connections.storeKey(created, key);
        await profiles.setActive(created.id);
        log.info(`connected profile ${created.id}`);
        return { profile: pub(withKey) };
      } catch (err) {
        // The key could not be kept: take the profile back out, so nothing is half-saved.
        await profiles.remove(created.id).catch(() => undefined);
        throw err;
      }
    },

    'gaia:profiles.update': async ({ id, apiKey, ...patch }) => {
      const current = await profiles.get(id);
      const typed = apiKey === undefined ? null : cleanApiKey(apiKey);
      if (typed) log.addSecret(typed);
      // What will be saved, decided by the store; the key's binding is compared on that.
      const next = await profiles.planUpdate(id, patch);
      const loose = loosenings(bindingOf(current), bindingOf(next));
      if (loose.length > 0 && !typed) {
        // The stored key never goes anywhere its user did not send it: not to a new
        // origin, not under weaker trust — whether or not a key is stored right now.
        throw appError(
          'key-required',
          `This change would ${describeLoosenings(loose, next).join(', and ')}. Gaia Desktop does not send a stored key anywhere it was not entered for.`,
          'Type the API key again for the new settings (in the connection’s Edit form); it is checked there before anything is saved.',
          { host: hostOf(next.baseUrl) },
        );
      }
      if (loosensTrust(loose)) {
        const confirm = s.options.ports.confirmTrustChange;
        // The name the connection had until now: the same request could rename it to anything (e.g. "Cohesity support") to make the question look routine.
        const question = { profileName: shownName(current.name), origin: new URL(next.baseUrl).origin, changes: describeLoosenings(loose.filter((l) => l !== 'origin'), next) };
        if (!confirm || !(await confirm(question))) {
          throw appError('aborted', 'The change was not made: weaker certificate checks for this connection were not confirmed.', 'Nothing was changed. Save again and confirm in the dialog if you meant it.');
        }
        log.warn(`profile ${id}: the trust its key is sent under was loosened by the user (${loose.join(', ')})`);
      }
      // A typed key is always checked before it replaces the stored one (as replaceKey does).
      if (typed || fields(patch).some(isConnectionField)) {
        // Checked against exactly what will be saved: the typed key, or the stored one
        // (only when the binding stayed where it was, so it goes nowhere new).
        const key = typed ?? (await connections.storedKey(current));
        if (key) {
          if (next.caPem) summarizePem(next.caPem);
          await check(settingsOf(next, key));
        }
      }
      let updated: StoredProfile;
      if (typed) {
        updated = await connections.writingKey(id, async () => {
          const previous = await keychain.get(id).catch(() => null);
          const where = await keychain.set(id, typed);
          try {
            return await profiles.update(id, patch, { key: { key: typed, storage: where }, ifBinding: bindingId(current) });
          } catch (err) {
            // File and keychain must agree: the old key goes back with the old settings.
            await (previous ? keychain.set(id, previous) : keychain.delete(id)).catch(() => undefined);
            throw err;
          }
        });
      } else {
        // Nothing moved or loosened (else the key would have been asked for): the stored key follows.
        updated = await profiles.update(id, patch, { rebindKey: true, ifBinding: bindingId(current) });
      }
      // Another server (or tenant) means another dataset list: the cached one is not its.
      if (updated.baseUrl !== current.baseUrl || updated.securityContext !== current.securityContext) await s.datasetCache.remove(id);
      // Keys seen on the old place's key service belong there: their handles go.
      if (bindingId(updated) !== bindingId(current)) s.keyHandles.forgetProfile(id);
      // Local assistants were allowed to use this connection where it pointed: not wherever it points now.
      if (new URL(updated.baseUrl).origin !== new URL(current.baseUrl).origin) {
        const allowed = s.settings.get().localAssistants ?? [];
        if (allowed.includes(id)) {
          await s.settings.update({ localAssistants: allowed.filter((a) => a !== id) });
          log.info(`profile ${id}: moved to another server, so local assistants may no longer use it until allowed again`);
        }
      }
      await connections.invalidate(id);
      return { profile: pub(updated) };
    },

    'gaia:profiles.activate': async ({ id }) => {
      await profiles.get(id);
      await profiles.setActive(id);
      return { profile: pub(await profiles.touch(id)) };
    },

    'gaia:profiles.delete': async ({ id }) => {
      const profile = await profiles.get(id);
      let keyLeftBehind: string | null = null;
      await keychain.delete(id).catch((err: unknown) => {
        // The profile still goes; say what is left behind rather than keep a zombie profile.
        const kind = err instanceof AppError ? err.info.kind : 'internal';
        log.warn(`could not remove the keychain entry of profile ${id}: ${kind}`);
        keyLeftBehind = leftBehind(s.options.keychainService, id, profile.name);
      });
      await connections.invalidate(id);
      s.keyHandles.forgetProfile(id);
      await s.onProfileRemoved(id);
      return { deleted: await profiles.remove(id), keyLeftBehind };
    },

    'gaia:profiles.replaceKey': async ({ id, apiKey }) => {
      const current = await profiles.get(id);
      const key = cleanApiKey(apiKey);
      log.addSecret(key);
      await check({
        baseUrl: current.baseUrl,
        apiKey: key,
        securityContext: current.securityContext,
        caPem: current.caPem,
        trustedFingerprint: current.trustedFingerprint,
        proxyUrl: current.proxyUrl,
        verifyTls: current.verifyTls,
      });
      // Only now is the old key dropped: keychain.set replaces it in one step.
      const updated = await connections.storeKey(current, key);
      await connections.invalidate(id);
      return { profile: pub(updated) };
    },

    'gaia:profiles.forgetKey': async ({ id }) => {
      await profiles.get(id);
      await keychain.delete(id);
      await connections.invalidate(id);
      const updated = await profiles.clearKey(id);
      if (!updated) throw appError('no-such-profile', 'That profile no longer exists.', 'Choose another profile.');
      return { profile: pub(updated) };
    },
  };
}
