/**
 * The built command line (`out/main/cli.js`) as a user runs it, in its own Node process,
 * over a data dir with a connection to the simulator whose key is in a real (throwaway)
 * keychain — set up with the real core, exactly as the Connect form does it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../main/core/core';
import type { Simulator } from '../gaia-sim';
import { testService } from './keyring-session';
import { testPorts } from './ports';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI_ENTRY = path.join(ROOT, 'out/main/cli.js');

export interface CliHome {
  dataDir: string;
  keychainService: string;
  profileId: string;
  /** The arguments that point the command line at this home. */
  args: string[];
  /** A core over the same data, as the app would run it (the caller closes it). */
  openCore(): Promise<Core>;
}

const ports = testPorts({ shell: 'preview' });

export function requireBuiltCli(): void {
  if (!existsSync(CLI_ENTRY)) throw new Error('out/main/cli.js is missing: run `npm run build` first');
}

/** A data dir with one connection, "Sim", to the simulator, its key in the keychain. */
export async function connectedHome(sim: Simulator, name = 'Sim'): Promise<CliHome> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-cli-'));
  const keychainService = testService();
  const openCore = () => createCore({ dataDir, keychainService, appName: 'Gaia Desktop', version: 'test', ports });
  const core = await openCore();
  try {
    const connected = await core.dispatch('gaia:profiles.connect', { name, baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
    if (!connected.ok) throw new Error(`could not connect to the simulator: ${connected.error.message}`);
    const profileId = (connected.value as { profile: { id: string } }).profile.id;
    return { dataDir, keychainService, profileId, args: ['--data-dir', dataDir, '--keychain-service', keychainService], openCore };
  } finally {
    await core.close();
  }
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout holds this. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<CliRun>;
}

export function startCli(home: CliHome, args: string[], env: NodeJS.ProcessEnv = process.env): RunningCli {
  const child = spawn(process.execPath, [CLI_ENTRY, ...home.args, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<CliRun>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${stdout}\nstderr: ${stderr}`)), timeoutMs);
        const check = () => {
          if (!pattern.test(stdout)) return;
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve();
        };
        child.stdout!.on('data', check);
        check();
      }),
    exited,
  };
}

export const runCli = (home: CliHome, args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun> => startCli(home, args, env).exited;

/** Every file the app wrote in its data dir (profiles, history, caches, logs, activity), as text. */
export function dataDirText(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, name.name);
      if (name.isDirectory()) walk(full);
      else out.push(`${full}\n${readFileSync(full, 'utf8')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

/** The environment of a process and of everything it spawned (Linux /proc), for leak checks. */
export function environmentsOf(pid: number): Array<{ pid: number; env: string }> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: Array<{ pid: number; env: string }> = [];
  const visit = (p: number) => {
    try {
      found.push({ pid: p, env: readFileSync(`/proc/${p}/environ`, 'utf8') });
    } catch {
      // gone meanwhile
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return found;
}
