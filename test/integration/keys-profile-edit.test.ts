/**
 * Editing a connection is checked against what will be saved: moving a connection to a
 * new host drops its pinned certificate and its "don't verify" choice (trust belongs to a
 * host), so the check before saving must not lean on either.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Profile } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/core';
import { startSimulator, type Simulator } from '../gaia-sim';

let first: Simulator;
let second: Simulator;
let core: Core;
let dir: string;

type Result = { ok: true; value: { profile: Profile } } | { ok: false; error: { kind: string; message: string } };
const call = (channel: string, request: unknown) => core.dispatch(channel, request) as Promise<Result>;

beforeEach(async () => {
  [first, second] = await Promise.all([startSimulator(), startSimulator()]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-edit-'));
  core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-edit-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    ports: {
      shell: 'preview',
      versions: { electron: null, chrome: null },
      openExternal: async () => undefined,
      writeClipboard: async () => false,
      clearClipboardIfUnchanged: async () => undefined,
      setOpenAtLogin: () => undefined,
    },
  });
  await core.dispatch('gaia:keychain.useSessionOnly', {});
});

afterEach(async () => {
  await core?.close();
  await Promise.all([first?.stop(), second?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

it('a pinned connection moved to a new host is checked without the old pin', async () => {
  const top = new X509Certificate(first.intermediatePem);
  const ok = await call('gaia:profiles.connect', { name: 'Pinned', baseUrl: first.baseUrl, apiKey: first.demoKey, caPem: first.intermediatePem, trustedFingerprint: top.fingerprint256 });
  expect(ok.ok).toBe(true);
  const id = (ok as Extract<Result, { ok: true }>).value.profile.id;
  // The second simulator trusts through its own CA but does not know the first one's key: the check must
  // reach Gaia and be refused for the key (401) — not stopped by the first host's pin, which is not kept.
  const moved = await call('gaia:profiles.update', { id, baseUrl: second.baseUrl, caPem: second.caPem });
  expect(moved.ok).toBe(false);
  expect((moved as Extract<Result, { ok: false }>).error.kind).toBe('unauthorized');
});

it('a connection with certificate checks off, moved to a new host, is checked with verification on', async () => {
  const ok = await call('gaia:profiles.connect', { name: 'Lab', baseUrl: first.baseUrl, apiKey: first.demoKey, verifyTls: false });
  expect(ok.ok).toBe(true);
  const profile = (ok as Extract<Result, { ok: true }>).value.profile;
  expect(profile.verifyTls).toBe(false);
  // Without a CA for the new host, the move must fail on the certificate, not pass because checks were off for the old host.
  const moved = await call('gaia:profiles.update', { id: profile.id, baseUrl: second.baseUrl });
  expect(moved.ok).toBe(false);
  expect((moved as Extract<Result, { ok: false }>).error.kind).toBe('tls-unknown-ca');
  const listed = (await core.dispatch('gaia:profiles.list', {})) as { ok: true; value: { profiles: Profile[] } };
  expect(listed.value.profiles[0]).toMatchObject({ baseUrl: first.baseUrl, verifyTls: false });
});
