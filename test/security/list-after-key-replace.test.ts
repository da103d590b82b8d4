/**
 * The cached dataset list after a connection's key is replaced: same server, same tenant,
 * but another key — maybe another user's, with other permissions. The list fetched with
 * the old key (and the dataset names it puts on sources) must not be shown or used with
 * the new one, and nothing derived from either key may be written to decide so.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { cachedNamesAt } from '../../main/core/datasets/place';
import { startSimulator, type Simulator } from '../gaia-sim';
import { testPorts } from '../support/ports';
import { looseCalls } from '../support/dispatch';
import { filesIn } from '../support/files';
import { containsSecret } from '../support/gaia';

let sim: Simulator;
let core: Core;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-list-key-'));
  core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-list-key-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    ports: testPorts({ confirmTrustChange: async () => true }),
  });
  expect((await call('gaia:keychain.useSessionOnly', {})).ok).toBe(true);
});
afterAll(async () => {
  await core?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const { call, ok } = looseCalls(() => core);
let n = 0;
const rid = () => `list-key-${String(++n).padStart(5, '0')}`;

async function connectAndList(name: string): Promise<string> {
  const { profile } = await ok('gaia:profiles.connect', { name, baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
  const first = await ok('gaia:datasets.list', { requestId: rid(), refresh: true });
  expect(first.source).toBe('network');
  expect(first.datasets.length).toBeGreaterThan(0);
  await core.services.datasetCache.flush();
  // Without a change, the next visit is answered from the cache (what must stop below).
  expect((await ok('gaia:datasets.list', { requestId: rid() })).source).toBe('cache');
  return profile.id;
}

describe('the cached dataset list belongs to the key it was fetched with', () => {
  it('Replace key: the old key’s list is not shown, nor used to name sources', async () => {
    const id = await connectAndList('Replace');
    await ok('gaia:profiles.replaceKey', { id, apiKey: sim.readKey });
    expect(await cachedNamesAt(core.services.datasetCache, await core.services.profiles.get(id))).toEqual(new Map());
    expect((await ok('gaia:datasets.list', { requestId: rid() })).source).toBe('network');
  }, 60_000);

  it('a key typed again in Edit: the same', async () => {
    const id = await connectAndList('Edit');
    await ok('gaia:profiles.update', { id, name: 'Edit again', apiKey: sim.readKey });
    expect(await cachedNamesAt(core.services.datasetCache, await core.services.profiles.get(id))).toEqual(new Map());
    expect((await ok('gaia:datasets.list', { requestId: rid() })).source).toBe('network');
  }, 60_000);

  it('a list in flight while the key is replaced is not kept as the new key’s', async () => {
    const id = await connectAndList('Race');
    sim.faults.set({ latencyMs: 400 });
    const listing = call('gaia:datasets.list', { requestId: rid(), refresh: true });
    await new Promise((r) => setTimeout(r, 100));
    sim.faults.set({ latencyMs: 0 });
    await ok('gaia:profiles.replaceKey', { id, apiKey: sim.readKey });
    const old = await listing;
    expect(old.ok).toBe(true);
    await core.services.datasetCache.flush();
    expect((await ok('gaia:datasets.list', { requestId: rid() })).source).toBe('network');
  }, 60_000);

  it('what binds the list to its key is no piece of the key', async () => {
    await core.services.datasetCache.flush();
    const files = filesIn(dir).map((f) => readFileSync(f, 'utf8'));
    expect(files.length).toBeGreaterThan(0);
    for (const key of [sim.demoKey, sim.readKey]) for (const text of files) expect(containsSecret(text, key)).toBe(false);
  });
});
