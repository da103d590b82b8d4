/**
 * axe-core over every page and the states people spend time in, light and dark: no
 * violations of WCAG 2.2 A/AA (contrast, names, label-in-name, heading order …).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { ask, chooseDataset, waitForAnswer } from '../support/e2e-ask';
import { expect, openApp, test } from '../support/e2e-fixtures';

const PAGES = ['Connections', 'Datasets', 'Ask', 'Keys', 'Settings'] as const;

async function check(page: Page, state: string): Promise<string[]> {
  // Let transitions and lazy chunks settle, so colours are the final ones.
  await page.waitForTimeout(250);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).disableRules(['region']).analyze();
  return violations.map((v) => `${state}: ${v.id} (${v.impact}) ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n  ')}`);
}

async function go(page: Page, name: (typeof PAGES)[number]) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeAttached();
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every page before connecting, ${scheme}`, async ({ page, preview }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page, preview);
    const found: string[] = [];
    for (const name of PAGES) {
      await go(page, name);
      found.push(...(await check(page, `${name} (not connected)`)));
    }
    await go(page, 'Connections');
    found.push(...(await check(page, 'Connections, the form to connect')));
    expect(found, found.join('\n')).toEqual([]);
  });

  test(`every page connected, with an answer, the palette and dialogs, ${scheme}`, async ({ page, connected }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page, connected.preview);
    const found: string[] = [];
    for (const name of PAGES) {
      await go(page, name);
      if (name === 'Datasets') await expect(page.getByRole('grid').or(page.getByRole('table')).first()).toBeVisible();
      found.push(...(await check(page, name)));
    }
    await go(page, 'Ask');
    await chooseDataset(page, 'Travel & Expenses');
    await ask(page, 'What is the per diem for meals?');
    await waitForAnswer(page, 1);
    found.push(...(await check(page, 'Ask with an answer')));

    await page.keyboard.press('Control+k');
    await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeVisible();
    found.push(...(await check(page, 'Command palette')));
    await page.keyboard.press('Escape');

    await go(page, 'Settings');
    await page.getByRole('button', { name: 'Clear local history…' }).click();
    found.push(...(await check(page, 'Clear history dialog')));
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(found, found.join('\n')).toEqual([]);
  });
}
