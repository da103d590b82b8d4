/**
 * The README's screenshots, from the preview against the simulator, at 1280 × 800 in light
 * and dark: `npx playwright test --project=screens` (build first), written to docs/.
 */
import { ask, chooseDataset, waitForAnswer } from '../support/e2e-ask';
import { expect, openApp, test } from '../support/e2e-fixtures';

for (const scheme of ['light', 'dark'] as const) {
  test(`README screenshots, ${scheme}`, async ({ page, connected }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await openApp(page, connected.preview);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const suffix = scheme === 'light' ? '' : '-dark';

    await nav.getByRole('button', { name: 'Ask', exact: true }).click();
    await chooseDataset(page, 'Travel & Expenses');
    await ask(page, 'What is the per diem for meals when travelling abroad?');
    await waitForAnswer(page, 1);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `docs/screenshot${suffix}.png` });

    if (scheme === 'light') {
      await nav.getByRole('button', { name: 'Datasets', exact: true }).click();
      // A dataset whose topics are in English: this machine's fonts may lack CJK glyphs.
      const row = page.getByRole('row', { name: /Engineering Wiki/ });
      await expect(row).toBeVisible();
      await row.click();
      await page.waitForTimeout(800);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: 'docs/datasets.png' });
    }
  });
}
