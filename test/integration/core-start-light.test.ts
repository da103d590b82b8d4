/**
 * The first screen's calls (app.info, settings.get, profiles.list) are answered by the
 * core's cheap part alone (main/core/core.ts): here the heavier part cannot even be loaded,
 * so any of them that still needed it would come back as an error instead of its answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createProfileStore } from '../../main/core/connections/profiles';
import { startCore } from '../../main/core/core';
import { testPorts } from '../support/ports';

vi.mock('../../main/core/assemble', () => {
  throw new Error('the heavier part of the core was loaded');
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('answers the first screen without loading the rest of the core', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-core-light-'));
  dirs.push(dir);
  // A stored profile, so the list really reads the file and makes the public profiles.
  const store = createProfileStore({ dataDir: dir });
  const made = await store.create({ name: 'Work', baseUrl: 'https://gaia.example.com' });
  await store.setActive(made.id);
  const starting = await startCore(
    { dataDir: dir, keychainService: `gaia-desktop-test-light-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, keychainTimeoutMs: 2000, ports: testPorts() },
    { deferRest: true },
  );
  // The rest's load fails by design here (the mock); the start must not report that as unhandled.
  starting.ready.catch(() => undefined);

  expect(await starting.dispatch('gaia:app.info', {})).toMatchObject({ ok: true, value: { version: '0.0.0-test' } });
  expect(await starting.dispatch('gaia:settings.get', {})).toMatchObject({ ok: true });
  expect(await starting.dispatch('gaia:profiles.list', {})).toMatchObject({ ok: true, value: { activeId: made.id, profiles: [{ id: made.id, name: 'Work', baseUrl: 'https://gaia.example.com' }] } });
  // Still checked by the contract, as every call.
  expect(await starting.dispatch('gaia:profiles.list', { unexpected: true })).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
  // The seam holds: a call that does need the rest is the one that fails here.
  expect(await starting.dispatch('gaia:keychain.status', {})).toMatchObject({ ok: false });
});
