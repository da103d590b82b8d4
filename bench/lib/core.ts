/**
 * A real core (createCore), in this process, with a fresh data dir and a private keychain
 * namespace: the core as shipped (bench-core.js, built by `npm run bench`; see shipped.ts),
 * with the built keychain worker beside it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '../../main/core/core';
import type { Profile } from '../../preload/contract';
import { shippedCore, SHIPPED_DIR } from './shipped.ts';

export const keychainService = () => `gaia-desktop-bench-${process.pid}-${randomBytes(4).toString('hex')}`;

export async function benchCore(): Promise<{ core: Core; dataDir: string }> {
  const { createCore, headlessPorts } = await shippedCore();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-bench-core-'));
  const core = await createCore({
    dataDir,
    keychainService: keychainService(),
    keychainWorker: path.join(SHIPPED_DIR, 'keychain-worker.mjs'),
    appName: 'Gaia Desktop',
    version: '0.0.0-bench',
    ports: headlessPorts('preview'),
    env: {},
  });
  return { core, dataDir };
}

export async function connect(core: Core, sim: { baseUrl: string; demoKey: string; caPem: string }): Promise<Profile> {
  const result = await core.dispatch('gaia:profiles.connect', { name: 'Bench (simulator)', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
  if (!result.ok) throw new Error(`connect failed: ${JSON.stringify(result.error)}`);
  return (result.value as { profile: Profile }).profile;
}
