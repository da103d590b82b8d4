/**
 * The local MCP server as an assistant runs it: the built `gaia-desktop mcp` started by
 * the MCP SDK's own Client over StdioClientTransport, over a data dir whose connection's
 * key is in a real (throwaway) keychain, against the simulator. Initialize, tools/list
 * (read-only tools only), a refusal while the user has not allowed the connection — one
 * that says how to allow it — then, once allowed in the settings (while the server runs),
 * datasets, details with topics, an ask with citations that lands in the app's history
 * marked via MCP, exhaustive search, and every call in the activity the app shows.
 */
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssistantCall } from '../../preload/contract';
import { startSimulator, type Simulator } from '../gaia-sim';
import { CLI_ENTRY, connectedHome, requireBuiltCli, type CliHome } from '../support/cli-process';
import { ambientOrPrivateKeyring, useBus } from '../support/keyring-session';

let sim: Simulator;
let home: CliHome;
let keyring: { address: string; stop(): Promise<void> };
let restoreBus: () => void;
let client: Client;
let transport: StdioClientTransport;

const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;

async function allow(profileIds: string[]) {
  const core = await home.openCore();
  try {
    const updated = await core.dispatch('gaia:settings.update', { localAssistants: profileIds });
    expect(updated.ok).toBe(true);
  } finally {
    await core.close();
  }
}

beforeAll(async () => {
  requireBuiltCli();
  keyring = await ambientOrPrivateKeyring();
  restoreBus = useBus(keyring.address);
  sim = await startSimulator({ datasets: 'demo' });
  home = await connectedHome(sim);
  transport = new StdioClientTransport({ command: process.execPath, args: [CLI_ENTRY, ...home.args, 'mcp'], env: { ...process.env } as Record<string, string>, stderr: 'pipe' });
  client = new Client({ name: 'gaia-desktop-test', version: '1.0.0' });
  await client.connect(transport);
});
afterAll(async () => {
  await client?.close();
  await sim?.stop();
  restoreBus?.();
  await keyring?.stop();
  if (home) rmSync(home.dataDir, { recursive: true, force: true });
});

