/**
 * `npm run demo` as a newcomer meets it: the same script (scripts/demo.ts through tsx),
 * once with no D-Bus session at all and once inside a private keyring. In both the page
 * opens on Ask with the demo's datasets chosen and a suggested question typed in the
 * focused composer; Enter sends it, and the answer arrives piece by piece.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { haveKeyringTools, startPrivateBus, testService } from '../support/keyring-session';
import { ROOT } from '../support/preview-process';
import { answer, waitForAnswer } from '../support/e2e-ask';

interface Demo {
  url: string;
  keychainService: string;
  output: () => string;
  stop(): Promise<number | null>;
}

async function startDemo(env: NodeJS.ProcessEnv, args: string[] = [], keychainService = testService()): Promise<Demo> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--port', '0', '--pace', '20', '--preview', '--keychain-service', keychainService, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${output}`)), 45_000);
    child.stdout!.on('data', () => {
      const m = /Open: (\S+)/.exec(output);
      if (m && /Press Ctrl\+C/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${output}`)));
  });
  return {
    url,
    keychainService,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        // Ctrl+C in a terminal reaches the demo twice (the terminal's, then tsx's relay of it):
        // the second must not cut the cleanup short.
        child.kill('SIGINT');
        setTimeout(() => child.exitCode === null && child.kill('SIGINT'), 30);
      }),
  };
}

/** The answer's text lengths while it streams, until it is done. */
async function watchStream(page: Page): Promise<number[]> {
  const region = answer(page, 1);
  await expect(region).toBeVisible();
  const lengths: number[] = [];
  for (let i = 0; i < 400; i++) {
    const [busy, text] = await region.evaluate((el) => [el.getAttribute('aria-busy'), (el as HTMLElement).innerText]);
    if (text.length && text.length !== lengths.at(-1)) lengths.push(text.length);
    if (busy === 'false') break;
    await page.waitForTimeout(25);
  }
  return lengths;
}

async function askTheSuggestedQuestion(page: Page, demo: Demo): Promise<void> {
  await page.goto(demo.url);
  // Opens on Ask, datasets chosen, a suggested question typed and the composer focused.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Ask', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button', { name: 'Remove Travel & Expenses' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove Finance Reports' })).toBeVisible();
  const question = page.getByRole('textbox', { name: 'Question' });
  await expect(question).toHaveValue(/\?$/);
  await expect(question).toBeFocused();
  await expect(page.getByRole('button', { name: /Active connection: Demo \(local simulator\)/ })).not.toContainText('No key stored');

  await page.keyboard.press('Enter');
  const lengths = await watchStream(page);
  await waitForAnswer(page, 1);
  // Streamed: the text was seen growing, several times, before the answer ended.
  expect(lengths.length, `lengths seen: ${lengths.join(', ')}`).toBeGreaterThanOrEqual(4);
  await expect(answer(page, 1).getByText('hotel', { exact: false }).first()).toBeVisible();
}

/** What the keyring holds under the demo's service (secret-tool, from libsecret-tools). */
function demoEntries(env: NodeJS.ProcessEnv, service: string): string {
  const r = spawnSync('secret-tool', ['search', '--all', '--unlock', 'service', service], { env, encoding: 'utf8', timeout: 10_000 });
  return `${r.stdout}${r.stderr}`;
}

