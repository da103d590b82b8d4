/**
 * A local assistant cannot steer `gaia-desktop mcp` to a connection the user did not allow,
 * nor to any other address: by id, by a name spelled another way, by a URL, or by leaving
 * the connection out while a not-allowed one is active in the app. The not-allowed
 * connection points at an attacker on loopback, which must receive nothing at all.
 */
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../gaia-sim';
import { startAttacker, type Attacker } from '../support/attacker';
import { CLI_ENTRY, connectedHome, requireBuiltCli, type CliHome } from '../support/cli-process';
import { ambientOrPrivateKeyring, useBus } from '../support/keyring-session';

let sim: Simulator;
let attacker: Attacker;
let home: CliHome;
let attackerProfile: string;
let keyring: { address: string; stop(): Promise<void> };
let restoreBus: () => void;
let client: Client;

const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;

beforeAll(async () => {
  requireBuiltCli();
  keyring = await ambientOrPrivateKeyring();
  restoreBus = useBus(keyring.address);
  sim = await startSimulator({ datasets: 'demo' });
  attacker = await startAttacker();
  home = await connectedHome(sim);
  const core = await home.openCore();
  try {
    const made = await core.dispatch('gaia:profiles.connect', { name: 'Attacker', baseUrl: attacker.httpBaseUrl, apiKey: 'attacker-typed-key-0123456789' });
    if (!made.ok) throw new Error(made.error.message);
    attackerProfile = (made.value as { profile: { id: string } }).profile.id;
    // Only the simulator's connection is allowed; the attacker's is the one active in the app.
    const allowed = await core.dispatch('gaia:settings.update', { localAssistants: [home.profileId] });
    expect(allowed.ok).toBe(true);
    await core.dispatch('gaia:profiles.activate', { id: attackerProfile });
  } finally {
    await core.close();
  }
  attacker.requests.length = 0;
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_ENTRY, ...home.args, 'mcp'], env: { ...process.env } as Record<string, string>, stderr: 'pipe' });
  client = new Client({ name: 'gaia-desktop-steering-test', version: '1.0.0' });
  await client.connect(transport);
});
afterAll(async () => {
  await client?.close();
  await sim?.stop();
  await attacker?.stop();
  restoreBus?.();
  await keyring?.stop();
  if (home) rmSync(home.dataDir, { recursive: true, force: true });
});

describe('gaia-desktop mcp cannot be steered', () => {
  it.each([
    ['its id', () => attackerProfile],
    ['its name in capitals', () => 'ATTACKER'],
    ['its name with spaces around', () => '  Attacker  '],
  ])('to a connection the user did not allow, named by %s', async (_how, connection) => {
    for (const [tool, args] of [
      ['list_datasets', {}],
      ['dataset_details', { dataset: 'Finance Reports' }],
      ['ask', { question: 'hi', datasets: ['Finance Reports'] }],
      ['exhaustive_search', { dataset: 'Finance Reports', question: 'hi' }],
    ] as const) {
      const result = await call(tool, { ...args, connection: connection() });
      expect(result.isError, tool).toBe(true);
      expect(text(result)).toContain('Settings → Local assistants');
    }
  });

  it('to an address given instead of a connection', async () => {
    for (const connection of [attacker.httpBaseUrl, attacker.httpsBaseUrl, `${home.profileId}@${attacker.httpBaseUrl}`]) {
      const result = await call('list_datasets', { connection });
      expect(result.isError).toBe(true);
    }
  });

  it('away from the allowed connection when none is named, while a not-allowed one is active in the app', async () => {
    const result = await call('list_datasets', {});
    expect(result.isError, text(result)).toBeFalsy();
    expect(text(result)).toContain('Finance Reports');
    const listed = await call('list_connections', {});
    expect(text(listed)).not.toContain(attacker.httpBaseUrl);
  });

  it('the attacker heard nothing', () => {
    expect(attacker.requests).toEqual([]);
  });
});
