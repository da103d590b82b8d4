/**
 * The key stays in the keychain when scripts and assistants use Gaia through Gaia
 * Desktop: after real CLI commands and a real MCP session against the simulator, the
 * key (or any 8-character piece of it) is in no CLI output, no MCP message either way,
 * no line the MCP server wrote on stderr, no file in the data dir (logs, history,
 * caches, the activity log), and no environment — neither of the CLI and MCP processes
 * nor of anything they spawned (read from /proc while they run), nor of this process
 * after running the command line in it.
 */
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as runCliInProcess } from '../../main/cli/program';
import { startSimulator, type Simulator } from '../gaia-sim';
import { containsSecret } from '../support/gaia';
import { CLI_ENTRY, connectedHome, dataDirText, environmentsOf, requireBuiltCli, runCli, startCli, type CliHome } from '../support/cli-process';
import { ambientOrPrivateKeyring, useBus } from '../support/keyring-session';

let sim: Simulator;
let home: CliHome;
let keyring: { address: string; stop(): Promise<void> };
let restoreBus: () => void;
/** Everything that left the processes, labelled by where it was seen. */
const seen: Array<{ where: string; text: string }> = [];

beforeAll(async () => {
  requireBuiltCli();
  keyring = await ambientOrPrivateKeyring();
  restoreBus = useBus(keyring.address);
  sim = await startSimulator({ datasets: 'demo' });
  home = await connectedHome(sim);
  const core = await home.openCore();
  await core.dispatch('gaia:settings.update', { localAssistants: [home.profileId] });
  await core.close();
});
afterAll(async () => {
  await sim?.stop();
  restoreBus?.();
  await keyring?.stop();
  if (home) rmSync(home.dataDir, { recursive: true, force: true });
});

const expectNoKey = () => {
  expect(seen.length).toBeGreaterThan(0);
  // The check itself finds a key where there is one (a piece of it, too).
  expect(containsSecret(`{"k":"${sim.demoKey.slice(2, 12)}"}`, sim.demoKey)).toBe(true);
  for (const { where, text } of seen) expect(containsSecret(text, sim.demoKey), `the key is in ${where}`).toBe(false);
};

describe('no key anywhere', () => {
  it('in the output of every CLI command, and in the environment of the CLI and its children', async () => {
    for (const args of [
      ['profiles'],
      ['profiles', '--json'],
      ['datasets', '--json'],
      ['ask', 'What is the travel policy for flights?', '--dataset', 'Travel & Expenses'],
      ['ask', 'What is the travel policy?', '--dataset', 'Travel & Expenses', '--json'],
      ['conversations', '--json'],
      ['datasets', '--profile', 'nope'],
    ]) {
      const run = await runCli(home, args);
      seen.push({ where: `stdout of ${args.join(' ')}`, text: run.stdout }, { where: `stderr of ${args.join(' ')}`, text: run.stderr });
    }
    const id = (JSON.parse((await runCli(home, ['conversations', '--json'])).stdout) as { conversations: Array<{ id: string }> }).conversations[0].id;
    const exported = await runCli(home, ['export', id]);
    seen.push({ where: 'export', text: exported.stdout + exported.stderr });

    // A slow answer, so the process (and anything it spawned) can be read while it holds the key.
    sim.faults.set({ streamDelayMs: 300 });
    try {
      const running = startCli(home, ['ask', 'What is the travel policy for flights?', '--dataset', 'Travel & Expenses']);
      await running.waitFor(/\S/);
      const environments = environmentsOf(running.child.pid!);
      expect(environments.length).toBeGreaterThan(0);
      for (const e of environments) seen.push({ where: `the environment of CLI process ${e.pid}`, text: e.env });
      running.child.kill('SIGINT');
      const run = await running.exited;
      seen.push({ where: 'stdout/stderr of a stopped ask', text: run.stdout + run.stderr });
    } finally {
      sim.faults.clear();
    }
    expectNoKey();
  }, 120_000); // ten CLI processes one after another: a busy 2-core machine needs more than the default

  it('in any MCP message either way, the server’s stderr, or its environment', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_ENTRY, ...home.args, 'mcp'], env: { ...process.env } as Record<string, string>, stderr: 'pipe' });
    transport.stderr?.on('data', (d) => seen.push({ where: 'the MCP server’s stderr', text: String(d) }));
    const client = new Client({ name: 'leak-test', version: '1.0.0' });
    // Every message both ways, from initialize on.
    const recording: Transport = {
      start: () => transport.start(),
      close: () => transport.close(),
      send: (message) => {
        seen.push({ where: 'a message to the MCP server', text: JSON.stringify(message) });
        return transport.send(message);
      },
    };
    transport.onmessage = (message) => {
      seen.push({ where: 'a message from the MCP server', text: JSON.stringify(message) });
      recording.onmessage?.(message);
    };
    transport.onclose = () => recording.onclose?.();
    transport.onerror = (err) => recording.onerror?.(err);
    await client.connect(recording);
    try {
      await client.listTools();
      for (const [name, args] of [
        ['list_connections', {}],
        ['list_datasets', {}],
        ['dataset_details', { dataset: 'Travel & Expenses' }],
        ['ask', { question: 'What is the travel policy for flights?', datasets: ['Travel & Expenses'] }],
        ['exhaustive_search', { dataset: 'Travel & Expenses', question: 'travel policy hotel expense days' }],
        ['dataset_details', { dataset: 'No Such Dataset' }],
      ] as const) {
        await client.callTool({ name, arguments: args });
      }
      for (const e of environmentsOf(transport.pid!)) seen.push({ where: `the environment of MCP process ${e.pid}`, text: e.env });
    } finally {
      await client.close();
    }
    expect(seen.some((s) => s.where === 'a message from the MCP server' && s.text.includes('"serverInfo"'))).toBe(true);
    expect(seen.some((s) => s.where === 'a message from the MCP server' && s.text.includes('corporate travel portal'))).toBe(true);
    expectNoKey();
  });

  it('in any file the CLI and the MCP server wrote in the data dir (logs, history, caches, activity)', () => {
    const files = dataDirText(home.dataDir);
    expect(files).toContain('activity.jsonl');
    expect(files).toContain('main.log');
    seen.push({ where: 'the data dir', text: files });
    expectNoKey();
  });

  it('in this process’s environment after running the command line in it', async () => {
    let out = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (out += t), errIsTty: false, signal: new AbortController().signal };
    const code = await runCliInProcess([...home.args, 'ask', 'What is the travel policy for flights?', '--dataset', 'Travel & Expenses'], {
      io,
      defaults: { dataDir: home.dataDir, keychainService: home.keychainService, appName: 'Gaia Desktop', version: 'test' },
    });
    expect(code, out).toBe(0);
    expect(out).toContain('corporate travel portal');
    seen.push({ where: 'in-process CLI output', text: out }, { where: 'process.env', text: JSON.stringify(process.env) });
    expectNoKey();
  });
});
