/**
 * The profile store: `profiles.json` in the data dir, versioned, validated on load and on
 * save, written atomically through JsonFile.
 *
 * Nothing secret is in the file. The API key lives in the keychain (platform/keychain); the
 * file keeps only its last four characters, cut here in main, where it is stored and
 * when it was added. The security context IS stored: it scopes requests to a tenant or
 * user and grants no access without the key, so it is treated as configuration, not as a
 * secret (the log still masks the x-gaia-security-ctx header, to be safe). CA
 * certificates are public material.
 *
 * A file that cannot be read is moved aside and kept (JsonFile); the profiles in it
 * that still pass validation are saved again, the others are reported, so one damaged
 * entry never costs the user every profile. The app always starts.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { channels, DAY_MILLIS_MAX, KeyInfo, Profile, StorageProblem, type CertificateSummary, type KeyStorageLocation } from '../../../preload/contract';
import { AppError, appError } from '../errors';
import { JsonFile } from '../platform/storage/json-file';
import { saveFailure } from '../platform/storage/save-failure';
import { normalizeBaseUrl, validateProxyUrl } from '../validate/base-url';
import { bindingId } from './key-binding';

/** A profile as stored on disk: the contract's Profile without the derived parts, plus the CA's PEM and key facts. */
export const StoredProfile = Profile.omit({ ca: true, key: true }).extend({
  /** PEM text of the profile's own CA bundle (or the certificate trusted on first use). */
  caPem: z.string().max(1024 * 1024).nullable(),
  keyLast4: KeyInfo.shape.last4,
  keyStorage: KeyInfo.shape.storage,
  keyAddedAt: KeyInfo.shape.addedAt,
  /**
   * The origin and trust the stored key was checked under (key-binding.ts). A key is
   * only ever used while the profile still has this binding. Absent in files from
   * before bindings were recorded; filled in from the profile on load.
   */
  keyBinding: z.string().max(64).nullable().optional(),
  /**
   * A random id renewed whenever a key is stored for the profile (null: none stored): what
   * ties the cached dataset list to the key it was fetched with (datasets/place.ts). Random,
   * not derived from the key, so the file tells nothing about the key. Absent in files from
   * before it was kept: their lists count as that key's until a key is stored again.
   */
  keyId: z.string().max(64).nullable().optional(),
});
export type StoredProfile = z.infer<typeof StoredProfile>;

const ProfilesData = z.object({
  profiles: z.array(StoredProfile).max(1000),
  activeId: Profile.shape.id.nullable(),
});
type ProfilesData = z.infer<typeof ProfilesData>;

/** What a new profile needs: the connect request without its key. */
export const ProfileInput = channels['gaia:profiles.connect'].request.omit({ apiKey: true });
export type ProfileInput = z.input<typeof ProfileInput>;
/** What an update may change: the update request without its id. Absent = unchanged, null = cleared. */
export const ProfilePatch = channels['gaia:profiles.update'].request.omit({ id: true, apiKey: true });
export type ProfilePatch = z.input<typeof ProfilePatch>;

export type Summarize = (pem: string) => CertificateSummary[];

export interface LoadedProfiles {
  profiles: StoredProfile[];
  activeId: string | null;
  /** Every storage problem found since this store was created. */
  problems: StorageProblem[];
}

export interface ProfileStore {
  readonly file: string;
  /** Reads the file the first time; afterwards answers from memory (which mirrors the file). */
  load(): Promise<LoadedProfiles>;
  /** Throws AppError 'no-such-profile'. */
  get(id: string): Promise<StoredProfile>;
  active(): Promise<StoredProfile | null>;
  /** What active() would answer, when it can be told without waiting (read already, no change queued); undefined otherwise. */
  activeNow?(): StoredProfile | null | undefined;
  create(input: ProfileInput): Promise<StoredProfile>;
  /** The profile as `update` would save it, without saving anything. */
  planUpdate(id: string, patch: ProfilePatch): Promise<StoredProfile>;
  /**
   * Saves the change. With `key`, records the key stored with it in the same write, bound
   * to the new settings; with `rebindKey`, the stored key follows the change (the caller
   * decided it moves nowhere new and loosens nothing). Otherwise the key keeps its old
   * binding, and is not sent under the new settings.
   */
  update(
    id: string,
    patch: ProfilePatch,
    options?: {
      key?: { key: string; storage: 'keychain' | 'session' };
      rebindKey?: boolean;
      /** Refuses the change when the profile's binding is no longer this one (another change landed meanwhile). */
      ifBinding?: string;
    },
  ): Promise<StoredProfile>;
  remove(id: string): Promise<boolean>;
  setActive(id: string | null): Promise<void>;
  /** Marks the profile as used now. */
  touch(id: string): Promise<StoredProfile>;
  /**
   * Records that a key was stored for the profile: its last four characters, where, and when.
   * With `ifBinding`, refuses when the profile no longer has the binding the key was checked for.
   */
  recordKey(id: string, key: string, storage: KeyStorageLocation, ifBinding?: string): Promise<StoredProfile>;
  clearKey(id: string): Promise<StoredProfile>;
}

