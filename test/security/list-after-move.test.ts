/**
 * A dataset list in flight when its connection moves to another server.
 *
 * The page starts a refresh on the victim's Gaia and moves the connection meanwhile (with
 * a key it types). The list still ends on the old server, after the move had emptied the
 * connection's cached list: what it brought must not become the cached list of where the
 * connection points now — the next visit would show the old server's datasets (and ask
 * with their names) as the new server's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { startSimulator, type Simulator } from '../gaia-sim';
import { startAttacker, type Attacker } from '../support/attacker';
import { testPorts } from '../support/ports';
import { looseCalls } from '../support/dispatch';

let attacker: Attacker;
let sim: Simulator;
let core: Core;
let dir: string;

beforeAll(async () => {
  attacker = await startAttacker();
  sim = await startSimulator();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-list-move-'));
  core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-list-move-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    ports: testPorts({ confirmTrustChange: async () => true }),
  });
});
afterAll(async () => {
  await core?.close();
  await sim?.stop();
  await attacker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const { call } = looseCalls(() => core);

describe('a dataset list in flight while its connection moves', () => {
  it('is not kept as the list of the server the connection moved to', async () => {
    expect((await call('gaia:keychain.useSessionOnly', {})).ok).toBe(true);
    const connected = await call('gaia:profiles.connect', { name: 'Victim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
    const id: string = connected.value.profile.id;
    sim.faults.set({ latencyMs: 400 });
    const listing = call('gaia:datasets.list', { requestId: 'list-move-00001', refresh: true });
    await new Promise((r) => setTimeout(r, 100));
    sim.faults.set({ latencyMs: 0 });
    const moved = await call('gaia:profiles.update', { id, baseUrl: attacker.httpBaseUrl, apiKey: 'attacker-typed-key-0123456789' });
    expect(moved.ok).toBe(true);
    const old = await listing;
    // The race did happen: the list came from the old server, after the move.
    expect(old.ok).toBe(true);
    expect(old.value.datasets.length).toBeGreaterThan(0);
    await core.services.datasetCache.flush();
    // The attacker's server has no datasets: none of the victim's may be shown as its.
    const next = await call('gaia:datasets.list', { requestId: 'list-move-00002' });
    expect(next.ok).toBe(true);
    expect(next.value.datasets).toEqual([]);
  }, 60_000);
});
