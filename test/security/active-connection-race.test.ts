/**
 * The page races connection edits against dataset lists and questions in flight.
 *
 * datasets.list answers the active connection without waiting when the store is idle and
 * a client is cached for exactly where the profile is (activeNow). A hostile page fires
 * many lists and questions at once while it switches the active connection, tries to move
 * the victim's profile (origin, proxy, weaker trust) without a key, renames it, replaces
 * its key, moves it with its own key and deletes it: whichever answer each call got, the
 * attacker's servers (plain, TLS and proxy) must never see a key the victim's Gaia made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { startSimulator, type Simulator } from '../gaia-sim';
import { startAttacker, type Attacker } from '../support/attacker';
import { testPorts } from '../support/ports';
import { looseCalls, type Answer } from '../support/dispatch';

const ATTACKER_KEY = 'attacker-typed-key-0123456789';
const TRAVEL = { datasetNames: ['Travel & Expenses'], question: 'What is the hotel limit per night in Europe?' };

let attacker: Attacker;
let sim: Simulator;
let core: Core;
let dir: string;

beforeAll(async () => {
  attacker = await startAttacker();
  sim = await startSimulator();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-active-race-'));
  core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-active-race-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    // The user would say yes to anything: only the key rules stand between the page and the key.
    ports: testPorts({ confirmTrustChange: async () => true }),
  });
});
afterAll(async () => {
  await core?.close();
  await sim?.stop();
  await attacker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const { call, ok } = looseCalls(() => core);

let n = 0;
const rid = () => `race-${String(++n).padStart(6, '0')}`;

function victimKeys(): string[] {
  return sim.keys().map((k) => k.apiKey);
}

function expectNoVictimKey() {
  const seen = attacker.seen();
  for (const k of victimKeys()) expect(seen).not.toContain(k);
  for (const r of attacker.requests) {
    const sent = [r.headers.apikey, r.headers.authorization].flat().filter(Boolean);
    for (const v of sent) expect(v).toBe(ATTACKER_KEY);
  }
}

describe('connection edits racing lists and questions in flight', () => {
  it('never sends a victim key to the attacker, whatever lands in between', async () => {
    await ok('gaia:keychain.useSessionOnly', {});
    const victim: string = (await ok('gaia:profiles.connect', { name: 'Victim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem })).profile.id;
    const evil: string = (await ok('gaia:profiles.connect', { name: 'Evil', baseUrl: attacker.httpBaseUrl, apiKey: ATTACKER_KEY })).profile.id;
    const readKey = sim.keys().find((k) => k.permissions === 'read')!.apiKey;
    await ok('gaia:profiles.activate', { id: victim });
    // A client cached for the victim: the fast path is live from the first list.
    await call('gaia:datasets.list', { requestId: rid(), refresh: true });

    const traffic = () => [
      ...Array.from({ length: 12 }, () => call('gaia:datasets.list', { requestId: rid(), refresh: true })),
      ...Array.from({ length: 3 }, () => call('gaia:ask.start', { requestId: rid(), conversationId: null, ...TRAVEL })),
    ];
    const edits: Array<() => Promise<Answer>> = [
      () => call('gaia:profiles.update', { id: victim, baseUrl: attacker.httpBaseUrl }),
      () => call('gaia:profiles.update', { id: victim, proxyUrl: attacker.proxyUrl }),
      () => call('gaia:profiles.update', { id: victim, verifyTls: false }),
      () => call('gaia:profiles.update', { id: victim, caPem: null }),
      () => call('gaia:profiles.update', { id: victim, name: `Victim ${n}` }),
      () => call('gaia:profiles.activate', { id: evil }),
      () => call('gaia:profiles.activate', { id: victim }),
      () => call('gaia:profiles.replaceKey', { id: victim, apiKey: readKey }),
      () => call('gaia:profiles.replaceKey', { id: victim, apiKey: sim.demoKey }),
    ];
    for (let round = 0; round < 6; round++) {
      sim.faults.set({ latencyMs: round % 2 ? 40 : 0 });
      const inFlight: Array<Promise<unknown>> = [];
      for (const edit of edits) {
        inFlight.push(...traffic(), edit());
        await new Promise((r) => setImmediate(r));
      }
      const answers = await Promise.all(inFlight);
      expect(answers.length).toBeGreaterThan(0);
      expectNoVictimKey();
    }
    sim.faults.set({ latencyMs: 0 });

    // The page's own key moves the victim's profile, and then the profile goes, lists in flight.
    await ok('gaia:profiles.activate', { id: victim });
    const moving = [...traffic(), call('gaia:profiles.update', { id: victim, baseUrl: attacker.httpBaseUrl, apiKey: ATTACKER_KEY }), ...traffic()];
    await Promise.all(moving);
    const deleting = [...traffic(), call('gaia:profiles.delete', { id: victim }), ...traffic(), call('gaia:profiles.activate', { id: evil }), ...traffic()];
    await Promise.all(deleting);
    // Questions stream on after their calls answered: their requests are in by now.
    await new Promise((r) => setTimeout(r, 300));
    expectNoVictimKey();
    // The attacker did hear from the app (so the checks above looked at real requests).
    expect(attacker.requests.some((r) => r.headers.apikey === ATTACKER_KEY)).toBe(true);
  }, 120_000);
});
