/**
 * The gaia:keys.* handlers in a real core (temp data dir, keys held for the session
 * only, so no keychain is needed) against the simulator's key service: keys never leave
 * main (handles and last four only), copy goes through the shell's clipboard port and is
 * cleared, "use it for this profile" validates first, and rotation keeps the profile on
 * a working key whichever step fails, saying what is left to clean up.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, Profile } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/core';
import type { HandlerContext } from '../../main/core/dispatch';
import { keyHandlers } from '../../main/core/keys/handlers';
import type { ShellPorts } from '../../main/core/ports';
import { testPorts } from '../support/ports';
import { startSimulator, type Simulator } from '../gaia-sim';
import { containsSecret } from '../support/gaia';
import { filesIn } from '../support/files';

const HANDLE = /^[A-Za-z0-9_-]{16,}$/;

interface Clipboard {
  writes: string[];
  clears: string[];
}

function fakePorts(clipboard: Clipboard, canCopy = true): ShellPorts {
  return testPorts({
    shell: canCopy ? 'electron' : 'preview',
    writeClipboard: async (text) => {
      if (!canCopy) return false;
      clipboard.writes.push(text);
      return true;
    },
    clearClipboardIfUnchanged: async (text) => {
      clipboard.clears.push(text);
    },
  });
}

type Result = { ok: true; value: unknown } | { ok: false; error: { kind: string; message: string; action: string; status?: number; fields?: unknown[] } };

let sim: Simulator;
let core: Core;
let dir: string;
let clipboard: Clipboard;
/** Every answer and event that left the core, for "no key anywhere". */
let seen: string[];
let progress: Array<EventPayload<'gaia:keys.rotateProgress'>>;

async function call(channel: string, request: unknown): Promise<Result> {
  const result = (await core.dispatch(channel, request)) as Result;
  seen.push(JSON.stringify(result));
  return result;
}
async function ok<T>(channel: string, request: unknown): Promise<T> {
  const result = await call(channel, request);
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}
async function fails(channel: string, request: unknown) {
  const result = await call(channel, request);
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return result.error;
}

type Key = { handle: string; last4: string; permissions: string; isCurrent: boolean };
const list = async () => (await ok<{ keys: Key[] }>('gaia:keys.list', {})).keys;
const byLast4 = (keys: Key[], key: string) => keys.find((k) => k.last4 === key.slice(-4));

async function connect(apiKey: string, name = 'Sim'): Promise<Profile> {
  return (await ok<{ profile: Profile }>('gaia:profiles.connect', { name, baseUrl: sim.baseUrl, apiKey, caPem: sim.caPem })).profile;
}


beforeEach(async () => {
  sim = await startSimulator();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-keys-'));
  clipboard = { writes: [], clears: [] };
  seen = [];
  progress = [];
  core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-keys-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    ports: fakePorts(clipboard),
    env: {},
    keychainTimeoutMs: 2000,
  });
  core.onEvent((channel, payload) => {
    seen.push(JSON.stringify({ channel, payload }));
    if (channel === 'gaia:keys.rotateProgress') progress.push(payload as EventPayload<'gaia:keys.rotateProgress'>);
  });
  // Keys in memory only: these tests are about the key service, not the keychain.
  await ok('gaia:keychain.useSessionOnly', {});
});

