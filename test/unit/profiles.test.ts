import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Profile } from '../../preload/contract';
import { createProfileStore, keyLast4, toPublic, type StoredProfile } from '../../main/core/connections/profiles';
import { AppError } from '../../main/core/errors';

const KEY = 'pr0f1leK3yQwErTyUiOpAsDfGhJkLzX7';
const HELIOS = 'https://helios.cohesity.com/v2/mcm/gaia';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-prof-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, 'profiles.json');
const raw = () => readFileSync(file(), 'utf8');

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('profile store', () => {
  it('starts empty without a file, and without problems', async () => {
    const store = createProfileStore({ dataDir: dir });
    expect(await store.load()).toEqual({ profiles: [], activeId: null, problems: [] });
    expect(existsSync(file())).toBe(false);
  });

  it('tells the active profile without waiting only when nothing is queued, and as active() does', async () => {
    const store = createProfileStore({ dataDir: dir });
    expect(store.activeNow?.()).toBeUndefined(); // not read yet
    const a = await store.create({ name: 'Prod', baseUrl: HELIOS });
    expect(store.activeNow?.()).toBeNull();
    const activating = store.setActive(a.id);
    expect(store.activeNow?.()).toBeUndefined(); // a change is queued
    await activating;
    await new Promise((resolve) => setImmediate(resolve)); // the queue's own bookkeeping settles
    expect(store.activeNow?.()).toEqual(await store.active());
    expect(store.activeNow?.()?.id).toBe(a.id);
  });

  it('creates, updates, activates, touches and removes profiles, and keeps them across restarts', async () => {
    let t = 1_000;
    const store = createProfileStore({ dataDir: dir, now: () => t++ });
    const a = await store.create({ name: '  Prod  ', baseUrl: `${HELIOS}/`, securityContext: 'tenant-42' });
    expect(a).toMatchObject({ name: 'Prod', baseUrl: HELIOS, securityContext: 'tenant-42', verifyTls: true, createdAt: 1000, lastUsedAt: null, keyStorage: 'none' });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    const b = await store.create({ name: 'Lab', baseUrl: 'https://gaia.lab.example.com/v2/mcm/gaia', proxyUrl: 'proxy.lab:3128' });
    expect(b.proxyUrl).toBe('http://proxy.lab:3128');

    await store.setActive(b.id);
    await store.update(a.id, { name: 'Production', securityContext: null });
    await store.touch(b.id);

    const reloaded = await createProfileStore({ dataDir: dir }).load();
    expect(reloaded.activeId).toBe(b.id);
    expect(reloaded.problems).toEqual([]);
    expect(reloaded.profiles.map((p) => p.name)).toEqual(['Production', 'Lab']);
    expect(reloaded.profiles[0].securityContext).toBeNull();
    expect(reloaded.profiles[1].lastUsedAt).toBeGreaterThan(1000);

    const again = createProfileStore({ dataDir: dir });
    expect(await again.remove(b.id)).toBe(true);
    expect(await again.remove(b.id)).toBe(false);
    const after = await createProfileStore({ dataDir: dir }).load();
    expect(after.profiles.map((p) => p.id)).toEqual([a.id]);
    expect(after.activeId).toBeNull();
  });

  it('refuses bad input with the field named, and bad addresses as bad-url', async () => {
    const store = createProfileStore({ dataDir: dir });
    expect((await failure(store.create({ name: '', baseUrl: HELIOS }))).info.kind).toBe('invalid-request');
    expect((await failure(store.create({ name: '   ', baseUrl: HELIOS }))).info.fields?.[0].field).toBe('name');
    expect((await failure(store.create({ name: 'x', baseUrl: 'http://gaia.example.com' }))).info.kind).toBe('bad-url');
    expect((await failure(store.create({ name: 'x', baseUrl: HELIOS, proxyUrl: 'http://u:p@proxy:3128' }))).info.kind).toBe('bad-url');
    // Smuggled fields are refused, not stored.
    const smuggled = { name: 'x', baseUrl: HELIOS, apiKey: KEY } as unknown as Parameters<typeof store.create>[0];
    expect((await failure(store.create(smuggled))).info.kind).toBe('invalid-request');
    expect((await failure(store.get('nope'))).info.kind).toBe('no-such-profile');
    expect((await failure(store.setActive('nope'))).info.kind).toBe('no-such-profile');
    expect(existsSync(file())).toBe(false);
  });

  it('keeps only the last four characters of a key in the file', async () => {
    const store = createProfileStore({ dataDir: dir });
    const p = await store.create({ name: 'P', baseUrl: HELIOS });
    const updated = await store.recordKey(p.id, KEY, 'keychain');
    expect(updated).toMatchObject({ keyLast4: KEY.slice(-4), keyStorage: 'keychain', keyAddedAt: expect.any(Number) });
    const text = raw();
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(0, 8));
    expect(text).toContain(`"keyLast4": "${KEY.slice(-4)}"`);
    const cleared = await store.clearKey(p.id);
    expect(cleared).toMatchObject({ keyLast4: null, keyStorage: 'none', keyAddedAt: null });
  });

  it('forgets session-only keys at the next start', async () => {
    const store = createProfileStore({ dataDir: dir });
    const p = await store.create({ name: 'P', baseUrl: HELIOS });
    await store.recordKey(p.id, KEY, 'session');
    expect((await store.get(p.id)).keyStorage).toBe('session');
    const next = await createProfileStore({ dataDir: dir }).get(p.id);
    expect(next).toMatchObject({ keyStorage: 'none', keyLast4: null, keyAddedAt: null });
  });

  it('drops a pinned certificate and "don\'t verify" when the host changes', async () => {
    const store = createProfileStore({ dataDir: dir });
    const p = await store.create({ name: 'P', baseUrl: 'https://a.example.com/gaia', verifyTls: false, trustedFingerprint: 'AB:CD' });
    const samePath = await store.update(p.id, { baseUrl: 'https://a.example.com/v2/mcm/gaia' });
    expect(samePath).toMatchObject({ verifyTls: false, trustedFingerprint: 'AB:CD' });
    const moved = await store.update(p.id, { baseUrl: 'https://b.example.com/gaia' });
    expect(moved).toMatchObject({ verifyTls: true, trustedFingerprint: null });
    const explicit = await store.update(p.id, { baseUrl: 'https://c.example.com/gaia', verifyTls: false });
    expect(explicit.verifyTls).toBe(false);
  });

  it('serialises concurrent changes: none is lost', async () => {
    const store = createProfileStore({ dataDir: dir });
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.create({ name: `P${i}`, baseUrl: HELIOS })));
    const { profiles } = await createProfileStore({ dataDir: dir }).load();
    expect(profiles.map((p) => p.name).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `P${i}`).sort());
  });

  it('moves a corrupt file aside, keeps it, reports it, and starts', async () => {
    writeFileSync(file(), '{"version":1,"data":{"profiles":[{"id":"x", "na');
    const store = createProfileStore({ dataDir: dir });
    const loaded = await store.load();
    expect(loaded.profiles).toEqual([]);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0].message).toMatch(/not valid JSON/);
    const movedTo = loaded.problems[0].movedTo!;
    expect(path.dirname(movedTo)).toBe(dir);
    expect(readFileSync(movedTo, 'utf8')).toContain('"na');
    expect(existsSync(file())).toBe(false);
    // The app carries on: a new profile can be saved.
    await store.create({ name: 'New', baseUrl: HELIOS });
    expect((await createProfileStore({ dataDir: dir }).load()).profiles).toHaveLength(1);
  });

  it('recovers the valid profiles out of a damaged file and reports the rest', async () => {
    const store = createProfileStore({ dataDir: dir });
    const good = await store.create({ name: 'Good', baseUrl: HELIOS });
    await store.setActive(good.id);
    const doc = JSON.parse(raw());
    doc.data.profiles.push({ id: 'bad id with spaces', name: 42 });
    writeFileSync(file(), JSON.stringify(doc));

    const loaded = await createProfileStore({ dataDir: dir }).load();
    expect(loaded.profiles.map((p) => p.name)).toEqual(['Good']);
    expect(loaded.activeId).toBe(good.id);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0].message).toMatch(/1 profile was recovered; 1 could not be read/);
    expect(JSON.parse(readFileSync(loaded.problems[0].movedTo!, 'utf8')).data.profiles).toHaveLength(2);
    // The recovered list was written back.
    expect((await createProfileStore({ dataDir: dir }).load()).problems).toEqual([]);
  });

  it('does not overwrite a file written by a newer version', async () => {
    writeFileSync(file(), JSON.stringify({ version: 99, data: { whatever: true } }));
    const loaded = await createProfileStore({ dataDir: dir }).load();
    expect(loaded.problems[0].message).toMatch(/newer version/);
    expect(readdirSync(dir).some((n) => n.startsWith('profiles.json.corrupt-'))).toBe(true);
  });

  it('removes temp files a killed writer left behind', async () => {
    const store = createProfileStore({ dataDir: dir });
    await store.create({ name: 'P', baseUrl: HELIOS });
    const stale = path.join(dir, 'profiles.json.123456789');
    writeFileSync(stale, '{"half":');
    const { utimesSync } = await import('node:fs');
    utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await createProfileStore({ dataDir: dir }).load();
    expect(existsSync(stale)).toBe(false);
  });

  it('refuses a change checked against a binding the profile no longer has', async () => {
    const store = createProfileStore({ dataDir: dir });
    const p = await store.create({ name: 'P', baseUrl: HELIOS });
    await expect(store.update(p.id, { verifyTls: false }, { ifBinding: 'not-the-binding' })).rejects.toMatchObject({ info: { kind: 'invalid-request' } });
    expect((await store.get(p.id)).verifyTls).toBe(true);
  });

  it('keeps the key expiry date the user gave, reads older files without one, and drops it with the key', async () => {
    const store = createProfileStore({ dataDir: dir });
    const expires = Date.UTC(2027, 0, 31);
    const p = await store.create({ name: 'P', baseUrl: HELIOS, keyExpiresAt: expires });
    expect(p.keyExpiresAt).toBe(expires);
    expect((await store.update(p.id, { keyExpiresAt: null })).keyExpiresAt).toBeNull();
    await store.update(p.id, { keyExpiresAt: expires });
    await store.recordKey(p.id, KEY, 'keychain');
    expect((await store.clearKey(p.id)).keyExpiresAt).toBeNull();
    // A profile written before the field existed still loads.
    const data = JSON.parse(raw());
    delete data.data.profiles[0].keyExpiresAt;
    writeFileSync(file(), JSON.stringify(data));
    const loaded = await createProfileStore({ dataDir: dir }).load();
    expect(loaded.profiles[0].keyExpiresAt).toBeNull();
  });

  it('writes nothing secret-shaped and nothing outside the schema', async () => {
    const store = createProfileStore({ dataDir: dir });
    const p = await store.create({ name: 'P', baseUrl: HELIOS });
    await store.recordKey(p.id, KEY, 'keychain');
    const stored = JSON.parse(raw()).data.profiles[0];
    // The key id is random, renewed with each key: no piece of the key.
    expect(stored.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(KEY).not.toContain(stored.keyId.slice(0, 8));
    expect(Object.keys(stored).sort()).toEqual(
      ['baseUrl', 'caPem', 'createdAt', 'id', 'keyAddedAt', 'keyBinding', 'keyExpiresAt', 'keyId', 'keyLast4', 'keyStorage', 'lastUsedAt', 'name', 'proxyUrl', 'securityContext', 'trustedFingerprint', 'verifyTls'].sort(),
    );
  });
});

