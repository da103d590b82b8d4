/**
 * The Playwright _electron suite: launches the built app and checks what only a real
 * Electron can show. It runs wherever an Electron binary exists, and skips — saying
 * why — where none does (these build machines cannot download one).
 *
 * Two ways to run it:
 *   - the development build: `npm run test:electron` (out/ in the Electron that npm
 *     installed, or the binary GAIA_ELECTRON points at);
 *   - a packaged *test build*: `npm run package:test`, then
 *     GAIA_PACKAGED_APP=release/test-build/linux-unpacked/gaia-desktop npm run test:electron
 *     (a release build refuses Playwright: its enableNodeCliInspectArguments fuse is off).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectron } from '../../scripts/electron-binary.mjs';
import { channels, events, splitChannel, eventMethodName } from '../../preload/contract';
import { startSimulator, type Simulator } from '../gaia-sim/index';

const ROOT = path.resolve(import.meta.dirname, '../..');
const packagedApp = process.env.GAIA_PACKAGED_APP ? path.resolve(process.env.GAIA_PACKAGED_APP) : null;

function whatToLaunch(): { executablePath: string; appArgs: string[] } | { why: string } {
  if (packagedApp) return existsSync(packagedApp) ? { executablePath: packagedApp, appArgs: [] } : { why: `GAIA_PACKAGED_APP points at ${packagedApp}, which does not exist` };
  const found = findElectron();
  return 'why' in found ? found : { executablePath: found.path, appArgs: [ROOT] };
}

const launch = whatToLaunch();
const reason = 'why' in launch ? `skipped: no Electron binary (${launch.why})` : null;
if (reason) console.log(reason);
test.skip(reason !== null, reason ?? '');
// One app for the whole file, its tests in order.
test.describe.configure({ mode: 'default' });

let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  if ('why' in launch) return;
  app = await electron.launch({
    executablePath: launch.executablePath,
    args: [...launch.appArgs, `--data-dir=${mkdtempSync(path.join(os.tmpdir(), 'gaia-electron-'))}`, `--keychain-service=gaia-desktop-test-electron`],
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
});

test('the window is isolated, sandboxed and has no Node', async () => {
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0];
    // What main gave the window (window.ts keeps it where this test can read it).
    const p = (globalThis as { gaiaWebPreferences?: Record<string, unknown> }).gaiaWebPreferences ?? {};
    return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, webSecurity: p.webSecurity, url: w.webContents.getURL() };
  });
  expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  expect(prefs.url.startsWith('app://gaia/')).toBe(true);
  // And as the page sees it: the bridge object is frozen and nothing of Node leaks in.
  expect(await page.evaluate(() => Object.isFrozen((window as unknown as { gaia: object }).gaia))).toBe(true);
  expect(await page.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
});

test('window.gaia exposes exactly the contract’s methods', async () => {
  const exposed = await page.evaluate(() => {
    const api = (window as unknown as { gaia: Record<string, Record<string, unknown>> }).gaia;
    return Object.entries(api).flatMap(([area, methods]) => Object.keys(methods).map((m) => `${area}.${m}`)).sort();
  });
  const expected = [
    ...Object.keys(channels).map((c) => splitChannel(c).join('.')),
    ...Object.keys(events).map((c) => {
      const [area, verb] = splitChannel(c);
      return `${area}.${eventMethodName(verb)}`;
    }),
  ].sort();
  expect(exposed).toEqual(expected);
});

test('navigation and window.open are refused', async () => {
  const before = page.url();
  await page.evaluate(() => {
    window.open('https://example.com');
    location.href = 'https://example.com';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  expect(app.windows()).toHaveLength(1);
});

test('a real channel answers through IPC', async () => {
  const info = await page.evaluate(() => (window as unknown as { gaia: { app: { info: (r: object) => Promise<unknown> } } }).gaia.app.info({}));
  expect(info).toMatchObject({ ok: true, value: { shell: 'electron' } });
});

test('the application menu has Edit (copy/paste) and View zoom, and no developer tools in a packaged build', async () => {
  const menu = await app.evaluate(({ Menu, app: electronApp }) => {
    const roles: string[] = [];
    const walk = (items: Electron.MenuItem[]) => {
      for (const item of items) {
        if (item.role) roles.push(String(item.role).toLowerCase());
        if (item.submenu) walk(item.submenu.items);
      }
    };
    walk(Menu.getApplicationMenu()?.items ?? []);
    return { roles, packaged: electronApp.isPackaged };
  });
  expect(menu.roles).toEqual(expect.arrayContaining(['copy', 'paste', 'selectall', 'undo', 'zoomin', 'zoomout', 'resetzoom']));
  if (menu.packaged) expect(menu.roles).not.toContain('toggledevtools');
});

// ---------------------------------------------------------------------------------------
// The user's path: connect → browse → ask, against the Gaia simulator.
//
// WRITTEN AHEAD OF THE UI IT DRIVES. The selectors are the accessible roles and labels the
// UI is specified to have — a "Connections" nav button; a connect form with a name field
// ("Profile name" in the spec, "Connection name" in the form being built), a base URL
// field, "API key", a CA certificate (a "CA certificate file" picker, or a "CA
// certificate" box to paste into) and a "Connect" button; a Datasets page listing dataset
// names; an Ask page with a "Question" box and an "Ask" button. If the UI names them
// differently, change them here, not the UI's accessibility.

test.describe('connect → browse → ask, against the simulator', () => {
  let sim: Simulator;

  test.beforeAll(async () => {
    if (reason) return;
    sim = await startSimulator();
  });

  test.afterAll(async () => {
    await sim?.stop();
  });

  test('a user connects with a key and the simulator’s CA, browses datasets and gets a sourced answer', async () => {
    await page.getByRole('button', { name: 'Connections', exact: true }).click();
    await page.getByLabel(/^(Profile|Connection) name/).fill('Simulator');
    await page.getByLabel(/base URL/i).fill(sim.baseUrl);
    await page.getByLabel('API key', { exact: true }).fill(sim.demoKey);
    const caPicker = page.getByLabel('CA certificate file');
    if ((await caPicker.count()) > 0) await caPicker.setInputFiles(sim.caFile);
    else await page.getByRole('textbox', { name: /CA certificate/ }).fill(sim.caPem);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('button', { name: /Active connection: Simulator/ })).toBeVisible({ timeout: 20_000 });

    // The key went to the OS keychain through main: the page keeps no copy of it.
    const keyInPage = await page.evaluate((key) => document.documentElement.outerHTML.includes(key) || JSON.stringify({ ...localStorage, ...sessionStorage }).includes(key), sim.demoKey);
    expect(keyInPage).toBe(false);

    await page.getByRole('button', { name: 'Datasets', exact: true }).click();
    for (const name of ['Finance Reports', 'Backups & Retention', 'Legal/Contracts 2024']) {
      await expect(page.getByText(name, { exact: true }).first()).toBeVisible();
    }

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Ask', exact: true }).click();
    const datasetBox = page.getByRole('combobox', { name: 'Add a dataset' });
    await datasetBox.fill('Backups & Retention');
    await datasetBox.press('Enter');
    await expect(page.getByRole('button', { name: 'Remove Backups & Retention' })).toBeVisible();
    await page.getByRole('textbox', { name: 'Question' }).fill('How long are daily backups kept?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    // The simulator answers from its corpus and cites the document it used.
    await expect(page.getByText('Backup Retention Standard').first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/35 days/).first()).toBeVisible();

    // And the answer really came from the simulator, through main.
    const gaiaCalls = sim.requestLog.filter((r) => r.path.startsWith('/v2/mcm/gaia'));
    expect(gaiaCalls.length).toBeGreaterThan(0);
  });
});
