/**
 * Helpers for the Gaia tests: a log that keeps both what the client handed it and what
 * it wrote (so tests can prove a key appears in neither), a clock that records waits
 * instead of sleeping, a client factory pointed at a simulator, and a test file's simulator
 * with its client (useSimClient).
 */
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { createLog, type Log } from '../../main/core/platform/log';
import { createGaiaClient, type ConnectionSettings, type ClientDeps, type GaiaClient } from '../../main/core/gaia/client';
import type { Clock } from '../../main/core/gaia/retry';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type SimOptions, type Simulator } from '../gaia-sim/server';

export interface CapturingLog extends Log {
  /** Every message and detail exactly as the client passed them, before redaction. */
  raw: string[];
  /** The log file's text, as written. */
  written(): string;
  dispose(): void;
}

export function capturingLog(): CapturingLog {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-log-'));
  const inner = createLog({ dir });
  const raw: string[] = [];
  const keep = (m: string, d?: unknown) => raw.push(`${m} ${d === undefined ? '' : typeof d === 'string' ? d : inspect(d, { depth: 6 })}`);
  return {
    raw,
    file: inner.file,
    info: (m, d) => (keep(m, d), inner.info(m, d)),
    warn: (m, d) => (keep(m, d), inner.warn(m, d)),
    error: (m, d) => (keep(m, d), inner.error(m, d)),
    addSecret: (s) => inner.addSecret(s),
    redact: (t) => inner.redact(t),
    recent: (n) => inner.recent(n),
    written: () => (inner.file && existsSync(inner.file) ? readFileSync(inner.file, 'utf8') : ''),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A clock whose sleeps return at once but advance its time, and are recorded. */
export function recordingClock(): Clock & { waits: number[] } {
  let now = Date.now();
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      waits.push(ms);
      now += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
}

export function simSettings(sim: Simulator, extra: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return { baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem, verifyTls: true, ...extra };
}

export function simClient(sim: Simulator, log: Log, extra: Partial<ConnectionSettings> = {}, deps: Partial<ClientDeps> = {}): GaiaClient {
  return createGaiaClient(simSettings(sim, extra), { log, env: {}, retry: { clock: recordingClock(), random: () => 0.5 }, ...deps });
}

/**
 * A simulator, a capturing log and a client of that simulator for the tests of one file:
 * started before them, closed after them. Read its fields inside the tests (they are set
 * once the file's tests start).
 */
export function useSimClient(sim: SimOptions = {}, extra: Partial<ConnectionSettings> = {}): { readonly sim: Simulator; readonly log: CapturingLog; readonly client: GaiaClient } {
  const live = {} as { sim: Simulator; log: CapturingLog; client: GaiaClient };
  beforeAll(async () => {
    live.sim = await startSimulator(sim);
    live.log = capturingLog();
    live.client = simClient(live.sim, live.log, extra);
  });
  afterAll(async () => {
    await live.client?.close();
    await live.sim?.stop();
    live.log?.dispose();
  });
  return live;
}

/** Every way an error could be shown, logged or sent: for "the key is in none of them" checks. */
export function everyRendering(err: unknown): string {
  const e = err as { info?: unknown; stack?: string; message?: string };
  return [
    String(err),
    e?.message ?? '',
    e?.stack ?? '',
    JSON.stringify(err),
    JSON.stringify(e?.info ?? null),
    inspect(err, { depth: Infinity, showHidden: true }),
  ].join('\n');
}

/** The key, or any 8-character piece of it (what the log's redaction also refuses). */
export function containsSecret(text: string, secret: string): boolean {
  if (text.includes(secret)) return true;
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
  return false;
}

export async function caught(p: Promise<unknown>): Promise<Error & { info: import('../../preload/contract').AppErrorInfo }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { info: import('../../preload/contract').AppErrorInfo };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
