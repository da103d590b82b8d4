/**
 * Calls that arrive together share one client. A page opens by asking for datasets and
 * models at once; when each call made its own client, the last one closed the others
 * with their requests on the wire, and the first question of a session failed with
 * "the connection failed".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { startSimulator, type Simulator } from '../gaia-sim';
import { testPorts } from '../support/ports';

let open: Array<{ core: Core; sim: Simulator; dir: string }> = [];
afterEach(async () => {
  for (const { core, sim, dir } of open) {
    await core.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  open = [];
});

it('calls made at once after the client was dropped all answer, over one client', async () => {
  const sim = await startSimulator();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-concurrent-'));
  const core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-concurrent-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    ports: testPorts(),
  });
  open.push({ core, sim, dir });
  type Answer = { ok: boolean; value?: { profile?: { id: string } }; error?: { kind: string; message: string } };
  const call = async (channel: string, request: unknown) => (await core.dispatch(channel, request)) as Answer;
  // The OS keychain when there is one (its reads are slow enough to overlap), else the session.
  if (!process.env.GAIA_TEST_KEYRING) expect((await call('gaia:keychain.useSessionOnly', {})).ok).toBe(true);
  const connected = await call('gaia:profiles.connect', { name: 'Sim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
  expect(connected.ok).toBe(true);
  const id = connected.value!.profile!.id;

  for (let round = 0; round < 5; round++) {
    // A rename drops the cached client (as every profile change does); the next calls make a new one.
    expect((await call('gaia:profiles.update', { id, name: `Sim ${round}` })).ok).toBe(true);
    sim.faults.set({ latencyMs: 50 });
    const answers = await Promise.all([
      call('gaia:datasets.list', { requestId: `concurrent-ds-${round}-1`, refresh: true }),
      call('gaia:llms.list', {}),
      call('gaia:datasets.list', { requestId: `concurrent-ds-${round}-2`, refresh: true }),
      call('gaia:llms.list', {}),
    ]);
    sim.faults.set({ latencyMs: 0 });
    for (const a of answers) expect(a.error?.message ?? 'ok').toBe('ok');
  }

  // The property itself: calls that arrive while no client exists get the same one.
  expect((await call('gaia:profiles.update', { id, name: 'Sim' })).ok).toBe(true);
  const made = await Promise.all([1, 2, 3, 4].map(() => core.services.connections.active()));
  expect(new Set(made.map((m) => m.client)).size).toBe(1);
  expect((await call('gaia:datasets.list', { requestId: 'concurrent-after-1', refresh: true })).ok).toBe(true);
});
