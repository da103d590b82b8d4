/**
 * The command line as a user runs it: the built `out/main/cli.js` in its own process,
 * over a data dir whose connection's key is in a real (throwaway) keychain, against the
 * simulator. Datasets, ask (streamed, with sources and citations, kept in the app's
 * history marked "via CLI"), export, the exit codes, and Ctrl+C — which must close the
 * connection to Gaia, keep the partial answer as cancelled, and exit 130.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../gaia-sim';
import { ambientOrPrivateKeyring, useBus } from '../support/keyring-session';
import { connectedHome, requireBuiltCli, runCli, startCli, type CliHome } from '../support/cli-process';
import { diagnosticsChannel } from '../support/ask';

let sim: Simulator;
let home: CliHome;
let keyring: { address: string; stop(): Promise<void> };
let restoreBus: () => void;

beforeAll(async () => {
  requireBuiltCli();
  keyring = await ambientOrPrivateKeyring();
  restoreBus = useBus(keyring.address);
  sim = await startSimulator({ datasets: 'demo' });
  home = await connectedHome(sim);
});
afterAll(async () => {
  await sim?.stop();
  restoreBus?.();
  await keyring?.stop();
  if (home) rmSync(home.dataDir, { recursive: true, force: true });
});

describe('gaia-desktop profiles', () => {
  it('lists the connections with where their key is kept, never the key', async () => {
    const run = await runCli(home, ['profiles', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      profiles: [{ id: home.profileId, name: 'Sim', baseUrl: sim.baseUrl, active: true, key: 'keychain', verifyTls: true, localAssistants: false }],
    });
    const table = await runCli(home, ['profiles']);
    expect(table.stdout).toMatch(/^\*\s+Sim\s+https:\/\/127\.0\.0\.1:\d+\/v2\/mcm\/gaia\s+in the keychain\s+no/m);
  });
});

describe('gaia-desktop datasets', () => {
  it('lists every dataset of the active connection, as a table and as JSON', async () => {
    const table = await runCli(home, ['datasets']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+OBJECTS\s+HEALTH/);
    expect(table.stdout).toContain('Finance Reports');
    expect(table.stdout).toContain('Café Ops');

    const json = await runCli(home, ['datasets', '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { connection: string; datasets: Array<{ name: string }> };
    expect(parsed.connection).toBe('Sim');
    expect(parsed.datasets.map((d) => d.name)).toContain('Incident Postmortems');
  });

  it('searches on the server with --search', async () => {
    const before = sim.requestLog.length;
    const run = await runCli(home, ['datasets', '--search', 'Legal', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { datasets: Array<{ name: string }> }).datasets.map((d) => d.name)).toEqual(['Legal/Contracts 2024']);
    expect(sim.requestLog.slice(before).some((r) => r.path.includes('/datasets') && JSON.stringify(r).includes('Legal'))).toBe(true);
  });

  it('shows progress on stderr while a long listing loads, and nothing of it on stdout', async () => {
    const big = await startSimulator({ datasets: 2500 });
    const bigHome = await connectedHome(big, 'Big');
    try {
      const run = await runCli(bigHome, ['datasets', '--json']);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/Loading datasets: [\d,]+ \(\d+ pages?\)/);
      expect((JSON.parse(run.stdout) as { datasets: unknown[] }).datasets).toHaveLength(2500);
    } finally {
      await big.stop();
      rmSync(bigHome.dataDir, { recursive: true, force: true });
    }
  });
});

describe('gaia-desktop ask, conversations and export', () => {
  let conversationId = '';

  it('streams the answer, then prints its sources with citations, and keeps it in the history marked via CLI', async () => {
    const run = await runCli(home, ['ask', 'What is the travel policy for flights?', '--dataset', 'Travel & Expenses']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('corporate travel portal');
    expect(run.stdout).toMatch(/Sources:\n\[1\] travel-policy\.md \(dataset Travel & Expenses\)/);
    expect(run.stdout).toMatch(/score \d\.\d\d: “Employees book flights/);
    conversationId = /Conversation (\S+) — continue it/.exec(run.stderr)![1];

    // The app, over the same data, lists it with where it came from.
    const core = await home.openCore();
    try {
      const list = await core.dispatch('gaia:history.list', {});
      expect(list.ok).toBe(true);
      const found = (list as { value: { conversations: Array<{ id: string; origin?: string }> } }).value.conversations.find((c) => c.id === conversationId);
      expect(found?.origin).toBe('cli');
    } finally {
      await core.close();
    }

    const conversations = await runCli(home, ['conversations']);
    expect(conversations.code).toBe(0);
    expect(conversations.stdout).toMatch(new RegExp(`${conversationId}\\s+\\S+ \\S+\\s+CLI\\s+1\\s+What is the travel policy`));
  });

  it('continues a conversation with --conversation, and answers JSON with --json', async () => {
    const run = await runCli(home, ['ask', 'Is business class allowed?', '--dataset', 'Travel & Expenses', '--conversation', conversationId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as { conversationId: string; status: string; sources: Array<{ citations: unknown[] }> };
    expect(answer.conversationId).toBe(conversationId);
    expect(answer.status).toBe('complete');
    expect(answer.sources[0].citations.length).toBeGreaterThan(0);
  });

  it('exports a conversation to Markdown with its sources', async () => {
    const run = await runCli(home, ['export', conversationId]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('What is the travel policy for flights?');
    expect(run.stdout).toContain('Is business class allowed?');
    expect(run.stdout).toContain('travel-policy.md');
  });

  it('says, in the app’s words, when a conversation does not exist (exit 5)', async () => {
    const run = await runCli(home, ['export', 'no-such-conversation']);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('That conversation is no longer in the history.');
    expect(run.stdout).toBe('');
  });
});

describe('exit codes', () => {
  it('2 for a command line that is not valid', async () => {
    expect((await runCli(home, ['frobnicate'])).code).toBe(2);
    const missing = await runCli(home, ['ask', 'A question without datasets']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--dataset');
  });

  it('3 for a connection that does not exist, naming those that do', async () => {
    const run = await runCli(home, ['datasets', '--profile', 'Production']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('There is no connection named “Production”.');
    expect(run.stderr).toContain('“Sim”');
  });

  it('4 when Gaia refuses the key, in exactly the words the app shows', async () => {
    sim.faults.set({ bodyOverride: { status: 401, body: { message: 'Unauthorized' }, path: '/datasets' } });
    try {
      const core = await home.openCore();
      const inApp = await core.dispatch('gaia:datasets.list', { requestId: 'app-words-1', refresh: true }).finally(() => core.close());
      expect(inApp.ok).toBe(false);
      const { message, action } = (inApp as { ok: false; error: { message: string; action: string } }).error;
      const run = await runCli(home, ['datasets']);
      expect(run.code).toBe(4);
      expect(run.stderr).toBe(`Error: ${message}\n${action}\n`);
    } finally {
      sim.faults.clear();
    }
  });

  // The app would show its saved list here (marked offline); the CLI promised a fresh one.
  // A list is listed (and so saved) first: the saved list must not turn the failure into 0.
  it('7 when something other than Gaia answers (an HTML page), even with a list saved from a run just before', async () => {
    expect((await runCli(home, ['datasets'])).code).toBe(0);
    expect(existsSync(path.join(home.dataDir, 'cache', `datasets-${home.profileId}.json`))).toBe(true);
    sim.faults.set({ htmlPage: { path: '/datasets' } });
    try {
      const run = await runCli(home, ['datasets', '--json']);
      expect(run.code).toBe(7);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^Error: .*\n(.*\n)?\(The list saved .* is still shown in the app\.\)\n$/);
    } finally {
      sim.faults.clear();
    }
  });

  it('0 for help', async () => {
    const run = await runCli(home, ['help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Exit codes:');
  });
});

describe('Ctrl+C', () => {
  it('stops the answer in the CLI’s own process: the connection to Gaia closes, the partial answer is kept as cancelled, exit 130', async () => {
    sim.faults.set({ streamDelayMs: 400 });
    const watch = diagnosticsChannel('/ask');
    try {
      const running = startCli(home, ['ask', 'What is the travel policy for flights?', '--dataset', 'Travel & Expenses']);
      await running.waitFor(/\S/);
      running.child.kill('SIGINT');
      const run = await running.exited;
      expect(run.code, run.stderr).toBe(130);
      expect(run.stderr).toContain('Stopped. The part that arrived is kept in the history.');
      const stream = watch.requests.at(-1)!;
      expect(stream.closedAt).not.toBeNull();
      expect(stream.finished).toBe(false);

      const id = /Conversation (\S+) — continue it/.exec(run.stderr)![1];
      const core = await home.openCore();
      try {
        const got = (await core.dispatch('gaia:history.get', { id })) as { ok: true; value: { turns: Array<{ status: string; answer: string; origin?: string }> } };
        expect(got.value.turns[0].status).toBe('cancelled');
        expect(got.value.turns[0].origin).toBe('cli');
        expect(run.stdout.startsWith(got.value.turns[0].answer.slice(0, 20))).toBe(true);
      } finally {
        await core.close();
      }
    } finally {
      watch.dispose();
      sim.faults.clear();
    }
  });
});
