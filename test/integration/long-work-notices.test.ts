/**
 * Notifications for long work are main's: the core tells the shell's notify port when an
 * answer or a fresh dataset list ends after the threshold, in its own words, and the page
 * has no channel to raise one. Real core and dispatch against the simulator; the
 * threshold is the one option that differs between the cores below.
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

type Ok<T> = { ok: true; value: T };
async function call<T>(channel: string, request: unknown): Promise<T> {
  const result = (await core!.dispatch(channel, request)) as Ok<T> | { ok: false; error: { message: string } };
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function connectedCore(noticeAfterMs: number): Promise<[string, string][]> {
  sim = await startSimulator();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-notice-'));
  const notes: [string, string][] = [];
  const ports = testPorts({ notify: async (title, body) => (notes.push([title, body]), true) });
  core = await createCore({ dataDir: dir, keychainService: `gaia-desktop-test-notice-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, ports, noticeAfterMs });
  await call('gaia:keychain.useSessionOnly', {});
  await call('gaia:profiles.connect', { name: 'Sim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
  return notes;
}

function finalEvent(requestId: string): Promise<AskEvent> {
  return new Promise((resolve) => {
    const off = core!.onEvent((channel, payload) => {
      const event = payload as AskEvent;
      if (channel !== 'gaia:ask.event' || event.requestId !== requestId) return;
      if (event.type !== 'done' && event.type !== 'error') return;
      off();
      resolve(event);
    });
  });
}

async function askAndWait(question: string, requestId: string, then?: () => Promise<unknown>): Promise<AskEvent> {
  const ended = finalEvent(requestId);
  await call('gaia:ask.start', { requestId, conversationId: null, datasetNames: ['Travel & Expenses'], question });
  await then?.();
  return ended;
}

afterEach(async () => {
  await core?.close();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  core = sim = dir = undefined;
});

it('the page has no channel to raise a notification with its own text', async () => {
  await connectedCore(0);
  const result = await core!.dispatch('gaia:app.notify', { title: 'Your session expired', body: 'Sign in again at https://attacker.example' });
  expect(result.ok).toBe(false);
});

it('a long answer and a long fresh list end with main’s notification; a stopped answer and a cached list do not', async () => {
  const notes = await connectedCore(0);
  const question = `What is the per diem for Berlin? ${'Spell out every rate and every exception. '.repeat(6)}`;
  expect((await askAndWait(question, 'notice-1')).type).toBe('done');
  await expect.poll(() => notes.length).toBe(1);
  const [title, body] = notes[0];
  expect(title).toBe('Answer ready');
  // Main's words, not the question (the page's text: test/security/notice-text.test.ts).
  expect(body).toBe('Your answer is ready in Gaia Desktop.');

  sim!.faults.set({ streamPace: { msPerWord: 20 } });
  const stopped = await askAndWait('When must expense reports be submitted?', 'notice-2', () => call('gaia:ask.cancel', { requestId: 'notice-2' }));
  expect(stopped.type).toBe('error');
  sim!.faults.clear();

  const fresh = await call<{ source: string; datasets: unknown[] }>('gaia:datasets.list', { requestId: 'notice-3', refresh: true });
  expect(fresh.source).toBe('network');
  await call('gaia:datasets.list', { requestId: 'notice-4' });
  await new Promise((r) => setTimeout(r, 100));
  expect(notes).toEqual([
    ['Answer ready', body],
    ['Datasets loaded', `${fresh.datasets.length} datasets are ready to search.`],
  ]);
});

it('work that ends before the threshold shows nothing', async () => {
  const notes = await connectedCore(60_000);
  expect((await askAndWait('What is the per diem for Berlin?', 'quick-ask-1')).type).toBe('done');
  await call('gaia:datasets.list', { requestId: 'quick-list-2', refresh: true });
  await new Promise((r) => setTimeout(r, 100));
  expect(notes).toEqual([]);
});
