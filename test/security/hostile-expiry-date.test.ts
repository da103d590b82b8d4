/**
 * A key expiry date is the one date the page stores: any finite number once passed, but
 * 1e308 is no Date a page can show — `toISOString` and `Intl.DateTimeFormat` throw on it —
 * so a hostile page that stored one would break the Connections page at every start. Main
 * refuses dates outside 1970–9999, and shows one already stored (by an older version) as
 * none, keeping the connection.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MILLIS_MAX } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/core';
import { formatDate, toDateInput } from '../../renderer/features/connections/dates';
import { startSimulator, type Simulator } from '../gaia-sim';
import { testPorts } from '../support/ports';
import { looseCalls } from '../support/dispatch';

let sim: Simulator;
let dir: string;
let core: Core;
const open = () =>
  createCore({ dataDir: dir, keychainService: `gaia-desktop-test-expiry-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, keychainTimeoutMs: 2000, ports: testPorts() });

beforeAll(async () => {
  sim = await startSimulator();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-expiry-'));
  core = await open();
});
afterAll(async () => {
  await core?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const { call, ok } = looseCalls(() => core);
const HOSTILE = [1e308, -1e308, 8.64e15 + 1, -8.64e15, -1, 1.5, Number.MAX_SAFE_INTEGER];

describe('key expiry dates the page cannot show', () => {
  it('are refused by connect and update; the bounds themselves are dates a page shows', async () => {
    await ok('gaia:keychain.useSessionOnly', {});
    for (const keyExpiresAt of HOSTILE) {
      const connected = await call('gaia:profiles.connect', { name: 'X', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem, keyExpiresAt });
      expect(connected.error?.kind, String(keyExpiresAt)).toBe('invalid-request');
    }
    const { profile } = await ok('gaia:profiles.connect', { name: 'Work', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
    for (const keyExpiresAt of HOSTILE) expect((await call('gaia:profiles.update', { id: profile.id, keyExpiresAt })).error?.kind, String(keyExpiresAt)).toBe('invalid-request');
    for (const keyExpiresAt of [0, DAY_MILLIS_MAX]) {
      expect((await ok('gaia:profiles.update', { id: profile.id, keyExpiresAt })).profile.keyExpiresAt).toBe(keyExpiresAt);
      expect(() => [toDateInput(keyExpiresAt), formatDate(keyExpiresAt)]).not.toThrow();
    }
  });

  it('one already in profiles.json shows as none, and the connection stays', async () => {
    const { profiles } = await ok('gaia:profiles.list', {});
    const id = profiles[0].id;
    await core.close();
    const file = path.join(dir, 'profiles.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.data.profiles[0].keyExpiresAt = 1e308;
    writeFileSync(file, JSON.stringify(doc));
    core = await open();
    const after = await ok('gaia:profiles.list', {});
    expect(after.problems).toEqual([]);
    expect(after.profiles.map((p: { id: string }) => p.id)).toEqual([id]);
    expect(after.profiles[0].keyExpiresAt).toBeNull();
    // What the page would have been handed before: no date it can show.
    expect(() => toDateInput(1e308)).toThrow(RangeError);
  });
});
