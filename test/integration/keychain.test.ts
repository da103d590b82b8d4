/**
 * The keychain against a real Secret Service (GNOME Keyring) on private D-Bus sessions.
 * See test/support/keyring-session.ts for how the sessions are made; nothing here can
 * reach the keyring of the person running the tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AppErrorInfo, KeychainStatus } from '../../preload/contract';
import { createKeychain, type Keychain } from '../../main/core/platform/keychain';
import { createLog, type Log } from '../../main/core/platform/log';
import { AppError } from '../../main/core/errors';
import { createProfileStore, toPublic } from '../../main/core/connections/profiles';
import {
  ambientOrPrivateKeyring,
  haveKeyringTools,
  startPrivateBus,
  startSilentSocket,
  testService,
  useBus,
} from '../support/keyring-session';
import { PROBE_KEY } from '../support/keychain-probe-key';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROBE_SCRIPT = path.join(ROOT, 'test/support/keychain-probe.ts');

const KEY = 'gK7pQ2xZ9vLmN4rT8wYb3cF6hJ1sD5aE';
const OTHER_KEY = 'Zy8xWv7uTs6rQp5oNm4lKj3iHg2fEd1c';

function newLog(dir: string): Log {
  return createLog({ dir });
}

async function failureOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe.skipIf(!haveKeyringTools() && process.env.CI !== 'true')('keychain on a real Secret Service', () => {
  let session: { address: string; stop(): Promise<void> };
  let restoreBus: () => void;
  let keychain: Keychain;
  let dir: string;
  let log: Log;
  const service = testService();

  beforeAll(async () => {
    session = await ambientOrPrivateKeyring();
    restoreBus = useBus(session.address);
    dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-kc-'));
    log = newLog(dir);
    keychain = createKeychain({ service, log, timeoutMs: 5000, platform: 'linux' });
  });

  afterAll(async () => {
    // Leave nothing behind in the session's keyring.
    for (const id of ['p-store', 'p-a', 'p-b']) await keychain.delete(id).catch(() => undefined);
    await keychain.close();
    restoreBus();
    await session.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the keychain as available', async () => {
    const status = await keychain.status();
    expect(status).toEqual({ available: true, backend: expect.stringContaining('Secret Service'), sessionOnly: false, problem: null });
  });

  it('stores, reads back, replaces and deletes a key', async () => {
    expect(await keychain.get('p-store')).toBeNull();
    expect(await keychain.set('p-store', KEY)).toBe('keychain');
    expect(await keychain.get('p-store')).toBe(KEY);

    await keychain.set('p-store', OTHER_KEY);
    expect(await keychain.get('p-store')).toBe(OTHER_KEY);

    expect(await keychain.delete('p-store')).toBe(true);
    expect(await keychain.get('p-store')).toBeNull();
    expect(await keychain.delete('p-store')).toBe(false);
  });

  it('clears every entry of its own service, and none of another', async () => {
    const other = createKeychain({ service: `${service}-other`, log, platform: 'linux' });
    try {
      await keychain.set('p-a', KEY);
      await keychain.set('p-b', OTHER_KEY);
      await other.set('p-a', KEY);
      expect(await keychain.clearService()).toBe(2);
      expect(await keychain.get('p-a')).toBeNull();
      expect(await keychain.get('p-b')).toBeNull();
      expect(await other.get('p-a')).toBe(KEY);
    } finally {
      await other.delete('p-a').catch(() => undefined);
      await other.close();
    }
  });

  it('keeps the key where another process can read it (a real keychain, not memory)', async () => {
    await keychain.set('p-a', KEY);
    const second = createKeychain({ service, log, platform: 'linux' });
    try {
      expect(await second.get('p-a')).toBe(KEY);
    } finally {
      await second.close();
    }
  });

  it('registers keys as log secrets, so they never reach the log', async () => {
    await keychain.set('p-b', OTHER_KEY);
    const fresh = newLog(mkdtempSync(path.join(dir, 'log-')));
    const reader = createKeychain({ service, log: fresh, platform: 'linux' });
    try {
      expect(await reader.get('p-b')).toBe(OTHER_KEY);
      fresh.info(`about to send ${OTHER_KEY}`);
      expect(fresh.recent().join('\n')).not.toContain(OTHER_KEY.slice(0, 8));
    } finally {
      await reader.close();
    }
  });

  it('lists profiles with their key state', async () => {
    const store = createProfileStore({ dataDir: mkdtempSync(path.join(dir, 'data-')) });
    await store.load();
    const withKey = await store.create({ name: 'With key', baseUrl: 'https://helios.cohesity.com/v2/mcm/gaia' });
    const without = await store.create({ name: 'Without key', baseUrl: 'https://gaia.example.com/v2/mcm/gaia' });
    const where = await keychain.set(withKey.id, KEY);
    await store.recordKey(withKey.id, KEY, where);
    try {
      const { profiles } = await store.load();
      const listed = await Promise.all(
        profiles.map(async (p) => ({ ...toPublic(p, () => []), hasKey: (await keychain.get(p.id)) !== null })),
      );
      const a = listed.find((p) => p.id === withKey.id)!;
      const b = listed.find((p) => p.id === without.id)!;
      expect(a.key).toEqual({ last4: KEY.slice(-4), storage: 'keychain', addedAt: expect.any(Number) });
      expect(a.hasKey).toBe(true);
      expect(b.key).toEqual({ last4: null, storage: 'none', addedAt: null });
      expect(b.hasKey).toBe(false);
    } finally {
      await keychain.delete(withKey.id);
    }
  });

  it('never puts the key in an error message', async () => {
    const err = await failureOf(keychain.set('p-x', `bad\n${KEY}`));
    expect(err.info.kind).toBe('bad-key');
    expect(JSON.stringify(err.info)).not.toContain(KEY);
  });
});

interface ProbeResult {
  status: KeychainStatus;
  sessionStatus?: KeychainStatus;
  set: Settled;
  get: Settled;
  delete: Settled;
  getAfterDelete: Settled;
  ms: number;
  ticks: number;
}
type Settled = { ok: true; value: unknown } | { ok: false; error: AppErrorInfo; ms: number };

/** The keychain in a fresh process (libdbus keeps the first bus address it sees for the life of a process). */
async function probe(busAddress: string | undefined, { timeoutMs = 3000, mode = 'keychain' } = {}): Promise<ProbeResult> {
  const env = { ...process.env };
  if (busAddress === undefined) delete env.DBUS_SESSION_BUS_ADDRESS;
  else env.DBUS_SESSION_BUS_ADDRESS = busAddress;
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', PROBE_SCRIPT, testService(), String(timeoutMs), mode], {
    env,
    cwd: ROOT,
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ProbeResult;
}

