/**
 * A stored key goes only where its user sent it (main/core/connections/key-binding.ts). Editing a
 * connection so that its key would go to another origin, or under weaker trust, needs
 * the key typed again; the stored key is never sent to the new place. Tightening needs
 * nothing. Keys of the key service held behind handles are bound the same way.
 *
 * Two simulators, each with its own CA and keys: "first" is where the key was entered,
 * "second" stands for any other server. Their request logs show who received what.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/core';
import type { ShellPorts, TrustQuestion } from '../../main/core/ports';
import { testPorts } from '../support/ports';
import { startSimulator, type Simulator } from '../gaia-sim';

let first: Simulator;
let second: Simulator;
let core: Core;
let dir: string;
let questions: TrustQuestion[];
let answer: boolean | 'absent';

type Ok<T> = { ok: true; value: T };
type Err = { ok: false; error: { kind: string; message: string; action: string } };
const call = <T = { profile: Profile }>(channel: string, request: unknown) => core.dispatch(channel, request) as Promise<Ok<T> | Err>;
const value = <T>(r: Ok<T> | Err): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.value;
};
const kindOf = (r: { ok: boolean; error?: { kind: string } }) => (r.ok ? 'ok' : r.error!.kind);

/** Every place a key could appear in a request the server received: headers and path. */
const received = (sim: Simulator) => sim.requestLog.map((r) => `${r.rawPath} ${JSON.stringify(r.headers)}`).join('\n');

async function makeCore(ports: Partial<ShellPorts> = {}) {
  core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-bind-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    ports: testPorts({
      ...(answer === 'absent'
        ? {}
        : {
            confirmTrustChange: async (q: TrustQuestion) => {
              questions.push(q);
              return answer === true;
            },
          }),
      ...ports,
    }),
  });
  await core.dispatch('gaia:keychain.useSessionOnly', {});
}

