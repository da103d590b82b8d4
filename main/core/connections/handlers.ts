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
import { toPublic, type StoredProfile } from './profiles';
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

  const storeKey = async (profileId: string, key: string) => {
    const where = await keychain.set(profileId, key);
    return profiles.recordKey(profileId, key, where);
  };

  return {
    'gaia:keychain.status': () => keychain.status(),
    'gaia:keychain.useSessionOnly': () => keychain.useSessionOnly(),

    'gaia:profiles.list': async () => {
      const loaded = await profiles.load();
      return { profiles: loaded.profiles.map(pub), activeId: loaded.activeId, problems: loaded.problems };
    },

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
        const withKey = await storeKey(created.id, key);
        await profiles.setActive(created.id);
        log.info(`connected profile ${created.id}`);
        return { profile: pub(withKey) };
      } catch (err) {
        // The key could not be kept: take the profile back out, so nothing is half-saved.
        await profiles.remove(created.id).catch(() => undefined);
        throw err;
      }
    },

    'gaia:profiles.update': async ({ id, ...patch }) => {
      const current = await profiles.get(id);
      const touchesConnection = ['baseUrl', 'securityContext', 'caPem', 'trustedFingerprint', 'proxyUrl', 'verifyTls'].some(
        (field) => (patch as Record<string, unknown>)[field] !== undefined,
      );
      if (touchesConnection) {
        const key = await keychain.get(id);
        if (key) {
          const baseUrl = patch.baseUrl !== undefined ? normalizeBaseUrl(patch.baseUrl).normalized : current.baseUrl;
          // Check what will be saved: a new host gets neither the old pin nor "don't verify" (see profiles.update).
          const newHost = new URL(baseUrl).host !== new URL(current.baseUrl).host;
          const next: ConnectionSettings = {
            baseUrl,
            apiKey: key,
            securityContext: patch.securityContext !== undefined ? patch.securityContext?.trim() || null : current.securityContext,
            caPem: patch.caPem !== undefined ? patch.caPem : current.caPem,
            trustedFingerprint: patch.trustedFingerprint !== undefined ? patch.trustedFingerprint : newHost ? null : current.trustedFingerprint,
            proxyUrl: patch.proxyUrl !== undefined ? (patch.proxyUrl?.trim() ? validateProxyUrl(patch.proxyUrl).normalized : null) : current.proxyUrl,
            verifyTls: patch.verifyTls ?? (newHost ? true : current.verifyTls),
          };
          if (next.caPem) summarizePem(next.caPem);
          await check(next);
        }
      }
      const updated = await profiles.update(id, patch);
      // Another server (or tenant) means another dataset list: the cached one is not its.
      if (updated.baseUrl !== current.baseUrl || updated.securityContext !== current.securityContext) await s.datasetCache.remove(id);
      await connections.invalidate(id);
      return { profile: pub(updated) };
    },

    'gaia:profiles.activate': async ({ id }) => {
      await profiles.get(id);
      await profiles.setActive(id);
      return { profile: pub(await profiles.touch(id)) };
    },

    'gaia:profiles.delete': async ({ id }) => {
      await profiles.get(id);
      await keychain.delete(id).catch((err: unknown) => {
        // The profile still goes; say what is left behind rather than keep a zombie profile.
        if (err instanceof AppError) log.warn(`could not remove the keychain entry of profile ${id}: ${err.info.kind}`);
      });
      await connections.invalidate(id);
      await s.onProfileRemoved(id);
      return { deleted: await profiles.remove(id) };
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
      const updated = await storeKey(id, key);
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
