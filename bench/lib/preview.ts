/**
 * The built preview (`node out/main/preview.js`, from the bench's own build folder) as
 * its own process — exactly what a user runs — with a fresh data dir and a throwaway
 * keychain namespace; and calls to its core the way the renderer makes them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Profile } from '../../preload/contract';
import { keychainService } from './core';
import { PREVIEW_ENTRY, RENDERER_DIR } from './paths';
import { clockNow } from './stats';

export interface PreviewProcess {
  url: string;
  origin: string;
  token: string;
  pid: number;
  /** Wall clock when the process was spawned, and when it printed its address. */
  spawnedAt: number;
  listeningAt: number;
  call(channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: { kind: string; message: string } }>;
  connect(sim: { baseUrl: string; demoKey: string; caPem: string }): Promise<Profile>;
  stop(): Promise<void>;
}

export async function startPreview(): Promise<PreviewProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-bench-preview-'));
  const spawnedAt = clockNow();
  // e.g. GAIA_BENCH_PREVIEW_NODE_ARGS='--cpu-prof --cpu-prof-dir=out/prof': a profile of the core as the bench drives it.
  const nodeArgs = process.env.GAIA_BENCH_PREVIEW_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, PREVIEW_ENTRY, '--port', '0', '--data-dir', dataDir, '--keychain-service', keychainService(), '--renderer-dir', RENDERER_DIR], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const { url, listeningAt } = await new Promise<{ url: string; listeningAt: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the preview did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (d) => {
      output += d;
      const m = /Open: (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], listeningAt: clockNow() });
      }
    });
    child.once('exit', (code) => reject(new Error(`the preview exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  const origin = parsed.origin;
  const token = /token=([^&]+)/.exec(parsed.hash)![1];
  const call: PreviewProcess['call'] = async (channel, request) => {
    const res = await fetch(`${origin}/__gaia/call`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-gaia-token': token, Origin: origin },
      body: JSON.stringify({ channel, request }),
    });
    return (await res.json()) as Awaited<ReturnType<PreviewProcess['call']>>;
  };
  return {
    url,
    origin,
    token,
    pid: child.pid!,
    spawnedAt,
    listeningAt,
    call,
    async connect(sim) {
      const r = await call('gaia:profiles.connect', { name: 'Bench (simulator)', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
      if (!r.ok) throw new Error(`connect failed: ${JSON.stringify(r.error)}`);
      return (r.value as { profile: Profile }).profile;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