afterEach(async () => {
  await core?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Neither the keys of the simulator nor any 8-character piece of them in anything that left the core, or on disk. */
function expectNoKeysLeaked(keys: string[]) {
  const everything = [...seen, ...filesIn(dir).map((f) => readFileSync(f, 'latin1'))];
  for (const key of keys) {
    for (const text of everything) expect(containsSecret(text, key), `a piece of a key in: ${text.slice(0, 200)}`).toBe(false);
  }
}

describe('gaia:keys.* on the simulator', () => {
  it('lists keys as handles and last four, marks the profile’s own, and keeps handles stable', async () => {
    await connect(sim.demoKey);
    const keys = await list();
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k.handle).toMatch(HANDLE);
    expect(byLast4(keys, sim.demoKey)).toMatchObject({ permissions: 'write', isCurrent: true });
    expect(byLast4(keys, sim.readKey)).toMatchObject({ permissions: 'read', isCurrent: false });
    const again = await list();
    expect(again.map((k) => k.handle).sort()).toEqual(keys.map((k) => k.handle).sort());
    // A handle is not derived from the key: nothing of the key is in it.
    for (const k of keys) expect(containsSecret(k.handle, sim.demoKey) || containsSecret(k.handle, sim.readKey)).toBe(false);
    expect(await fails('gaia:keys.update', { handle: 'not-a-real-handle-123', permissions: 'read' })).toMatchObject({ kind: 'not-found' });
    expectNoKeysLeaked([sim.demoKey, sim.readKey]);
  });

  it('without a connection, says so', async () => {
    expect(await fails('gaia:keys.list', {})).toMatchObject({ kind: 'not-connected' });
  });

  it('creates read and write keys, changes permissions and deletes, on the server', async () => {
    await connect(sim.demoKey);
    const read = await ok<Key>('gaia:keys.create', { permissions: 'read' });
    const write = await ok<Key>('gaia:keys.create', { permissions: 'write' });
    expect(read).toMatchObject({ handle: expect.stringMatching(HANDLE), permissions: 'read', isCurrent: false });
    const created = sim.keys().filter((k) => k.apiKey !== sim.demoKey && k.apiKey !== sim.readKey);
    expect(created.map((k) => k.permissions).sort()).toEqual(['read', 'write']);
    const readKey = created.find((k) => k.permissions === 'read')!.apiKey;
    expect(read.last4).toBe(readKey.slice(-4));
    // The listed handle of a created key is the one create answered.
    expect(byLast4(await list(), readKey)?.handle).toBe(read.handle);

    expect(await ok<Key>('gaia:keys.update', { handle: read.handle, permissions: 'write' })).toMatchObject({ permissions: 'write' });
    expect(sim.keys().find((k) => k.apiKey === readKey)?.permissions).toBe('write');

    expect(await ok('gaia:keys.delete', { handle: read.handle })).toEqual({ deleted: true });
    expect(sim.keys().some((k) => k.apiKey === readKey)).toBe(false);
    expect(await fails('gaia:keys.delete', { handle: read.handle })).toMatchObject({ kind: 'not-found' });
    expect(write.permissions).toBe('write');
    expectNoKeysLeaked(sim.keys().map((k) => k.apiKey).concat(readKey));
  });

  it('refuses to delete the key the active profile uses', async () => {
    await connect(sim.demoKey);
    const mine = byLast4(await list(), sim.demoKey)!;
    const error = await fails('gaia:keys.delete', { handle: mine.handle });
    expect(error).toMatchObject({ kind: 'invalid-request' });
    expect(error.message).toMatch(/uses/);
    expect(sim.keys().some((k) => k.apiKey === sim.demoKey)).toBe(true);
  });

  it('a read-only key lists, but creating a key answers 403 in the user’s words', async () => {
    await connect(sim.readKey);
    expect(await list()).toHaveLength(2);
    const error = await fails('gaia:keys.create', { permissions: 'read' });
    expect(error).toMatchObject({ kind: 'forbidden', status: 403 });
    expect(error.message).toMatch(/may not make changes/);
    const target = byLast4(await list(), sim.demoKey)!;
    expect(await fails('gaia:keys.update', { handle: target.handle, permissions: 'read' })).toMatchObject({ kind: 'forbidden' });
  });

  it('a Gaia without the key service (its paths are not Cohesity’s) says so on list and create, not that a key is missing, and leaves the profile’s key alone', async () => {
    await connect(sim.demoKey);
    sim.faults.set({ missingEndpoints: ['/es/api/v1/credentials/api_keys/'] });
    for (const error of [await fails('gaia:keys.list', {}), await fails('gaia:keys.create', { permissions: 'read' })]) {
      expect(error).toMatchObject({ kind: 'not-found', status: 404 });
      expect(error.message).toMatch(/no API-key service/);
      expect(error.message).not.toMatch(/That API key was not found|What was asked for/);
      expect(error.action).toMatch(/Helios/);
    }
    sim.faults.clear();
    expect(await list()).toHaveLength(2);
  });

  it('a 422 from the key service comes back with its field details', async () => {
    await connect(sim.demoKey);
    sim.faults.set({ bodyOverride: { path: '/api_keys', count: 1, status: 422, body: { detail: [{ loc: ['body', 'config', 'permissions'], msg: 'not a valid permission', type: 'type_error.enum' }] } } });
    const error = await fails('gaia:keys.create', { permissions: 'write' });
    expect(error).toMatchObject({ kind: 'validation-failed', status: 422, fields: [{ field: 'config.permissions', message: 'not a valid permission' }] });
  });

  it('copy: main writes the key to the clipboard and clears it after the delay; listed keys cannot be copied', async () => {
    await connect(sim.demoKey);
    const handlers = keyHandlers(core.services, { clipboardClearMs: 40 });
    const ctx: HandlerContext = { emit: () => undefined };
    const created = await handlers['gaia:keys.create']({ permissions: 'read' }, ctx);
    const key = sim.keys().find((k) => k.apiKey.endsWith(created.last4) && k.apiKey !== sim.demoKey)!.apiKey;
    const copied = await handlers['gaia:keys.copy']({ handle: created.handle }, ctx);
    expect(copied).toMatchObject({ copied: true, clearsAfterMs: 40 });
    expect(JSON.stringify(copied)).not.toContain(key);
    expect(clipboard.writes).toEqual([key]);
    expect(clipboard.clears).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    expect(clipboard.clears).toEqual([key]);

    const listed = (await handlers['gaia:keys.list']({}, ctx)).keys.find((k) => k.last4 === sim.readKey.slice(-4))!;
    await expect(handlers['gaia:keys.copy']({ handle: listed.handle }, ctx)).rejects.toMatchObject({ info: { kind: 'invalid-request' } });
    expect(clipboard.writes).toEqual([key]);
  });

  it('copy where the shell has no clipboard (the preview) answers copied: false with a message', async () => {
    await connect(sim.demoKey);
    const noClipboard = { ...core.services, options: { ...core.services.options, ports: fakePorts(clipboard, false) } };
    const handlers = keyHandlers(noClipboard);
    const ctx: HandlerContext = { emit: () => undefined };
    const created = await handlers['gaia:keys.create']({ permissions: 'read' }, ctx);
    const answer = await handlers['gaia:keys.copy']({ handle: created.handle }, ctx);
    expect(answer).toMatchObject({ copied: false, clearsAfterMs: null, message: expect.stringMatching(/preview cannot reach the system clipboard/) });
  });

  it('use it for this profile: validated first, then stored; a key that does not work leaves the profile as it was', async () => {
    const profile = await connect(sim.demoKey);
    const created = await ok<Key>('gaia:keys.create', { permissions: 'write' });
    const used = await ok<{ profile: Profile }>('gaia:keys.useForProfile', { handle: created.handle, profileId: profile.id });
    expect(used.profile.key).toMatchObject({ last4: created.last4, storage: 'session' });
    const newKey = sim.keys().find((k) => k.apiKey.endsWith(created.last4))!.apiKey;
    expect(await core.services.keychain.get(profile.id)).toBe(newKey);
    expect(byLast4(await list(), newKey)?.isCurrent).toBe(true);

    // A second new key, deleted on the server before it is used: refused, nothing changes.
    const doomed = await ok<Key>('gaia:keys.create', { permissions: 'read' });
    const doomedKey = sim.keys().find((k) => k.apiKey.endsWith(doomed.last4) && k.permissions === 'read' && k.apiKey !== sim.readKey)!.apiKey;
    await ok('gaia:keys.delete', { handle: doomed.handle });
    const error = await fails('gaia:keys.useForProfile', { handle: doomed.handle, profileId: profile.id });
    expect(error.kind).toBe('not-found');
    expect(await core.services.keychain.get(profile.id)).toBe(newKey);

    // A listed key that was not made here cannot be stored from a handle.
    const listedRead = byLast4(await list(), sim.readKey)!;
    expect(await fails('gaia:keys.useForProfile', { handle: listedRead.handle, profileId: profile.id })).toMatchObject({ kind: 'invalid-request' });
    expectNoKeysLeaked([sim.demoKey, sim.readKey, newKey, doomedKey]);
  });

  it('use it for this profile: a created key that Gaia refuses (401) is not stored', async () => {
    const profile = await connect(sim.demoKey);
    const created = await ok<Key>('gaia:keys.create', { permissions: 'write' });
    sim.faults.set({ serverError: { path: '/datasets', count: 1, status: 401 } });
    const error = await fails('gaia:keys.useForProfile', { handle: created.handle, profileId: profile.id });
    expect(error.kind).toBe('unauthorized');
    expect(await core.services.keychain.get(profile.id)).toBe(sim.demoKey);
    const listed = await ok<{ profiles: Profile[] }>('gaia:profiles.list', {});
    expect(listed.profiles[0].key.last4).toBe(sim.demoKey.slice(-4));
  });
});

describe('gaia:keys.rotate', () => {
  const rotate = (profileId: string) => call('gaia:keys.rotate', { requestId: 'rotate-test-0001', profileId });
  const states = () => progress.map((p) => `${p.step}:${p.state}`);

  it('creates, validates, switches and deletes the old key, reporting each step', async () => {
    const profile = await connect(sim.demoKey);
    const result = await rotate(profile.id);
    expect(result.ok).toBe(true);
    const value = (result as { value: { profile: Profile; leftover: string | null } }).value;
    expect(value.leftover).toBeNull();
    expect(states()).toEqual(['create:running', 'create:done', 'validate:running', 'validate:done', 'switch:running', 'switch:done', 'delete-old:running', 'delete-old:done']);
    expect(progress.every((p) => p.requestId === 'rotate-test-0001')).toBe(true);

    const newKey = await core.services.keychain.get(profile.id);
    expect(newKey).not.toBe(sim.demoKey);
    expect(sim.keys().some((k) => k.apiKey === sim.demoKey)).toBe(false);
    expect(sim.keys().find((k) => k.apiKey === newKey)?.permissions).toBe('write');
    expect(value.profile.key.last4).toBe(newKey!.slice(-4));
    // The profile works with the new key.
    expect((await call('gaia:datasets.list', { requestId: 'after-rotate-01' })).ok).toBe(true);
    expect(byLast4(await list(), newKey!)?.isCurrent).toBe(true);
    expectNoKeysLeaked([sim.demoKey, newKey!]);
  });

  it('a read-only key cannot rotate itself: fails at create, nothing changes', async () => {
    const profile = await connect(sim.readKey);
    const error = (await rotate(profile.id)) as Extract<Result, { ok: false }>;
    expect(error.ok).toBe(false);
    expect(error.error).toMatchObject({ kind: 'forbidden' });
    expect(error.error.action).toMatch(/Replace key/);
    expect(states()).toEqual(['create:running', 'create:failed', 'validate:skipped', 'switch:skipped', 'delete-old:skipped']);
    expect(await core.services.keychain.get(profile.id)).toBe(sim.readKey);
    expect(sim.keys()).toHaveLength(2);
  });

  it('a new key that fails validation is deleted again; the profile keeps its old key', async () => {
    const profile = await connect(sim.demoKey);
    sim.faults.set({ serverError: { path: '/datasets', count: 1, status: 401 } });
    const result = (await rotate(profile.id)) as Extract<Result, { ok: false }>;
    expect(result.ok).toBe(false);
    expect(result.error.kind).toBe('unauthorized');
    expect(result.error.message).toMatch(/not rotated/);
    expect(result.error.action).toMatch(/still uses its old key/);
    expect(result.error.action).toMatch(/Nothing was left behind/);
    expect(states()).toEqual(['create:running', 'create:done', 'validate:running', 'validate:failed', 'switch:skipped', 'delete-old:skipped']);
    expect(await core.services.keychain.get(profile.id)).toBe(sim.demoKey);
    expect(sim.keys().map((k) => k.apiKey).sort()).toEqual([sim.demoKey, sim.readKey].sort());
  });

  it('when the new key cannot be deleted after a failed validation, says it is left over', async () => {
    const profile = await connect(sim.demoKey);
    sim.faults.set({ serverError: { path: '/datasets', count: 1, status: 401 } });
    sim.faults.set({ htmlPage: { path: '/delete/', count: 5, status: 502 } });
    const result = (await rotate(profile.id)) as Extract<Result, { ok: false }>;
    expect(result.error.action).toMatch(/was created on .* but could not be deleted again/);
    expect(await core.services.keychain.get(profile.id)).toBe(sim.demoKey);
    expect(sim.keys()).toHaveLength(3);
  });

  it('when storing the new key fails, the old key stays and the new one is removed', async () => {
    const profile = await connect(sim.demoKey);
    const keychain = core.services.keychain;
    const realSet = keychain.set;
    keychain.set = async () => {
      throw Object.assign(new Error('nope'), {});
    };
    try {
      const result = (await rotate(profile.id)) as Extract<Result, { ok: false }>;
      expect(result.ok).toBe(false);
      expect(states()).toEqual(['create:running', 'create:done', 'validate:running', 'validate:done', 'switch:running', 'switch:failed', 'delete-old:skipped']);
    } finally {
      keychain.set = realSet;
    }
    expect(await keychain.get(profile.id)).toBe(sim.demoKey);
    expect(sim.keys().map((k) => k.apiKey).sort()).toEqual([sim.demoKey, sim.readKey].sort());
  });

  it('when the old key cannot be deleted, the profile is on the new key and the old one is reported as left over', async () => {
    const profile = await connect(sim.demoKey);
    sim.faults.set({ serverError: { path: '/delete/', count: 5, status: 500 } });
    const result = await rotate(profile.id);
    expect(result.ok).toBe(true);
    const value = (result as { value: { profile: Profile; leftover: string | null } }).value;
    expect(value.leftover).toMatch(/old key \(ending …[0-9a-f]{4}\) could not be deleted/);
    expect(states().slice(-2)).toEqual(['delete-old:running', 'delete-old:failed']);
    const newKey = await core.services.keychain.get(profile.id);
    expect(newKey).not.toBe(sim.demoKey);
    expect(sim.keys().some((k) => k.apiKey === sim.demoKey)).toBe(true);
    expectNoKeysLeaked([sim.demoKey, newKey!]);
  });

  it('does not delete an old key another profile still uses', async () => {
    const first = await connect(sim.demoKey, 'First');
    await connect(sim.demoKey, 'Second');
    const result = await rotate(first.id);
    expect(result.ok).toBe(true);
    expect((result as { value: { leftover: string } }).value.leftover).toMatch(/“Second” still uses it/);
    expect(sim.keys().some((k) => k.apiKey === sim.demoKey)).toBe(true);
  });
});
