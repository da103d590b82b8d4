/** A real core (createCore), in this process, with a fresh data dir and a private keychain namespace. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../main/core/core';
import { headlessPorts } from '../../main/core/ports';
import type { Profile } from '../../preload/contract';

export const ports = headlessPorts('preview');

export const keychainService = () => `gaia-desktop-bench-${process.pid}-${randomBytes(4).toString('hex')}`;

export async function benchCore(): Promise<{ core: Core; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-bench-core-'));
  const core = await createCore({ dataDir, keychainService: keychainService(), appName: 'Gaia Desktop', version: '0.0.0-bench', ports, env: {} });
  return { core, dataDir };
}

export async function connect(core: Core, sim: { baseUrl: string; demoKey: string; caPem: string }): Promise<Profile> {
  const result = await core.dispatch('gaia:profiles.connect', { name: 'Bench (simulator)', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
  if (!result.ok) throw new Error(`connect failed: ${JSON.stringify(result.error)}`);
  return (result.value as { profile: Profile }).profile;
}