describe('toPublic', () => {
  const stored: StoredProfile = {
    id: 'p1',
    name: 'P',
    baseUrl: HELIOS,
    securityContext: null,
    caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    trustedFingerprint: null,
    proxyUrl: null,
    verifyTls: true,
    createdAt: 1,
    lastUsedAt: null,
    keyLast4: 'zX7q',
    keyStorage: 'keychain',
    keyAddedAt: 2,
    keyExpiresAt: null,
  };

  it('gives the contract shape with the CA summarised and key info, and no PEM field', () => {
    const summary = { subject: 'CN=ca', issuer: 'CN=ca', validFrom: 0, validTo: 1, fingerprint256: 'AA', isCA: true, selfSigned: true, pem: 'x' };
    const pub = toPublic(stored, () => [summary]);
    expect(Profile.parse(pub)).toEqual(pub);
    expect(pub.ca).toEqual([summary]);
    expect(pub.key).toEqual({ last4: 'zX7q', storage: 'keychain', addedAt: 2 });
    expect('caPem' in pub).toBe(false);
  });

  it('shows an unreadable CA as none instead of failing the list', () => {
    expect(
      toPublic(stored, () => {
        throw new Error('bad pem');
      }).ca,
    ).toEqual([]);
  });
});

describe('keyLast4', () => {
  it('cuts the last four characters of real keys, nothing of short strings', () => {
    expect(keyLast4(KEY)).toBe(KEY.slice(-4));
    expect(keyLast4(`  ${KEY}\n`)).toBe(KEY.slice(-4));
    expect(keyLast4('short')).toBeNull();
  });
});
