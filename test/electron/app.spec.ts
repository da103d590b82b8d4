/**
 * The Playwright _electron suite: launches the built app and checks what only a real
 * Electron can show. It runs wherever an Electron binary exists, and skips — saying
 * why — where none does (these build machines cannot download one).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectron } from '../../scripts/electron-binary.mjs';
import { channels, events, splitChannel, eventMethodName } from '../../preload/contract';

const found = findElectron();
const reason = 'why' in found ? `skipped: no Electron binary (${found.why})` : null;
if (reason) console.log(reason);
test.skip(reason !== null, reason ?? '');

const ROOT = path.resolve(import.meta.dirname, '../..');
let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  if (reason) return;
  app = await electron.launch({
    executablePath: (found as { path: string }).path,
    args: [ROOT, `--data-dir=${mkdtempSync(path.join(os.tmpdir(), 'gaia-electron-'))}`, `--keychain-service=gaia-desktop-test-electron`],
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
});

test('the window is isolated, sandboxed and has no Node', async () => {
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0];
    const p = (globalThis as { gaiaWebPreferences?: Record<string, unknown> }).gaiaWebPreferences ?? {};
    return { ...p, url: w.webContents.getURL() };
  });
  expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  expect(String(prefs.url).startsWith('app://gaia/')).toBe(true);
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
