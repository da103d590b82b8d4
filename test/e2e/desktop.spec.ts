/**
 * The desktop shell as a keyboard user meets it: the command palette, the shortcuts,
 * focus after navigation, the skip link, narrow and wide windows, Settings' sections.
 */
import { expect, openApp, test } from '../support/e2e-fixtures';

const nav = (page: import('@playwright/test').Page) => page.getByRole('navigation', { name: 'Main' });

test('focus moves to the page heading after navigation, by click, shortcut and palette', async ({ page, preview }) => {
  await openApp(page, preview);
  await nav(page).getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeFocused();
  await page.keyboard.press('Control+4');
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeFocused();
  await page.keyboard.press('Control+,');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeFocused();
  await expect(nav(page).getByRole('button', { name: 'Settings', exact: true })).toHaveAttribute('aria-current', 'page');
});

test('the skip link is the first Tab stop and lands on the page', async ({ page, preview }) => {
  await openApp(page, preview);
  // Content to skip to: the page has drawn its heading (a loaded machine can be slower than the first Tab).
  await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeFocused();
});

test('the command palette opens with Ctrl+K, finds pages and connections, and returns focus on Escape', async ({ page, connected }) => {
  await openApp(page, connected.preview);
  const button = nav(page).getByRole('button', { name: /Commands/ });
  await button.focus();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  const input = palette.getByRole('combobox', { name: 'Command palette' });
  await expect(input).toBeFocused();
  await expect(palette.getByRole('option', { name: /^Demo \(local simulator\)\s*Active$/ })).toBeVisible();
  await input.fill('keys');
  await expect(palette.getByRole('option', { name: /Go to Keys/ })).toBeVisible();
  // What starts with the typed text comes first, not whatever holds its letters in order ("Go to Settings" for "sett", never "Connections").
  await input.fill('conn');
  await expect(palette.getByRole('option').first()).toHaveText(/Go to Connections/);
  await input.fill('demo');
  await expect(palette.getByRole('option').first()).toHaveText(/^Demo \(local simulator\)/);
  await expect(palette.getByRole('option', { name: /Settings/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(button).toBeFocused();

  // Choosing a page goes there, with focus on its heading.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Command palette' }).fill('settings');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeFocused();

  // The button opens it too; Tab stays inside the dialog.
  await button.click();
  await expect(palette).toBeVisible();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  expect(await palette.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
});

test('Ctrl+N opens Ask for a new conversation, in the question box; the palette offers the same', async ({ page, connected }) => {
  await openApp(page, connected.preview);
  await page.keyboard.press('Control+n');
  await expect(page.getByRole('textbox', { name: 'Question' })).toBeFocused();
  await page.keyboard.press('Control+1');
  await page.keyboard.press('Control+k');
  await page.getByRole('option', { name: /New conversation/ }).click();
  await expect(page.getByRole('textbox', { name: 'Question' })).toBeFocused();
});

test('Settings: sections with a contents list, About with versions and folders, clearing the history asks first', async ({ page, connected }) => {
  await openApp(page, connected.preview);
  await page.keyboard.press('Control+,');
  const toc = page.getByRole('navigation', { name: 'Settings sections' });
  for (const name of ['Appearance', 'History', 'Keys', 'System', 'Support', 'About']) {
    await expect(page.getByRole('region', { name })).toBeVisible();
    await expect(toc.getByRole('link', { name })).toBeVisible();
  }
  // The contents list marks the section being read, at the top and after a jump.
  await expect(toc.getByRole('link', { name: 'Appearance' })).toHaveAttribute('aria-current', 'location');
  await toc.getByRole('link', { name: 'About' }).click();
  await expect(toc.getByRole('link', { name: 'About' })).toHaveAttribute('aria-current', 'location');
  await expect(toc.getByRole('link', { name: 'Appearance' })).not.toHaveAttribute('aria-current', 'location');
  const about = page.getByRole('region', { name: 'About' });
  await expect(about.getByText(/^Gaia Desktop \d+\.\d+\.\d+$/)).toBeVisible();
  await expect(about.getByText('Node')).toBeVisible();
  await expect(about.getByText('Electron')).toBeVisible();
  await expect(about.getByText(connected.preview.dataDir, { exact: true })).toBeVisible();
  await about.getByRole('button', { name: 'Open log folder' }).click();
  await expect(about.getByRole('status')).toContainText('cannot open folders');
  // The preview cannot be opened at login: the switch says so rather than seem to work.
  const system = page.getByRole('region', { name: 'System' });
  await expect(system).toContainText('Only the installed app can open at login');
  await expect(system.getByRole('switch', { name: 'Open Gaia Desktop when I log in' })).toBeDisabled();

  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  const history = page.getByRole('region', { name: 'History' });
  await history.getByRole('button', { name: 'Clear local history…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Clear the local history?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Clear history' }).click();
  await expect(history.getByRole('status')).toHaveText('Deleted 0 conversations from this computer.');
});

for (const width of [900, 1920]) {
  test(`a ${width} px window: the rail ${width < 1000 ? 'shows icons with tooltips' : 'shows labels'}, content is centred`, async ({ page, connected }) => {
    await page.setViewportSize({ width, height: 800 });
    await openApp(page, connected.preview);
    const item = nav(page).getByRole('button', { name: 'Datasets', exact: true });
    const railWidth = await nav(page).evaluate((el) => el.getBoundingClientRect().width);
    if (width < 1000) {
      expect(railWidth).toBeLessThan(80);
      await item.hover();
      await expect(page.getByRole('tooltip', { name: /Datasets/ })).toBeVisible();
    } else {
      expect(railWidth).toBeGreaterThan(150);
      await expect(item.getByText('Datasets')).toBeVisible();
    }
    // The page column is centred in what is left of the window, and not wider than the window.
    const frame = await page.locator('.page-frame').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, scroll: document.documentElement.scrollWidth };
    });
    expect(frame.scroll).toBeLessThanOrEqual(width);
    expect(Math.abs(frame.left - railWidth - (width - frame.right))).toBeLessThan(24);
  });
}
