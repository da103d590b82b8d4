/**
 * What Settings → About and "Clear local history" ask of the core, through dispatch with
 * the shell's ports: the folders it opens and the history it clears — the active
 * connection's only. (Notifications: long-work-notices.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { testPorts } from '../support/ports';
import { startSimulator, type Simulator } from '../gaia-sim';

let sim: Simulator;
let core: Core;
let dir: string;
const opened: string[] = [];

type Ok<T> = { ok: true; value: T };
const call = async <T>(channel: string, request: unknown): Promise<T> => {
  const result = (await core.dispatch(channel, request)) as Ok<T> | { ok: false; error: { message: string } };
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

beforeEach(async () => {
  sim = await startSimulator();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-app-'));
  opened.length = 0;
  const ports = testPorts({
    versions: { electron: '45.5.0', chrome: '142.0.0.0' },
    openFolder: async (folder) => void opened.push(folder),
  });
  core = await createCore({ dataDir: dir, keychainService: `gaia-desktop-test-app-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, keychainTimeoutMs: 2000, ports });
  await core.dispatch('gaia:keychain.useSessionOnly', {});
});

afterEach(async () => {
  await core?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('app.info names the versions and both folders; openFolder opens exactly those', async () => {
  const info = await call<{ versions: { electron: string; chrome: string; node: string }; dataDir: string; logDir: string }>('gaia:app.info', {});
  expect(info.versions).toEqual({ electron: '45.5.0', chrome: '142.0.0.0', node: process.versions.node });
  expect(info.logDir).toBe(path.join(dir, 'logs'));
  expect(await call('gaia:app.openFolder', { folder: 'logs' })).toEqual({ opened: true });
  expect(await call('gaia:app.openFolder', { folder: 'data' })).toEqual({ opened: true });
  expect(opened).toEqual([path.join(dir, 'logs'), dir]);
  // Only the two named folders: anything else is refused by the contract.
  expect((await core.dispatch('gaia:app.openFolder', { folder: '/etc' })).ok).toBe(false);
});

it('history.clear deletes the active connection’s local conversations and nothing of another', async () => {
  const connect = (name: string) =>
    call<{ profile: { id: string } }>('gaia:profiles.connect', { name, baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
  const first = await connect('First');
  const history = core.services.history;
  await history.create(first.profile.id, { title: 'One', datasetNames: ['Travel & Expenses'] });
  await history.create(first.profile.id, { title: 'Two', datasetNames: ['Travel & Expenses'] });
  const second = await connect('Second');
  await history.create(second.profile.id, { title: 'Other', datasetNames: ['Travel & Expenses'] });

  await call('gaia:profiles.activate', { id: first.profile.id });
  expect(await call('gaia:history.clear', {})).toEqual({ deleted: 2 });
  expect((await history.list(first.profile.id)).conversations).toEqual([]);
  expect((await history.list(second.profile.id)).conversations.map((c) => c.title)).toEqual(['Other']);
});
