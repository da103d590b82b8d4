/**
 * The core starts in two steps (main/core/core.ts): calls that come while its heavier
 * part is still loading are answered — app.info, settings.get and profiles.list from the cheap part,
 * everything else once the rest is up — never refused, and still checked by the contract.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startCore, type Core } from '../../main/core/core';
import { testPorts } from '../support/ports';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('answers calls made before the whole core is ready, each correctly', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-core-start-'));
  dirs.push(dir);
  const starting = await startCore({ dataDir: dir, keychainService: `gaia-desktop-test-start-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, keychainTimeoutMs: 2000, ports: testPorts() });
  let ready = false;
  void starting.ready.then((core) => {
    ready = true;
    cores.push(core);
  });
  const events: string[] = [];
  starting.onEvent((channel) => events.push(channel));

  // All asked at once, before the heavier part has loaded.
  const calls = Promise.all([
    starting.dispatch('gaia:app.info', {}),
    starting.dispatch('gaia:settings.get', {}),
    starting.dispatch('gaia:profiles.list', {}),
    starting.dispatch('gaia:keychain.useSessionOnly', {}),
    starting.dispatch('gaia:profiles.list', { unexpected: true }),
    starting.dispatch('gaia:no.such', {}),
  ]);
  expect(ready).toBe(false);
  const [info, settings, profiles, sessionOnly, invalid, unknown] = await calls;
  expect(info).toMatchObject({ ok: true, value: { name: 'Gaia Desktop', version: '0.0.0-test', dataDir: dir, problems: [] } });
  expect(settings).toMatchObject({ ok: true, value: { keepHistory: true } });
  expect(profiles).toMatchObject({ ok: true, value: { profiles: [], activeId: null } });
  expect(sessionOnly).toMatchObject({ ok: true });
  expect(invalid).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
  expect(unknown).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } });
  await starting.ready;
  expect(ready).toBe(true);
});

it('app.info carries the start-up problems the cheap part found', async () => {
  const blocker = mkdtempSync(path.join(os.tmpdir(), 'gaia-core-start-file-'));
  dirs.push(blocker);
  const folder = path.join(blocker, 'settings.json');
  mkdirSync(folder);
  const starting = await startCore({ dataDir: blocker, keychainService: `gaia-desktop-test-start-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, keychainTimeoutMs: 2000, ports: testPorts() });
  const info = await starting.dispatch('gaia:app.info', {});
  expect(info).toMatchObject({ ok: true, value: { problems: [{ file: folder }] } });
  cores.push(await starting.ready);
});

it('with the rest deferred, a call that needs it loads it and is answered', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-core-start-'));
  dirs.push(dir);
  const starting = await startCore(
    { dataDir: dir, keychainService: `gaia-desktop-test-start-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, keychainTimeoutMs: 2000, ports: testPorts() },
    { deferRest: true },
  );
  expect(await starting.dispatch('gaia:keychain.useSessionOnly', {})).toMatchObject({ ok: true });
  cores.push(await starting.ready);
  expect(await starting.dispatch('gaia:app.info', {})).toMatchObject({ ok: true, value: { version: '0.0.0-test' } });
});
