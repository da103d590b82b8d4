/**
 * A key is stored for the place it was checked against, even when the page races a move.
 *
 * A hostile page can start a key write that validates against the victim's Gaia (a key
 * created here, "use it for this connection"; a rotation; a replaced key) and, while that
 * check is on the wire, move the same profile to its own server with its own key typed
 * (which is allowed: the typed key is the attacker's). If the slow write then stored the
 * victim's key and recorded it for the profile's settings *as they are by then*, the
 * victim's key would be bound to the attacker's address and sent there on the next call.
 * The victim's Gaia is made slow so the move lands inside the check every time. A key
 * Gaia makes while the move lands is deleted again where it was made, and a profile
 * record read before the move gets no client at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { startSimulator, type Simulator } from '../gaia-sim';
import { startAttacker, type Attacker } from '../support/attacker';
import { testPorts } from '../support/ports';
import { looseCalls } from '../support/dispatch';

const ATTACKER_KEY = 'attacker-typed-key-0123456789';
let attacker: Attacker;
const dirs: string[] = [];
let open: Array<{ core: Core; sim: Simulator }> = [];

beforeAll(async () => {
  attacker = await startAttacker();
});
afterEach(async () => {
  for (const { core, sim } of open) {
    await core.close();
    await sim.stop();
  }
  open = [];
});
afterAll(async () => {
  await attacker.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function world() {
  const sim = await startSimulator();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-race-'));
  dirs.push(dir);
  const core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-race-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    ports: testPorts({ confirmTrustChange: async () => true }),
  });
  open.push({ core, sim });
  const { call, ok } = looseCalls(() => core);
  await ok('gaia:keychain.useSessionOnly', {});
  const victim: string = (await ok('gaia:profiles.connect', { name: 'Victim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem })).profile.id;
  return { sim, core, call, ok, victim };
}

/** Starts `slow` (which checks a key with the victim's slow Gaia), moves the profile meanwhile, then uses it. */
async function race(w: Awaited<ReturnType<typeof world>>, slow: () => Promise<{ ok: boolean; error?: { message: string } }>) {
  w.sim.faults.set({ latencyMs: 600 });
  const pending = slow();
  await new Promise((r) => setTimeout(r, 150));
  w.sim.faults.set({ latencyMs: 0 });
  const moved = await w.call('gaia:profiles.update', { id: w.victim, baseUrl: attacker.httpBaseUrl, apiKey: ATTACKER_KEY });
  expect(moved.ok).toBe(true);
  // Refused, in words: the move landed while the key was checked (so the race did happen).
  const raced = await pending;
  expect(raced.ok).toBe(false);
  expect(raced.error?.message).toMatch(/changed by something else/);
  attacker.requests.length = 0;
  await w.call('gaia:datasets.list', { requestId: 'race-after-0001', refresh: true });
  await w.call('gaia:keys.list', {});
  const seen = attacker.seen();
  for (const k of w.sim.keys()) expect(seen).not.toContain(k.apiKey);
}

describe('a key write racing a move of its profile', () => {
  it('keys.useForProfile: a key created on the victim is not bound to where the profile moved meanwhile', async () => {
    const w = await world();
    const { handle } = await w.ok('gaia:keys.create', { permissions: 'write' });
    await race(w, () => w.call('gaia:keys.useForProfile', { handle, profileId: w.victim }));
  });

  it('keys.rotate: the new key is not bound to where the profile moved meanwhile', async () => {
    const w = await world();
    await race(w, () => w.call('gaia:keys.rotate', { requestId: 'race-rotate-0001', profileId: w.victim }));
  });

  it('profiles.replaceKey: a victim key checked against the victim is not bound to where the profile moved meanwhile', async () => {
    const w = await world();
    const readKey = w.sim.keys().find((k) => k.permissions === 'read')!.apiKey;
    await race(w, () => w.call('gaia:profiles.replaceKey', { id: w.victim, apiKey: readKey }));
  });
});

describe('a key made while its connection moves', () => {
  it('keys.create: the key Gaia made meanwhile is deleted again on the key service that made it, and the move is said', async () => {
    const w = await world();
    const before = new Set(w.sim.keys().map((k) => k.apiKey));
    await race(w, () => w.call('gaia:keys.create', { permissions: 'read' }));
    // No handle could reach it after the move: left there, it would be a live key nobody sees.
    expect(w.sim.keys().filter((k) => !before.has(k.apiKey))).toEqual([]);
  });
});

describe('a call that read its profile before a move', () => {
  it('gets no client: the keychain holds the key typed for the new place, which must not go to the old one', async () => {
    const w = await world();
    const { handle } = await w.ok('gaia:keys.create', { permissions: 'read' });
    expect(handle).toBeTruthy();
    // keys.delete and keys.update read the profile, then take its client: a move can land in between.
    const stale = await w.core.services.profiles.get(w.victim);
    expect((await w.call('gaia:profiles.update', { id: w.victim, baseUrl: attacker.httpBaseUrl, apiKey: ATTACKER_KEY })).ok).toBe(true);
    await w.core.services.connections.active();
    attacker.requests.length = 0;
    // Neither the cached client of where the profile is now, nor a new one for the old place
    // carrying the key typed for the new one.
    await expect(w.core.services.connections.forProfile(stale)).rejects.toThrow(/changed by something else/);
    expect(attacker.requests).toEqual([]);
  });
});