beforeEach(async () => {
  [first, second] = await Promise.all([startSimulator(), startSimulator()]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-bind-'));
  questions = [];
  answer = true;
  await makeCore();
});

afterEach(async () => {
  await core?.close();
  await Promise.all([first?.stop(), second?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function connectFirst(extra: Record<string, unknown> = {}): Promise<Profile> {
  return value(await call('gaia:profiles.connect', { name: 'First', baseUrl: first.baseUrl, apiKey: first.demoKey, caPem: first.caPem, ...extra })).profile;
}

describe('moving a connection or loosening its trust needs the key typed again', () => {
  it('a new host is refused without the key, and the stored key reaches nothing there', async () => {
    const p = await connectFirst();
    const moved = await call('gaia:profiles.update', { id: p.id, baseUrl: second.baseUrl, caPem: second.caPem });
    expect(kindOf(moved)).toBe('key-required');
    expect((moved as Err).error.message).toMatch(/different server/);
    expect(second.requestLog).toEqual([]);
    expect(value(await call<{ profiles: Profile[] }>('gaia:profiles.list', {})).profiles[0]).toMatchObject({ baseUrl: first.baseUrl });
  });

  it('with the key typed again, the move is checked there with that key only, and saved with it', async () => {
    const p = await connectFirst();
    const moved = value(await call('gaia:profiles.update', { id: p.id, baseUrl: second.baseUrl, caPem: second.caPem, apiKey: second.demoKey }));
    expect(moved.profile.baseUrl).toBe(second.baseUrl);
    expect(received(second)).toContain(second.demoKey);
    expect(received(second)).not.toContain(first.demoKey);
    // The typed key is the connection's key from now on.
    value(await call('gaia:datasets.list', { requestId: 'req-after-move', refresh: true }));
    expect(received(second)).not.toContain(first.demoKey);
  });

  it('a moved connection is no longer open to local assistants until allowed again; a rename keeps it', async () => {
    const p = await connectFirst();
    const other = await connectFirst({ name: 'Other' });
    value(await call('gaia:settings.update', { localAssistants: [p.id, other.id] }));
    value(await call('gaia:profiles.update', { id: p.id, name: 'Renamed' }));
    expect(value(await call<{ localAssistants: string[] }>('gaia:settings.get', {})).localAssistants).toEqual([p.id, other.id]);
    value(await call('gaia:profiles.update', { id: p.id, baseUrl: second.baseUrl, caPem: second.caPem, apiKey: second.demoKey }));
    expect(value(await call<{ localAssistants: string[] }>('gaia:settings.get', {})).localAssistants).toEqual([other.id]);
  });

  it('a wrong key typed for the new host is refused there, and nothing changes', async () => {
    const p = await connectFirst();
    const moved = await call('gaia:profiles.update', { id: p.id, baseUrl: second.baseUrl, caPem: second.caPem, apiKey: 'not-the-right-key-1234' });
    expect(kindOf(moved)).toBe('unauthorized');
    expect(value(await call<{ profiles: Profile[] }>('gaia:profiles.list', {})).profiles[0]).toMatchObject({ baseUrl: first.baseUrl });
    // Nor can a key typed with a change that moves nothing replace the stored one unchecked.
    expect(kindOf(await call('gaia:profiles.update', { id: p.id, name: 'Renamed', apiKey: 'not-the-right-key-1234' }))).toBe('unauthorized');
    // The old key still works where it was entered.
    value(await call('gaia:datasets.list', { requestId: 'req-still-works', refresh: true }));
  });

  it('a changed host drops the CA, the pin and "don’t verify" that came with the old one', async () => {
    const top = new X509Certificate(first.intermediatePem);
    const p = await connectFirst({ caPem: first.intermediatePem, trustedFingerprint: top.fingerprint256 });
    // With the key typed, the move is checked like a new connection: without a CA for the second host, it fails there.
    const moved = await call('gaia:profiles.update', { id: p.id, baseUrl: second.baseUrl, apiKey: second.demoKey });
    expect(kindOf(moved)).toBe('tls-unknown-ca');
    expect(received(second)).not.toContain(first.demoKey);
  });

  it('checks off, moved to a new host, is checked with verification on', async () => {
    const p = value(await call('gaia:profiles.connect', { name: 'Lab', baseUrl: first.baseUrl, apiKey: first.demoKey, verifyTls: false })).profile;
    const moved = await call('gaia:profiles.update', { id: p.id, baseUrl: second.baseUrl, apiKey: second.demoKey });
    expect(kindOf(moved)).toBe('tls-unknown-ca');
    expect(value(await call<{ profiles: Profile[] }>('gaia:profiles.list', {})).profiles[0]).toMatchObject({ baseUrl: first.baseUrl, verifyTls: false });
  });

  for (const [what, patch] of [
    ['certificate checks off', { verifyTls: false }],
    ['a new CA', { caPem: 'SECOND_CA' }],
    ['a new pin', { trustedFingerprint: 'AA:BB' }],
    ['a new proxy', { proxyUrl: 'http://127.0.0.1:9' }],
  ] as Array<[string, Record<string, unknown>]>) {
    it(`${what}: refused without the key; with it, asked outside the page`, async () => {
      const p = await connectFirst();
      const live = patch.caPem === undefined ? patch : { caPem: second.caPem };
      const before = first.requestLog.length;
      expect(kindOf(await call('gaia:profiles.update', { id: p.id, ...live }))).toBe('key-required');
      expect(first.requestLog.length, 'nothing was sent to check it').toBe(before);
      expect(questions).toEqual([]);
      answer = false;
      expect(kindOf(await call('gaia:profiles.update', { id: p.id, ...live, apiKey: first.demoKey }))).toBe('aborted');
      expect(questions).toHaveLength(1);
      expect(questions[0].origin).toBe(first.origin);
      expect(first.requestLog.length, 'a refused change sends nothing').toBe(before);
    });
  }

  it('the question names the connection as it was, not a name sent with the change', async () => {
    const p = await connectFirst();
    answer = false;
    expect(kindOf(await call('gaia:profiles.update', { id: p.id, name: 'Routine maintenance by Cohesity', verifyTls: false, apiKey: first.demoKey }))).toBe('aborted');
    expect(questions).toHaveLength(1);
    expect(questions[0].profileName).toBe(p.name);
  });

  it('a shell without the native question refuses every loosening', async () => {
    await core.close();
    answer = 'absent';
    await makeCore();
    const p = await connectFirst();
    expect(kindOf(await call('gaia:profiles.update', { id: p.id, verifyTls: false, apiKey: first.demoKey }))).toBe('aborted');
  });

  it('tightening needs no key: checks back on, proxy removed; and is checked with the stored key', async () => {
    const p = value(await call('gaia:profiles.connect', { name: 'Lab', baseUrl: first.baseUrl, apiKey: first.demoKey, caPem: first.caPem, verifyTls: false })).profile;
    const on = value(await call('gaia:profiles.update', { id: p.id, verifyTls: true }));
    expect(on.profile.verifyTls).toBe(true);
    expect(questions).toEqual([]);
    // The key followed the tightened settings: it is still used.
    value(await call('gaia:datasets.list', { requestId: 'req-tightened', refresh: true }));
    // Re-checking unchanged settings (the card's "Check") needs no key either.
    value(await call('gaia:profiles.update', { id: p.id, verifyTls: true }));
  });

  it('a connection whose key was forgotten still cannot be moved without a key', async () => {
    const p = await connectFirst();
    value(await call('gaia:profiles.forgetKey', { id: p.id }));
    expect(kindOf(await call('gaia:profiles.update', { id: p.id, baseUrl: second.baseUrl, caPem: second.caPem }))).toBe('key-required');
    expect(second.requestLog).toEqual([]);
  });

  it('a key whose recorded binding does not match the profile on disk is not sent', async () => {
    const p = await connectFirst();
    await core.close();
    // Someone changes the file behind the app's back: the key stays bound to the first server.
    const file = path.join(dir, 'profiles.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.data.profiles[0].baseUrl = second.baseUrl;
    doc.data.profiles[0].caPem = second.caPem;
    doc.data.profiles[0].keyStorage = 'keychain';
    writeFileSync(file, JSON.stringify(doc));
    await makeCore();
    // Session-only keys are gone after a restart; put the key back the way the keychain would hold it.
    await core.services.keychain.set(p.id, first.demoKey);
    expect(kindOf(await call('gaia:datasets.list', { requestId: 'req-tampered', refresh: true }))).toBe('key-required');
    expect(second.requestLog).toEqual([]);
  });
});

describe('keys behind handles belong to the origin and trust they came from', () => {
  it('listed keys are not sent to the new host after a move (they travel in the URL path)', async () => {
    const p = await connectFirst();
    const { keys } = value(await call<{ keys: Array<{ handle: string }> }>('gaia:keys.list', {}));
    expect(keys.length).toBeGreaterThan(0);
    value(await call('gaia:profiles.update', { id: p.id, baseUrl: second.baseUrl, caPem: second.caPem, apiKey: second.demoKey }));
    for (const k of keys) expect(kindOf(await call('gaia:keys.update', { handle: k.handle, permissions: 'read' }))).toBe('not-found');
    const everyFirstKey = first.keys().map((k) => k.apiKey);
    for (const key of everyFirstKey) expect(received(second)).not.toContain(key);
  });

  it('a created key is stored only into a profile on the same origin and trust', async () => {
    const p = await connectFirst();
    const created = value(await call<{ handle: string }>('gaia:keys.create', { permissions: 'read' }));
    const createdKey = first.keys().map((k) => k.apiKey).find((k) => k !== first.demoKey && k !== first.readKey)!;
    const other = value(await call('gaia:profiles.connect', { name: 'Second', baseUrl: second.baseUrl, apiKey: second.demoKey, caPem: second.caPem })).profile;
    expect(kindOf(await call('gaia:keys.useForProfile', { handle: created.handle, profileId: other.id }))).toBe('invalid-request');
    // Same host, but through a proxy: not the same trust.
    const proxied = value(await call('gaia:profiles.connect', { name: 'Same host, other trust', baseUrl: first.baseUrl, apiKey: first.demoKey, caPem: first.caPem, verifyTls: false })).profile;
    expect(kindOf(await call('gaia:keys.useForProfile', { handle: created.handle, profileId: proxied.id }))).toBe('invalid-request');
    expect(received(second)).not.toContain(createdKey);
    // Where it came from, it is accepted.
    value(await call('gaia:keys.useForProfile', { handle: created.handle, profileId: p.id }));
  });
});