export interface ProfileStoreOptions {
  dataDir: string;
  now?: () => number;
}

/** Throws unless the profile still has the binding a change (or a key) was checked for. */
export function requireBinding(profile: StoredProfile, ifBinding: string | undefined): void {
  if (ifBinding !== undefined && bindingId(profile) !== ifBinding) {
    // What was checked is not what this change would now apply to.
    throw appError('invalid-request', 'The connection was changed by something else while this change was being checked.', 'Open it again and repeat your change.');
  }
}

/** The only key-derived thing allowed in a file. Keys too short to spare four characters get none. */
export function keyLast4(key: string): string | null {
  const trimmed = key.trim();
  return trimmed.length >= 12 ? trimmed.slice(-4) : null;
}

/** A stored expiry no page could show as a date (written before the contract bounded it) shows as none; the file keeps it. */
function shownExpiry(at: number | null | undefined): number | null {
  return typeof at === 'number' && Number.isInteger(at) && at >= 0 && at <= DAY_MILLIS_MAX ? at : null;
}

/** The contract's Profile for a stored one. A CA that cannot be summarised shows as none. */
export function toPublic(stored: StoredProfile, summarize: Summarize): Profile {
  let ca: CertificateSummary[] = [];
  if (stored.caPem) {
    try {
      ca = summarize(stored.caPem).slice(0, 16);
    } catch {
      ca = [];
    }
  }
  return {
    id: stored.id,
    name: stored.name,
    baseUrl: stored.baseUrl,
    securityContext: stored.securityContext,
    ca,
    trustedFingerprint: stored.trustedFingerprint,
    proxyUrl: stored.proxyUrl,
    verifyTls: stored.verifyTls,
    createdAt: stored.createdAt,
    lastUsedAt: stored.lastUsedAt,
    keyExpiresAt: shownExpiry(stored.keyExpiresAt),
    key: { last4: stored.keyLast4, storage: stored.keyStorage, addedAt: stored.keyAddedAt },
  };
}

const emptyData = (): ProfilesData => ({ profiles: [], activeId: null });

function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function invalid(error: z.ZodError): AppError {
  return appError(
    'invalid-request',
    'The profile settings are not in the expected form.',
    'Check the highlighted fields and try again.',
    { fields: error.issues.slice(0, 20).map((i) => ({ field: i.path.map(String).join('.') || '(profile)', message: i.message.slice(0, 500) })) },
  );
}

/**
 * Checks a patch and answers the change it makes to a profile: the one place that says
 * what an update saves (the handler asks it before deciding whether the key may follow).
 */
function parsePatch(patch: ProfilePatch): (p: StoredProfile) => StoredProfile {
  const parsed = ProfilePatch.safeParse(patch);
  if (!parsed.success) throw invalid(parsed.error);
  const fields = parsed.data;
  const name = fields.name === undefined ? undefined : fields.name.trim();
  if (name === '') throw appError('invalid-request', 'The profile needs a name.', 'Enter a name.', { fields: [{ field: 'name', message: 'Enter a name.' }] });
  const baseUrl = fields.baseUrl === undefined ? undefined : normalizeBaseUrl(fields.baseUrl).normalized;
  const proxy = fields.proxyUrl === undefined ? undefined : cleanText(fields.proxyUrl);
  const proxyUrl = proxy === undefined || proxy === null ? proxy : validateProxyUrl(proxy).normalized;
  return (p) => {
    const next: StoredProfile = { ...p };
    if (name !== undefined) next.name = name;
    if (baseUrl !== undefined) {
      // Trust decisions belong to an origin: a CA, a pinned certificate or "don't verify"
      // never carries over silently to a different one.
      if (new URL(baseUrl).origin !== new URL(p.baseUrl).origin) {
        if (fields.verifyTls === undefined) next.verifyTls = true;
        if (fields.trustedFingerprint === undefined) next.trustedFingerprint = null;
        if (fields.caPem === undefined) next.caPem = null;
      }
      next.baseUrl = baseUrl;
    }
    if (fields.securityContext !== undefined) next.securityContext = cleanText(fields.securityContext);
    if (fields.caPem !== undefined) next.caPem = cleanText(fields.caPem);
    if (fields.trustedFingerprint !== undefined) next.trustedFingerprint = cleanText(fields.trustedFingerprint);
    if (proxyUrl !== undefined) next.proxyUrl = proxyUrl;
    if (fields.verifyTls !== undefined) next.verifyTls = fields.verifyTls;
    if (fields.keyExpiresAt !== undefined) next.keyExpiresAt = fields.keyExpiresAt;
    return next;
  };
}

