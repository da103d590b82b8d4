/**
 * Every page starts at the same place: switching pages from the rail never moves the
 * title, at the window widths people use (900 px: the icon rail; 1280; 1920, where a
 * centred column would put each page's title somewhere else). Ask has no visible page
 * title (its conversation list and transcript are the page), so its first column is held
 * to the same line.
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
  test(`at ${width} px every page's title starts at the same place`, async ({ page, connected }) => {
    await page.setViewportSize({ width, height: width === 1920 ? 1080 : 800 });
    await openApp(page, connected.preview);
    const boxes: Record<string, { x: number; y: number }> = {};
    for (const name of PAGES) {
      await go(page, name);
      boxes[name] = await titleBox(page, name);
    }
    for (const name of PAGES) expect.soft(boxes[name], name).toEqual(boxes.Connections);

    await go(page, 'Ask');
    // Ask's first column: the conversation list beside the transcript, or (narrow) the transcript's header.
    const first = width > 1000 ? page.getByRole('button', { name: 'New conversation' }).first() : page.getByRole('button', { name: 'Show conversations' });
    await expect(first).toBeVisible();
    const askX = Math.round((await first.boundingBox())!.x);
    expect(Math.abs(askX - boxes.Connections.x)).toBeLessThanOrEqual(2);
  });
}

test('not connected, Ask and Datasets put their title where the other pages do', async ({ page, preview }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openApp(page, preview);
  await go(page, 'Connections');
  const reference = await titleBox(page, 'Connections');
  for (const name of ['Ask', 'Datasets', 'Keys', 'Settings']) {
    await go(page, name);
    expect.soft(await titleBox(page, name), name).toEqual(reference);
  }
  // A page's empty state is no wider than a form page, even on the wide pages.
  await go(page, 'Ask');
  const empty = (await page.getByRole('region', { name: 'Connect to Gaia first' }).boundingBox())!;
  expect(empty.width).toBeLessThanOrEqual(60 * 14);
});
