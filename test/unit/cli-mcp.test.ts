/**
 * The pieces of the command line and the MCP server that need no Gaia: telling a command
 * line from a normal start of the app, the help naming every command, the MCP client
 * snippets, the activity log's redaction and order, and the Local assistants gate.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS, commandLineArgs } from '../../main/cli/detect';
import { runCli } from '../../main/cli/program';
import { toErrorInfo } from '../../main/core/errors';
import { createLog } from '../../main/core/platform/log';
import { requireAllowed } from '../../main/core/mcp/access';
import { createActivityLog } from '../../main/core/mcp/activity';
import { mcpSnippets } from '../../main/core/mcp/snippets';
import { SettingsStore } from '../../main/core/app/settings';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-cli-unit-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('commandLineArgs', () => {
  it('finds a command after the packaged binary, or after electron and the app path', () => {
    expect(commandLineArgs(['/opt/Gaia Desktop/gaia-desktop', 'datasets', '--json'], false)).toEqual(['datasets', '--json']);
    expect(commandLineArgs(['/x/electron', '/repo', 'ask', 'Why?', '-d', 'A'], true)).toEqual(['ask', 'Why?', '-d', 'A']);
    expect(commandLineArgs(['exe', '--data-dir', '/tmp/d', '--keychain-service=X', 'profiles'], false)).toEqual(['--data-dir', '/tmp/d', '--keychain-service=X', 'profiles']);
    // Switches that are not ours (Chromium's) are dropped; ours are kept.
    expect(commandLineArgs(['exe', '--no-sandbox', '--profile', 'Prod', 'mcp', '--json'], false)).toEqual(['--profile', 'Prod', 'mcp', '--json']);
  });

  it('starts the app as usual for anything else', () => {
    expect(commandLineArgs(['exe'], false)).toBeNull();
    expect(commandLineArgs(['/x/electron', '/repo'], true)).toBeNull();
    expect(commandLineArgs(['exe', '--data-dir=/tmp/d'], false)).toBeNull();
    expect(commandLineArgs(['exe', '-psn_0_12345'], false)).toBeNull();
    expect(commandLineArgs(['exe', '/home/me/notes.txt'], false)).toBeNull();
    // A value is not a command: `--profile datasets` names a profile.
    expect(commandLineArgs(['exe', '--profile', 'datasets'], false)).toBeNull();
  });

  it('knows exactly the commands the program offers', async () => {
    let help = '';
    const io = { out: (t: string) => void (help += t), err: (t: string) => void (help += t), errIsTty: false, signal: new AbortController().signal };
    const code = await runCli(['help'], { io, defaults: { dataDir: tempDir(), keychainService: 'unused', appName: 'Gaia Desktop', version: '0' } });
    expect(code).toBe(0);
    const offered = [...help.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]);
    expect(offered.sort()).toEqual([...COMMANDS].sort());
  });
});

describe('mcpSnippets', () => {
  const launcher = { command: '/Applications/Gaia Desktop.app/Contents/MacOS/Gaia Desktop', args: ['--data-dir', "/tmp/it's", 'mcp'] };

  it('gives valid JSON for Claude Desktop, VS Code and Cursor, with the exact command and arguments', () => {
    const snippets = mcpSnippets(launcher);
    const byClient = Object.fromEntries(snippets.map((s) => [s.client, s]));
    expect(JSON.parse(byClient['Claude Desktop'].text)).toEqual({ mcpServers: { 'gaia-desktop': launcher } });
    expect(JSON.parse(byClient['VS Code'].text)).toEqual({ servers: { 'gaia-desktop': { type: 'stdio', ...launcher } } });
    expect(JSON.parse(byClient.Cursor.text)).toEqual({ mcpServers: { 'gaia-desktop': launcher } });
  });

  it('quotes words with spaces and quotes for a shell', () => {
    const line = mcpSnippets(launcher).find((s) => s.client === 'Claude Code')!.text;
    expect(line).toBe(`claude mcp add gaia-desktop -- '/Applications/Gaia Desktop.app/Contents/MacOS/Gaia Desktop' --data-dir '/tmp/it'\\''s' mcp`);
  });
});

describe('activity log', () => {
  it('redacts what it records, and answers newest first, skipping a damaged line', async () => {
    const dataDir = tempDir();
    const log = createLog({ dir: null });
    const secret = 'k3y-THAT-must-NEVER-be-written-0123456789';
    log.addSecret(secret);
    const activity = createActivityLog({ dataDir, log });
    await activity.record({ at: 1, tool: 'ask', connection: 'Sim', outcome: 'ok', summary: `“what is ${secret}?” over A`, durationMs: 5 });
    appendFileSync(activity.file, '{"at": 2, "tool": "ask", "conn\n');
    await activity.record({ at: 3, tool: 'list_datasets', connection: null, outcome: 'refused', summary: 'refused: all datasets', durationMs: 1 });
    const calls = await activity.recent();
    expect(calls.map((c) => c.at)).toEqual([3, 1]);
    expect(calls[1].summary).toContain('[redacted]');
    expect(calls[1].summary).not.toContain('NEVER');
  });

  it('shortens a long question', async () => {
    const activity = createActivityLog({ dataDir: tempDir(), log: createLog({ dir: null }) });
    await activity.record({ at: 1, tool: 'ask', connection: 'Sim', outcome: 'ok', summary: 'word '.repeat(1000), durationMs: 5 });
    expect((await activity.recent())[0].summary.length).toBeLessThanOrEqual(240);
  });
});

describe('requireAllowed', () => {
  it('refuses until the user allows the connection, saying where to allow it; reads the file afresh each time', async () => {
    const dataDir = tempDir();
    const app = new SettingsStore(dataDir);
    await app.load();
    const server = new SettingsStore(dataDir);
    const profile = { id: 'p1', name: 'Production' };
    const refused = toErrorInfo(await requireAllowed(server, profile).catch((e: unknown) => e));
    expect(refused.kind).toBe('not-allowed');
    expect(refused.message).toBe('Gaia Desktop does not let local assistants use Gaia yet.');
    expect(refused.action).toContain('Settings → Local assistants');

    await app.update({ localAssistants: ['p2'] });
    const other = toErrorInfo(await requireAllowed(server, profile).catch((e: unknown) => e));
    expect(other.message).toContain('“Production”');

    await app.update({ localAssistants: ['p2', 'p1'] });
    await expect(requireAllowed(server, profile)).resolves.toBeUndefined();
  });
});