/** Stores an entry the way the app does (its keychain library, Secret Service), in a process on that bus. */
function storeEntry(env: NodeJS.ProcessEnv, service: string, account: string, secret: string): void {
  const script = `const k = require('@napi-rs/keyring'); new k.Entry(process.argv[1], process.argv[2], { linux: { store: 'secret-service' } }).setPassword(process.argv[3]);`;
  const r = spawnSync(process.execPath, ['-e', script, service, account, secret], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
  expect(r.status, r.stderr).toBe(0);
}

test.describe('npm run demo', () => {
  test.skip(!haveKeyringTools(), 'needs dbus-daemon and gnome-keyring');
  test.setTimeout(120_000);

  test('with no D-Bus session at all: the key is held in memory, and the answer streams', async ({ page }) => {
    const runtime = mkdtempSync(path.join(os.tmpdir(), 'gaia-nobus-'));
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: path.join(runtime, 'data') };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.GAIA_TEST_KEYRING;
    const demo = await startDemo(env);
    try {
      expect(demo.output()).toMatch(/Demo key: +in this process's memory only, for this session: no usable keychain here \(.*D-Bus/);
      expect(demo.output()).not.toMatch(/sim-demo-/);
      expect(demo.output()).toMatch(/Read-only key: +sim-read-/);
      expect(demo.output()).toMatch(/Command line: +cannot use a key kept for this session only/);
      await askTheSuggestedQuestion(page, demo);
      // The first visit to Datasets shows the list the setup (and the Ask page) fetched, with
      // when Gaia sent it: not as a "saved list" the user never saved.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Datasets', exact: true }).click();
      await expect(page.getByRole('grid', { name: 'Datasets' }).getByRole('row', { name: /Archive/ })).toBeVisible();
      await expect(page.getByText(/^Updated (just now|\d+ seconds? ago)$/)).toBeVisible();
      await expect(page.getByText(/Saved list/)).toHaveCount(0);
      // The session-only key survives a reload: it lives in the process that serves the page.
      await page.reload();
      await expect(page.getByRole('button', { name: /Active connection: Demo/ })).not.toContainText('No key stored');
      // Connections says why, and how to start this same demo with a keychain.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Connections', exact: true }).click();
      // The datasets listed and the question answered with its key count as uses of the connection.
      const card = page.getByRole('listitem', { name: /Demo \(local simulator\)/ });
      await expect(card.getByRole('term').filter({ hasText: 'Last used' })).toBeVisible();
      const terms = await card.getByRole('term').allTextContents();
      // "yesterday" only when the run straddles midnight.
      await expect(card.getByRole('definition').nth(terms.indexOf('Last used'))).toHaveText(/^(today|yesterday)$/);
      const note = page.getByRole('note', { name: 'Keys for this session only' });
      await note.getByText('Why, and how to use a keychain instead').click();
      await expect(note).toContainText('message bus (D-Bus)');
      await expect(note).toContainText('exec npm run demo -- --port 0 --pace 20 --preview --keychain-service ');
    } finally {
      expect(await demo.stop()).toBe(0);
      rmSync(runtime, { recursive: true, force: true });
    }
  });

  test('inside a private keyring: the key is in the keychain, and the answer streams', async ({ page }) => {
    const bus = await startPrivateBus('unlocked');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-demo-e2e-'));
    // What a demo stopped by Ctrl+C inside `dbus-run-session` leaves: its keyring died before it could remove its key.
    const service = testService();
    const otherService = testService();
    storeEntry(bus.env, service, 'left-by-an-earlier-demo', 'sim-demo-leftover');
    storeEntry(bus.env, otherService, 'someone-else', 'not-the-demos-key');
    try {
      const demo = await startDemo(bus.env, ['--data-dir', dataDir], service);
      try {
        expect(demo.output()).toMatch(/Demo key: +in the keychain \(Secret Service/);
        // The next start removes it, and only under the demo's own service.
        expect(demo.output()).toMatch(/Leftovers: +removed 1 demo key an earlier demo left in the keychain/);
        expect(demoEntries(bus.env, service)).not.toContain('sim-demo-leftover');
        expect(demoEntries(bus.env, otherService)).toContain('not-the-demos-key');
        expect(demo.output()).toContain(`Data:           ${dataDir}`);
        await askTheSuggestedQuestion(page, demo);
        expect(demoEntries(bus.env, demo.keychainService)).toMatch(/sim-demo-/);
        // The printed command line works while the demo runs (run here with node, as `npm run -s cli --` would).
        const printed = /Command line: +npm run -s cli -- (.+?) {3}\(while the demo runs\)/.exec(demo.output());
        expect(printed, demo.output()).not.toBeNull();
        const cli = spawnSync('sh', ['-c', `"${process.execPath}" out/main/cli.js ${printed![1]}`], { cwd: ROOT, env: bus.env, encoding: 'utf8', timeout: 60_000 });
        expect(cli.status, cli.stderr).toBe(0);
        expect(cli.stdout).toContain('Travel & Expenses');
        // Settings → Local assistants offers this checkout's command line over the demo's data, not an installed binary.
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click();
        await page.getByText('Claude Code', { exact: true }).click();
        await expect(page.getByText(/^claude mcp add gaia-desktop -- /)).toContainText(`out/main/cli.js --data-dir ${dataDir} --keychain-service`);
        // A connection the user adds while trying the demo (the read-only key it prints), as the page's Connect form sends it.
        const out = demo.output();
        const [, baseUrl] = /Gaia base URL: +(\S+)/.exec(out)!;
        const [, caFile] = /CA file: +(\S+)/.exec(out)!;
        const [, readKey] = /Read-only key: +(\S+)/.exec(out)!;
        const caPem = readFileSync(caFile, 'utf8');
        const added = await page.evaluate(
          async ({ token, request }) => {
            const r = await fetch('/__gaia/call', { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-gaia-token': token }, body: JSON.stringify({ channel: 'gaia:profiles.connect', request }) });
            return (await r.json()) as { ok: boolean };
          },
          { token: new URL(demo.url).hash.replace(/^#token=/, ''), request: { name: 'Mine (read-only)', baseUrl, apiKey: readKey, caPem } },
        );
        expect(added.ok).toBe(true);
        expect(demoEntries(bus.env, demo.keychainService)).toContain(readKey);
      } finally {
        expect(await demo.stop()).toBe(0);
      }
      expect(demo.output()).toContain("Stopped. The demo's keys (and any you added while trying it) are removed from the keychain");
      // The keychain entries went with the demo (the one added too), and nothing the demo wrote holds the key.
      expect(demoEntries(bus.env, demo.keychainService)).not.toMatch(/sim-demo-|sim-read-/);
      const profiles = readFileSync(path.join(dataDir, 'profiles.json'), 'utf8');
      expect(profiles).not.toMatch(/sim-demo-/);
    } finally {
      await bus.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('Ctrl+C that stops the keyring with the demo: the stop message says so, and what removes the key', async () => {
    const bus = await startPrivateBus('unlocked');
    let demo: Demo | null = null;
    try {
      demo = await startDemo(bus.env);
      // As Ctrl+C under `dbus-run-session` does: the bus and its keyring go first.
      await bus.stop();
    } finally {
      if (demo) expect(await demo.stop()).toBe(0);
      await bus.stop();
    }
    expect(demo.output()).toMatch(/The keychain's session ended with Ctrl\+C .* the next `npm run demo` removes it/);
    expect(demo.output()).not.toContain("Stopped. The demo's keys");
  });
});
