/**
 * Nothing lost, nothing silent:
 *   - a full disk while an answer streams: the answer stays in memory, says "not saved",
 *     and is written when the disk takes it again (it is there after a restart);
 *   - a settings file that was reset is reported to the user, and the log names the
 *     file it was set aside as;
 *   - a profile deleted while its keychain entry cannot be removed: the answer says the
 *     entry is left behind and how to remove it.
 * The disk is made "full" by failing the one atomic-write function every store uses
 * (ENOSPC), so the stores themselves run unchanged.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AskEvent, Turn } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/core';
import { appError } from '../../main/core/errors';
import { startSimulator, type Simulator } from '../gaia-sim';
import { testPorts } from '../support/ports';

const disk = vi.hoisted(() => ({ full: false }));
vi.mock('write-file-atomic', async (importOriginal) => {
  const real = (await importOriginal<{ default: (...args: unknown[]) => Promise<void> }>()).default;
  return {
    default: async (...args: unknown[]) => {
      if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return real(...args);
    },
  };
});

let sim: Simulator;
let core: Core;
let dir: string;
let events: AskEvent[];

const ports = testPorts({ shell: 'preview' });

async function start() {
  core = await createCore({ dataDir: dir, keychainService: `gaia-desktop-test-lost-${process.pid}`, appName: 'Gaia Desktop', version: '0.0.0-test', env: {}, ports });
  events = [];
  core.onEvent((channel, payload) => {
    if (channel === 'gaia:ask.event') events.push(payload as AskEvent);
  });
  await core.dispatch('gaia:keychain.useSessionOnly', {});
}

const ok = async <T>(channel: string, request: unknown): Promise<T> => {
  const r = (await core.dispatch(channel, request)) as { ok: boolean; value?: T; error?: { kind: string; message: string } };
  if (!r.ok) throw new Error(`${channel}: ${r.error?.kind} ${r.error?.message}`);
  return r.value as T;
};

async function until<T>(get: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(async () => {
  disk.full = false;
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-lost-'));
  await start();
});
afterEach(async () => {
  disk.full = false;
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a full disk while an answer streams', () => {
  it('keeps the answer, marks it "not saved", and saves it when writing works again', async () => {
    await ok('gaia:profiles.connect', { name: 'Sim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
    disk.full = true;
    const requestId = 'req-disk-full-1';
    const { conversationId, turnId } = await ok<{ conversationId: string; turnId: string }>('gaia:ask.start', {
      requestId,
      conversationId: null,
      datasetNames: ['Travel & Expenses'],
      question: 'What is the hotel limit per night in Europe?',
    });
    const final = await until(() => events.find((e) => e.requestId === requestId && (e.type === 'done' || e.type === 'error')));
    const sent = (final as { turn: Turn; streamedChars?: number });
    // The final event leaves out the text its deltas brought.
    const streamed = events.flatMap((e) => (e.requestId === requestId && e.type === 'delta' ? [e.text] : [])).join('');
    const turn = sent.streamedChars === undefined ? sent.turn : { ...sent.turn, answer: streamed };
    expect(turn.answer).toMatch(/180 EUR/);
    expect(turn.notSaved, 'the answer says it is not saved').toBe(true);
    // Still there, and still saying so, while the disk is full.
    const held = await ok<{ turns: Turn[] }>('gaia:history.get', { id: conversationId });
    expect(held.turns[0]).toMatchObject({ id: turnId, notSaved: true });
    expect(held.turns[0].answer).toMatch(/180 EUR/);

    disk.full = false;
    // The store tries again by itself.
    const file = path.join(dir, 'history', (await ok<{ activeId: string }>('gaia:profiles.list', {})).activeId, `${conversationId}.json`);
    const saved = await until(() => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')).data as { turns: Turn[] };
      } catch {
        return undefined;
      }
    });
    expect(saved.turns[0].answer).toMatch(/180 EUR/);
    expect(saved.turns[0].status).toBe('complete');
    expect('notSaved' in saved.turns[0], 'a file never holds the flag').toBe(false);
    // The flag clears when the write resolves, a moment after the file lands (the temp file is removed in between).
    await until(async () => (await ok<{ turns: Turn[] }>('gaia:history.get', { id: conversationId })).turns[0].notSaved === undefined);

    // And after a restart it is still there.
    await core.close();
    await start();
    await ok('gaia:keychain.useSessionOnly', {});
    const again = await ok<{ turns: Turn[] }>('gaia:history.get', { id: conversationId });
    expect(again.turns[0].answer).toMatch(/180 EUR/);
  }, 60_000);
});

describe('files and keychain entries that could not be kept', () => {
  it('a reset settings file is reported to the user, and the log names the file it was set aside as', async () => {
    await core.close();
    writeFileSync(path.join(dir, 'settings.json'), '{"version":1,"data":{"theme":');
    await start();
    const info = await ok<{ problems: Array<{ movedTo: string | null; message: string }> }>('gaia:app.info', {});
    expect(info.problems).toHaveLength(1);
    const movedTo = path.basename(info.problems[0].movedTo!);
    expect(movedTo).toMatch(/^settings\.json\.corrupt-/);
    expect(readdirSync(dir)).toContain(movedTo);
    expect(info.problems[0].message).toContain(movedTo);
    const log = readFileSync(path.join(dir, 'logs', 'main.log'), 'utf8');
    expect(log, 'the set-aside name survives redaction').toContain(movedTo);
  });

  it('a profile deleted while its keychain entry cannot be removed says the entry is left and how to remove it', async () => {
    const { profile } = await ok<{ profile: { id: string } }>('gaia:profiles.connect', { name: 'Sim', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
    core.services.keychain.delete = async () => {
      throw appError('keychain-failed', 'The keychain refused.', 'Try again.');
    };
    const result = await ok<{ deleted: boolean; keyLeftBehind: string | null }>('gaia:profiles.delete', { id: profile.id });
    expect(result.deleted).toBe(true);
    expect(result.keyLeftBehind).toMatch(/could not be removed from the system keychain/);
    expect(result.keyLeftBehind).toContain(profile.id);
    expect(result.keyLeftBehind).toContain('gaia-desktop-test-lost-');
    expect(result.keyLeftBehind).not.toContain(sim.demoKey);
  });
});