describe('gaia-desktop mcp', () => {
  it('initializes as gaia-desktop, with instructions', () => {
    expect(client.getServerVersion()?.name).toBe('gaia-desktop');
    expect(client.getInstructions()).toContain('keychain');
  });

  it('lists only read-only tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['ask', 'dataset_details', 'exhaustive_search', 'list_connections', 'list_datasets']);
    for (const tool of tools) expect(tool.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === 'ask')!.inputSchema.required).toEqual(expect.arrayContaining(['question', 'datasets']));
  });

  it('refuses every call while the user has not allowed the connection, and says how to allow it', async () => {
    const requestsBefore = sim.requestLog.length;
    for (const [name, args] of [
      ['list_datasets', {}],
      ['ask', { question: 'What is the travel policy?', datasets: ['Travel & Expenses'] }],
      ['list_connections', {}],
    ] as const) {
      const result = await call(name, args);
      expect(result.isError, name).toBe(true);
      expect(text(result)).toContain('Settings → Local assistants');
    }
    // Refused in main before anything reached Gaia.
    expect(sim.requestLog.length).toBe(requestsBefore);
  });

  it('once allowed (while running), lists connections and datasets', async () => {
    await allow([home.profileId]);
    const connections = await call('list_connections');
    expect(connections.isError).toBeFalsy();
    expect(connections.structuredContent).toMatchObject({ connections: [{ name: 'Sim', active_in_app: true }] });

    const datasets = await call('list_datasets', { search: 'Travel' });
    expect(datasets.isError, text(datasets)).toBeFalsy();
    expect(text(datasets)).toContain('Travel & Expenses');
    expect((datasets.structuredContent as { datasets: Array<{ name: string }> }).datasets.map((d) => d.name)).toEqual(['Travel & Expenses']);
  });

  it('answers dataset details with topics', async () => {
    const details = await call('dataset_details', { dataset: 'Travel & Expenses' });
    expect(details.isError, text(details)).toBeFalsy();
    const s = details.structuredContent as { dataset: { name: string }; topics: Array<{ name: string; suggested_questions: string[] }> };
    expect(s.dataset.name).toBe('Travel & Expenses');
    expect(s.topics.length).toBeGreaterThan(0);
  });

  let conversationId = '';
  it('asks: the answer, its sources with citations, and a conversation id — kept in the app’s history via MCP', async () => {
    const result = await call('ask', { question: 'What is the travel policy for flights?', datasets: ['Travel & Expenses'] });
    expect(result.isError, text(result)).toBeFalsy();
    const s = result.structuredContent as { conversation_id: string; status: string; answer: string; sources: Array<{ name: string; citations: Array<{ snippet: string; score: number }> }> };
    expect(s.status).toBe('complete');
    expect(s.answer).toContain('corporate travel portal');
    expect(s.sources[0].name).toBe('travel-policy.md');
    expect(s.sources[0].citations[0].snippet).toContain('Employees book flights');
    expect(text(result)).toMatch(/Sources:\n\[1\] travel-policy\.md/);
    conversationId = s.conversation_id;

    // A follow-up in the same conversation; Gaia's steps arrive as progress when the client asks for them.
    const steps: string[] = [];
    const followUp = (await client.callTool(
      { name: 'ask', arguments: { question: 'Is business class allowed?', datasets: ['Travel & Expenses'], conversation_id: conversationId } },
      undefined,
      { onprogress: (p) => void steps.push(p.message ?? '') },
    )) as CallToolResult;
    expect((followUp.structuredContent as { conversation_id: string }).conversation_id).toBe(conversationId);
    expect(steps.length).toBeGreaterThan(0);

    const core = await home.openCore();
    try {
      const got = (await core.dispatch('gaia:history.list', {})) as { ok: true; value: { conversations: Array<{ id: string; origin?: string; turnCount: number }> } };
      expect(got.value.conversations.find((c) => c.id === conversationId)).toMatchObject({ origin: 'mcp', turnCount: 2 });
    } finally {
      await core.close();
    }
  });

  it('runs an exhaustive search', async () => {
    const result = await call('exhaustive_search', { dataset: 'Travel & Expenses', question: 'travel policy hotel expense days' });
    expect(result.isError, text(result)).toBeFalsy();
    expect((result.structuredContent as { documents: unknown[] }).documents.length).toBeGreaterThan(0);
  });

  it('reports Gaia’s errors in the app’s words, not as a crash', async () => {
    const result = await call('dataset_details', { dataset: 'No Such Dataset' });
    expect(result.isError).toBe(true);
    expect(text(result).length).toBeGreaterThan(10);
  });

  it('refuses a connection the user did not allow, by name', async () => {
    await allow([]);
    const result = await call('list_datasets', { connection: 'Sim' });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('Settings → Local assistants');
  });

  it('stayed read-only on Gaia: no feedback, no deletes, no key-service call in the whole session', () => {
    const writes = sim.requestLog.filter((r) => r.method === 'DELETE' || r.path.includes('feedback') || r.path.includes('/api_keys'));
    expect(writes).toEqual([]);
    expect(sim.feedback).toEqual([]);
    // …while it did talk to Gaia (so the check above looked at real traffic).
    expect(sim.requestLog.some((r) => r.path.includes('/ask'))).toBe(true);
  });

  it('records every call, redacted, for Settings → Local assistants → recent activity', async () => {
    const core = await home.openCore();
    try {
      const activity = (await core.dispatch('gaia:assistants.activity', {})) as { ok: true; value: { calls: AssistantCall[] } };
      const calls = activity.value.calls;
      expect(calls[0]).toMatchObject({ tool: 'list_datasets', outcome: 'refused', connection: 'Sim' });
      expect(calls.filter((c) => c.outcome === 'refused').length).toBeGreaterThanOrEqual(4);
      expect(calls.some((c) => c.tool === 'ask' && c.outcome === 'ok' && c.summary.includes('What is the travel policy for flights?'))).toBe(true);
      expect(calls.find((c) => c.tool === 'dataset_details' && c.outcome === 'error')).toBeTruthy();
      const setup = (await core.dispatch('gaia:assistants.setup', {})) as { ok: true; value: { args: string[]; snippets: Array<{ client: string }> } };
      expect(setup.value.args.at(-1)).toBe('mcp');
      expect(setup.value.snippets.map((s) => s.client)).toEqual(['Claude Desktop', 'VS Code', 'Cursor', 'Claude Code']);
    } finally {
      await core.close();
    }
  });
});
