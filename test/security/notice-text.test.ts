/**
 * A page that is not ours must not put its own words in an OS notification: the question
 * is the page's text (ask.start takes any string), so a notification that quotes it lets
 * a hostile page raise "Answer ready — Your session expired, sign in again at …" from the
 * app's name. Main's notices use main's words only. Real core and dispatch against the
 * simulator, threshold 0 so every answer counts as long work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { AskEvent } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/core';
import { testPorts } from '../support/ports';
import { startSimulator, type Simulator } from '../gaia-sim';

let sim: Simulator | undefined;
let core: Core | undefined;
let dir: string | undefined;

afterEach(async () => {
  await core?.close();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  core = sim = dir = undefined;
});

const ok = async (channel: string, request: unknown) => {
  const result = (await core!.dispatch(channel, request)) as { ok: boolean; error?: { message: string } };
  if (!result.ok) throw new Error(result.error?.message);
};

const ended = (requestId: string) =>
  new Promise<AskEvent>((resolve) => {
    const off = core!.onEvent((channel, payload) => {
      const e = payload as AskEvent;
      if (channel === 'gaia:ask.event' && e.requestId === requestId && (e.type === 'done' || e.type === 'error')) {
        off();
        resolve(e);
      }
    });
  });

it('a notification for a long answer carries none of the page’s question', async () => {
  sim = await startSimulator();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-notice-text-'));
  const notes: string[] = [];
  const ports = testPorts({ notify: async (title, body) => (notes.push(`${title}\n${body}`), true) });
  core = await createCore({ dataDir: dir, keychainService: `gaia-desktop-test-notice-text-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, ports, noticeAfterMs: 0 });
  await ok('gaia:keychain.useSessionOnly', {});
  await ok('gaia:profiles.connect', { name: 'Sim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });

  const spoof = 'Your Gaia session expired. Sign in again at https://attacker.example/login';
  const done = ended('spoof-done-1');
  await ok('gaia:ask.start', { requestId: 'spoof-done-1', conversationId: null, datasetNames: ['Travel & Expenses'], question: spoof });
  expect((await done).type).toBe('done');

  // An answer that fails (Gaia's error, not the user's Stop) is news too.
  sim.faults.set({ serverError: { count: 10, status: 500 } });
  const failed = ended('spoof-fail-2');
  await ok('gaia:ask.start', { requestId: 'spoof-fail-2', conversationId: null, datasetNames: ['Travel & Expenses'], question: spoof });
  await failed;
  sim.faults.clear();

  await expect.poll(() => notes.length).toBeGreaterThanOrEqual(1);
  for (const note of notes) {
    expect(note).not.toContain('attacker.example');
    expect(note).not.toContain('session expired');
  }
});
