/**
 * Starts the built preview (`out/main/preview.js`) as its own Node process with a fresh
 * data dir and a private keychain namespace, and hands back its URL — exactly what a
 * user runs, minus the fixed port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const PREVIEW_ENTRY = path.join(ROOT, 'out/main/preview.js');

export interface PreviewProcess {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  keychainService: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startPreview(options: { dataDir?: string; keychainService?: string; env?: NodeJS.ProcessEnv } = {}): Promise<PreviewProcess> {
  if (!existsSync(PREVIEW_ENTRY)) throw new Error('out/main/preview.js is missing: run `npm run build` first');
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'gaia-e2e-'));
  const keychainService = options.keychainService ?? `gaia-desktop-test-${randomBytes(6).toString('hex')}`;
  const child: ChildProcess = spawn(process.execPath, [PREVIEW_ENTRY, '--port', '0', '--data-dir', dataDir, '--keychain-service', keychainService], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`preview did not start:\n${output}`)), 20_000);
    const check = () => {
      const m = /Open: (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`preview exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: /token=([^&]+)/.exec(parsed.hash)![1],
    dataDir,
    keychainService,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
