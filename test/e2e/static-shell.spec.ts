/**
 * The app shell's static copy in index.html (renderer/static-shell.tsx): the first frame
 * shows the rail before any script has run, nobody can act on that copy, React replaces
 * it with the one live rail, and the theme remembered from the last run is on the very
 * first frame (renderer/theme-early.ts), not the system's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { callCore, expect, liveVersion, test } from '../support/e2e-fixtures';

const BUILT_INDEX = path.resolve(import.meta.dirname, '../../out/renderer/index.html');

test('the built index.html holds the rail with its Version label, inside an inert wrapper', () => {
  const html = readFileSync(BUILT_INDEX, 'utf8');
  const root = /<div id="root">([\s\S]*?)<\/div>\s*<\/body>/.exec(html)?.[1] ?? '';
  expect(root).toMatch(/^<div class="static-shell" inert="" aria-hidden="true">/);
  expect(root).toContain('<nav class="rail" aria-label="Main">');
  expect(root).toMatch(/<p class="version" aria-label="Version">Gaia Desktop \d+\.\d+\.\d+<span/);
  for (const label of ['Connections', 'Datasets', 'Ask', 'Keys', 'Settings']) expect(root).toContain(`<span class="nav-label">${label}</span>`);
  // The theme script: a file of the page's own, before the style sheet and the app's module.
  const early = html.indexOf('<script src="./assets/theme-early.js"></script>');
  expect(early).toBeGreaterThan(html.indexOf('Content-Security-Policy'));
  expect(early).toBeLessThan(html.indexOf('<script type="module"'));
  expect(early).toBeLessThan(html.indexOf('rel="stylesheet"'));
});

test('after load there is one rail, the live one, and its buttons work at once', async ({ page, preview }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(preview.url);
  // The live Version label says where it runs; the static copy cannot.
  await expect(liveVersion(page)).toContainText('· preview');
  await expect(page.locator('nav.rail')).toHaveCount(1);
  await expect(page.locator('[inert]')).toHaveCount(0);
  await expect(page.locator('.static-shell')).toHaveCount(0);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Keys', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
  expect(problems).toEqual([]);
});

test('before the live shell, the static copy is there but nothing in it is reachable', async ({ page, preview }) => {
  // Hold the app's module, so the page stays as index.html drew it.
  await page.route(/\/assets\/index-[^/]+\.js$/, () => undefined);
  // (Module scripts hold DOMContentLoaded, so wait for what is drawn, not for the load.)
  await page.goto(preview.url, { waitUntil: 'commit' });
  await expect(page.locator('.static-shell[inert] nav.rail')).toHaveCount(1);
  await expect(page.locator('.static-shell [aria-label="Version"]')).toBeVisible();
  // Inert and aria-hidden: nothing for assistive technology (nor for getByRole, nor for the live-shell locator), no focus by Tab.
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toHaveCount(0);
  await expect(liveVersion(page)).toHaveCount(0);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement === document.body || document.activeElement === null)).toBe(true);
  // The label keeps its place when the live rail takes over: the static copy holds the line its "where" part fills.
  const staticBox = await page.locator('.static-shell [aria-label="Version"]').boundingBox();
  await page.unroute(/\/assets\/index-[^/]+\.js$/);
  await page.goto(preview.url);
  await expect(liveVersion(page)).toContainText('· preview');
  expect(await liveVersion(page).boundingBox()).toEqual(staticBox);
});

test.describe('a dark theme over a light system', () => {
  test.use({ colorScheme: 'light' });

  test('the first frame is already dark', async ({ page, preview }) => {
    expect((await callCore(preview, 'gaia:settings.update', { theme: 'dark' })).ok).toBe(true);
    // What the first frame of each load shows: the theme on <html>, the page's background, and whether the static copy is what it draws.
    await page.addInitScript(() => {
      requestAnimationFrame(() => {
        const w = window as unknown as { __firstFrame: unknown };
        w.__firstFrame = { theme: document.documentElement.dataset.theme ?? null, background: getComputedStyle(document.body).backgroundColor, staticShell: document.querySelector('.static-shell') !== null };
      });
    });
    const firstFrame = () => page.evaluate(() => (window as unknown as { __firstFrame: { theme: string | null; background: string; staticShell: boolean } }).__firstFrame);
    // The first run learns the theme from settings (and remembers it)…
    await page.goto(preview.url);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.evaluate(() => delete document.documentElement.dataset.theme);
    const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(darkBackground).not.toBe(lightBackground);
    // …the next one paints dark from its first frame, the static shell included.
    await page.reload();
    await expect(liveVersion(page)).toContainText('· preview');
    expect(await firstFrame()).toEqual({ theme: 'dark', background: darkBackground, staticShell: true });
  });
});