export function createProfileStore({ dataDir, now = Date.now }: ProfileStoreOptions): ProfileStore {
  const file = path.join(dataDir, 'profiles.json');
  const json = new JsonFile(file, ProfilesData, 1, emptyData);
  let state: ProfilesData | null = null;
  const problems: StorageProblem[] = [];
  let lock: Promise<unknown> = Promise.resolve();
  /** Calls queued or running in `serial`: none, and the state read, means a read may answer at once. */
  let queued = 0;

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    queued++;
    const next = lock.then(fn, fn);
    lock = next.catch(() => undefined).finally(() => queued--);
    return next;
  };
  /**
   * The state as a read queued now would see it, without the queue's hops when nothing is
   * queued or running (null: queue it). Nothing can change it before such a read would
   * run: a change queued meanwhile runs after it.
   */
  const settledState = (): ProfilesData | null => (queued === 0 ? state : null);
  const activeIn = (data: ProfilesData): StoredProfile | null => {
    const found = data.activeId ? data.profiles.find((p) => p.id === data.activeId) : undefined;
    return found ? { ...found } : null;
  };

  /** Picks the profiles that still validate out of a file that did not. */
  const salvage = async (movedTo: string): Promise<{ data: ProfilesData; lost: number } | null> => {
    try {
      const doc = JSON.parse(await readFile(movedTo, 'utf8')) as { data?: { profiles?: unknown; activeId?: unknown } };
      const raw = Array.isArray(doc?.data?.profiles) ? doc.data.profiles : null;
      if (!raw) return null;
      const seen = new Set<string>();
      const profiles: StoredProfile[] = [];
      for (const candidate of raw) {
        const parsed = StoredProfile.safeParse(candidate);
        if (parsed.success && !seen.has(parsed.data.id)) {
          seen.add(parsed.data.id);
          profiles.push(parsed.data);
        }
      }
      const activeId = typeof doc.data?.activeId === 'string' && seen.has(doc.data.activeId) ? doc.data.activeId : null;
      return { data: { profiles, activeId }, lost: raw.length - profiles.length };
    } catch {
      return null;
    }
  };

  const readFromDisk = async (): Promise<ProfilesData> => {
    await JsonFile.removeStaleTemps(dataDir);
    let loaded;
    try {
      loaded = await json.load();
    } catch (err) {
      problems.push({ file, movedTo: null, message: `profiles.json could not be read (${(err as NodeJS.ErrnoException)?.code ?? 'error'}). The app started without profiles; the file was left as it is.` });
      return emptyData();
    }
    let data = loaded.value;
    if (loaded.problem) {
      const rescued = loaded.problem.movedTo ? await salvage(loaded.problem.movedTo) : null;
      if (rescued && rescued.data.profiles.length > 0) {
        data = rescued.data;
        const kept = rescued.data.profiles.length;
        problems.push({
          ...loaded.problem,
          message: `profiles.json was damaged. ${kept} profile${kept === 1 ? ' was' : 's were'} recovered${rescued.lost > 0 ? `; ${rescued.lost} could not be read and must be added again` : ''}. The damaged file was kept${loaded.problem.movedTo ? ` as ${path.basename(loaded.problem.movedTo)}` : ''}.`,
        });
        try {
          await json.save(data);
        } catch {
          // The recovered profiles are in memory; the next change saves them.
        }
      } else {
        problems.push(loaded.problem);
      }
    }
    // Ids are unique and the active id points at a profile.
    const seen = new Set<string>();
    const profiles = data.profiles.filter((p) => !seen.has(p.id) && seen.add(p.id));
    // Keys kept "for this session only" are gone: that session ended.
    const fresh = profiles.map((p) =>
      p.keyStorage === 'session'
        ? { ...p, keyStorage: 'none' as const, keyLast4: null, keyAddedAt: null, keyBinding: null, keyId: null }
        : // A file from before bindings were recorded: the key belongs to the settings it was saved with.
          p.keyBinding === undefined
          ? { ...p, keyBinding: p.keyStorage === 'none' ? null : bindingId(p) }
          : p,
    );
    return { profiles: fresh, activeId: data.activeId && seen.has(data.activeId) ? data.activeId : null };
  };

  const current = async (): Promise<ProfilesData> => {
    if (!state) state = await readFromDisk();
    return state;
  };

  const find = (data: ProfilesData, id: string): StoredProfile => {
    const found = data.profiles.find((p) => p.id === id);
    if (!found) throw appError('no-such-profile', 'That profile no longer exists.', 'Choose another profile, or add it again.');
    return found;
  };

  /** Applies a change to a copy, saves it, and only then makes it the state. */
  const mutate = <T>(change: (data: ProfilesData) => T): Promise<T> =>
    serial(async () => {
      const base = await current();
      const next: ProfilesData = { profiles: base.profiles.map((p) => ({ ...p })), activeId: base.activeId };
      const result = change(next);
      const checked = ProfilesData.safeParse(next);
      if (!checked.success) throw invalid(checked.error);
      try {
        await json.save(checked.data);
      } catch (err) {
        throw saveFailure('your profiles', path.dirname(file), err);
      }
      state = checked.data;
      return result;
    });

  const replace = (data: ProfilesData, id: string, update: (p: StoredProfile) => StoredProfile): StoredProfile => {
    const index = data.profiles.findIndex((p) => p.id === id);
    if (index < 0) find(data, id);
    const updated = update(data.profiles[index]);
    data.profiles[index] = updated;
    return updated;
  };

  return {
    file,
    load: () =>
      serial(async () => {
        const data = await current();
        return { profiles: data.profiles.map((p) => ({ ...p })), activeId: data.activeId, problems: [...problems] };
      }),
    get: async (id) => ({ ...find(await serial(current), id) }),
    active: async () => {
      // Every dataset list asks for the active profile: answered from the state when idle.
      const data = settledState() ?? (await serial(current));
      return activeIn(data);
    },
    activeNow: () => {
      const data = settledState();
      return data ? activeIn(data) : undefined;
    },
    create: async (input) => {
      const parsed = ProfileInput.safeParse(input);
      if (!parsed.success) throw invalid(parsed.error);
      const fields = parsed.data;
      const name = fields.name.trim();
      if (name === '') throw appError('invalid-request', 'The profile needs a name.', 'Enter a name, for example the tenant or cluster it connects to.', { fields: [{ field: 'name', message: 'Enter a name.' }] });
      const baseUrl = normalizeBaseUrl(fields.baseUrl).normalized;
      const proxy = cleanText(fields.proxyUrl);
      const profile: StoredProfile = {
        id: randomUUID(),
        name,
        baseUrl,
        securityContext: cleanText(fields.securityContext),
        caPem: cleanText(fields.caPem),
        trustedFingerprint: cleanText(fields.trustedFingerprint),
        proxyUrl: proxy === null ? null : validateProxyUrl(proxy).normalized,
        verifyTls: fields.verifyTls ?? true,
        createdAt: now(),
        lastUsedAt: null,
        keyExpiresAt: fields.keyExpiresAt ?? null,
        keyLast4: null,
        keyStorage: 'none',
        keyAddedAt: null,
        keyBinding: null,
        keyId: null,
      };
      return mutate((data) => {
        data.profiles.push(profile);
        return { ...profile };
      });
    },
    planUpdate: async (id, patch) => {
      const change = parsePatch(patch);
      return change(find(await serial(current), id));
    },
    update: async (id, patch, options = {}) => {
      const change = parsePatch(patch);
      const { key, rebindKey = false, ifBinding } = options;
      return mutate((data) =>
        replace(data, id, (p) => {
          requireBinding(p, ifBinding);
          const next = change(p);
          if (key) return { ...next, keyLast4: keyLast4(key.key), keyStorage: key.storage, keyAddedAt: now(), keyBinding: bindingId(next), keyId: randomUUID() };
          if (rebindKey && p.keyBinding) return { ...next, keyBinding: bindingId(next) };
          return next;
        }),
      );
    },
    remove: (id) =>
      mutate((data) => {
        const before = data.profiles.length;
        data.profiles = data.profiles.filter((p) => p.id !== id);
        if (data.activeId === id) data.activeId = null;
        return data.profiles.length !== before;
      }),
    setActive: (id) =>
      mutate((data) => {
        if (id !== null) find(data, id);
        data.activeId = id;
      }),
    touch: (id) => mutate((data) => replace(data, id, (p) => ({ ...p, lastUsedAt: now() }))),
    recordKey: (id, key, storage, ifBinding) =>
      mutate((data) =>
        replace(data, id, (p) => {
          requireBinding(p, ifBinding);
          return { ...p, keyLast4: keyLast4(key), keyStorage: storage, keyAddedAt: now(), keyBinding: bindingId(p), keyId: randomUUID() };
        }),
      ),
    clearKey: (id) => mutate((data) => replace(data, id, (p) => ({ ...p, keyLast4: null, keyStorage: 'none', keyAddedAt: null, keyBinding: null, keyId: null, keyExpiresAt: null }))),
  };
}
