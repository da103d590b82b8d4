/**
 * Where pages sit, at the window widths people use (900 px: the icon rail; 1280; 1920):
 * each page's column is centred in what the rail leaves; the form pages share one column,
 * so switching among them never moves the title; and where the window is narrower than
 * every column, all pages start at the same place (Ask has no visible title: its first
 * control is held to that line).
 */
import type { Page } from '@playwright/test';
import { expect, openApp, test } from '../support/e2e-fixtures';

const PAGES = ['Connections', 'Datasets', 'Keys', 'Settings'] as const;

async function go(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
}

async function titleBox(page: Page, name: string) {
  const heading = page.getByRole('heading', { name, level: 1, exact: true });
  await expect(heading).toBeVisible();
  // The title's text, not its box: a title in a row with buttons may be a wider box.
  return heading.evaluate((h) => {
    const range = document.createRange();
    range.selectNodeContents(h);
    const r = range.getBoundingClientRect();
    return { x: Math.round(r.x), y: Math.round(r.y) };
  });
}

for (const width of [900, 1280, 1920]) {
  test(`at ${width} px the form pages put their title at the same place, and every page is centred`, async ({ page, connected }) => {
    await page.setViewportSize({ width, height: width === 1920 ? 1080 : 800 });
    await openApp(page, connected.preview);
    const boxes: Record<string, { x: number; y: number }> = {};
    for (const name of PAGES) {
      await go(page, name);
      boxes[name] = await titleBox(page, name);
      // Centred in what the rail leaves: as much room on the left of the page's column as on its right.
      const frame = await page.locator('.page-frame').evaluate((el) => {
        const r = el.getBoundingClientRect();
        const area = el.parentElement!.getBoundingClientRect();
        return { left: r.left - area.left, right: area.right - r.right };
      });
      expect.soft(Math.abs(frame.left - frame.right), `${name} centred`).toBeLessThan(24);
    }
    // Connections, Keys and Settings share one column: switching among them never moves the title.
    for (const name of ['Keys', 'Settings'] as const) expect.soft(boxes[name], name).toEqual(boxes.Connections);
    // Where the window is narrower than any page's column (900 px), every page starts at the same place, Ask included.
    if (width === 900) {
      // (Within a few pixels: the form column is about as wide as what the rail leaves at 900 px.)
      expect.soft(Math.abs(boxes.Datasets.x - boxes.Connections.x), 'Datasets').toBeLessThanOrEqual(4);
      await go(page, 'Ask');
      const first = page.getByRole('button', { name: 'Show conversations' });
      await expect(first).toBeVisible();
      expect(Math.abs(Math.round((await first.boundingBox())!.x) - boxes.Connections.x)).toBeLessThanOrEqual(4);
    }
  });
}

test('not connected, a page says so in a box no wider than a form page', async ({ page, preview }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openApp(page, preview);
  await go(page, 'Ask');
  const empty = (await page.getByRole('region', { name: 'Connect to Gaia first' }).boundingBox())!;
  expect(empty.width).toBeLessThanOrEqual(60 * 14);
});

test('not connected, Datasets and Ask put their title where Connections does', async ({ page, preview }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openApp(page, preview);
  await go(page, 'Connections');
  const connections = await titleBox(page, 'Connections');
  for (const name of ['Datasets', 'Ask'] as const) {
    await go(page, name);
    expect.soft(await titleBox(page, name), name).toEqual(connections);
  }
});

for (const width of [900, 1280, 1920]) {
  test(`at ${width} px every control of the Datasets toolbar is one height`, async ({ page, connected }) => {
    await page.setViewportSize({ width, height: width === 1920 ? 1080 : 800 });
    await openApp(page, connected.preview);
    await go(page, 'Datasets');
    // A selection shows the toolbar's own buttons (Clear selection, Ask these).
    await page.getByRole('row', { name: /Engineering Wiki/ }).getByRole('checkbox').check();
    const controls = [
      page.getByRole('searchbox', { name: 'Search datasets by name' }),
      page.getByRole('combobox', { name: 'Filter by indexing health' }),
      page.locator('label', { has: page.getByRole('checkbox', { name: 'Search in Gaia directly' }) }),
      page.getByRole('button', { name: 'Refresh', exact: true }),
      page.getByRole('button', { name: 'Clear selection' }),
      page.getByRole('button', { name: /^Ask these/ }),
    ];
    const heights: number[] = [];
    for (const control of controls) heights.push((await control.boundingBox())!.height);
    expect(Math.max(...heights) - Math.min(...heights), heights.join(', ')).toBeLessThan(1);
    // In one row, the toolbar's controls share a centre line.
    const toolbar = controls.slice(0, 3);
    const centres: number[] = [];
    for (const control of toolbar) {
      const b = (await control.boundingBox())!;
      centres.push(b.y + b.height / 2);
    }
    if (width >= 1280) expect(Math.max(...centres) - Math.min(...centres), centres.join(', ')).toBeLessThan(1);
  });
}