function failed(s: Settled): AppErrorInfo {
  if (s.ok) throw new Error(`expected a failure, got ${JSON.stringify(s)}`);
  return s.error;
}

describe.skipIf(!haveKeyringTools() && process.env.CI !== 'true')('keychain failure modes (each in its own process)', () => {
  it('without D-Bus: says so quickly, with the headless fix', async () => {
    const r = await probe(undefined);
    expect(r.ms).toBeLessThan(2000);
    expect(r.status.available).toBe(false);
    expect(r.status.problem?.message).toMatch(/D-Bus/);
    expect(r.status.problem?.action).toMatch(/dbus-run-session/);
    expect(failed(r.set).kind).toBe('keychain-unavailable');
    expect(failed(r.get).kind).toBe('keychain-unavailable');
    expect(JSON.stringify(r)).not.toContain(PROBE_KEY);
  });

  it('with a dead bus socket: says D-Bus cannot be reached', async () => {
    const r = await probe(`unix:path=${path.join(os.tmpdir(), `gaia-no-such-socket-${process.pid}`)}`);
    expect(r.ms).toBeLessThan(2000);
    expect(r.status.available).toBe(false);
    expect(r.status.problem?.message).toMatch(/D-Bus/);
    expect(failed(r.set).kind).toBe('keychain-unavailable');
  });

  it('with D-Bus but no Secret Service: says what to install', async () => {
    const bus = await startPrivateBus('none');
    try {
      const r = await probe(bus.address);
      expect(r.ms).toBeLessThan(3000);
      expect(r.status.available).toBe(false);
      expect(r.status.problem?.message).toMatch(/No keychain service/);
      expect(r.status.problem?.action).toMatch(/gnome-keyring.*KeePassXC/);
      expect(failed(r.set).kind).toBe('keychain-unavailable');
    } finally {
      await bus.stop();
    }
  });

  it('with a locked keyring: says it is locked and how to unlock it', async () => {
    const bus = await startPrivateBus('locked');
    try {
      const r = await probe(bus.address);
      expect(r.ms).toBeLessThan(3000);
      expect(r.status.available).toBe(false);
      expect(r.status.problem?.message).toMatch(/locked/);
      expect(r.status.problem?.action).toMatch(/[Uu]nlock/);
      expect(failed(r.set).kind).toBe('keychain-unavailable');
      expect(failed(r.set).message).toMatch(/locked/);
    } finally {
      await bus.stop();
    }
  });

  it('with a bus that never answers: times out instead of hanging, and the app stays responsive', async () => {
    const silent = await startSilentSocket();
    try {
      const r = await probe(silent.address, { timeoutMs: 400 });
      expect(r.status.available).toBe(false);
      expect(r.status.problem?.message).toMatch(/did not answer within 0.4 seconds/);
      expect(failed(r.set).kind).toBe('keychain-timeout');
      expect(failed(r.get).kind).toBe('keychain-timeout');
      expect(failed(r.delete).kind).toBe('keychain-timeout');
      // Five calls, none waiting much longer than the timeout (once two workers are stuck,
      // calls fail at once). A hang would last until libdbus gives up, 10 s or more.
      for (const s of [r.set, r.get, r.delete, r.getAfterDelete]) expect(failed(s).kind === 'keychain-timeout' && (s as { ms: number }).ms).toBeLessThan(1500);
      expect(r.ms).toBeLessThan(5000);
      // The event loop kept turning (a 20 ms ticker) while the keychain hung.
      expect(r.ticks).toBeGreaterThan(10);
      expect(JSON.stringify(r)).not.toContain(PROBE_KEY);
    } finally {
      await silent.close();
    }
  });

  it('session-only mode keeps keys in memory when no keychain is usable', async () => {
    const r = await probe(undefined, { mode: 'session' });
    expect(r.status.available).toBe(false);
    expect(r.sessionStatus).toMatchObject({ available: false, sessionOnly: true });
    expect(r.set).toEqual({ ok: true, value: 'session' });
    expect(r.get).toEqual({ ok: true, value: PROBE_KEY });
    expect(r.delete).toEqual({ ok: true, value: true });
    expect(r.getAfterDelete).toEqual({ ok: true, value: null });
  });

  it('session-only mode ignores a working keychain too, and writes nothing to it', async () => {
    const bus = await startPrivateBus('unlocked');
    try {
      const r = await probe(bus.address, { mode: 'session' });
      expect(r.status.available).toBe(true);
      expect(r.sessionStatus).toMatchObject({ available: true, sessionOnly: true });
      expect(r.set).toEqual({ ok: true, value: 'session' });
      expect(r.get).toEqual({ ok: true, value: PROBE_KEY });
      // Nothing reached the keyring: a search for the account finds nothing.
      const { stdout } = await execFileAsync('secret-tool', ['search', '--all', 'username', 'probe-profile'], { env: bus.env }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
      expect(stdout).not.toContain(PROBE_KEY);
    } finally {
      await bus.stop();
    }
  });
});
