/**
 * Steps shared by the Ask and history end-to-end tests, driven by role and label as a
 * user (or a screen reader) finds the controls.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, openApp } from './e2e-fixtures';
import type { PreviewProcess } from './preview-process';

export async function openAsk(page: Page, preview: PreviewProcess): Promise<void> {
  await openApp(page, preview);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Question' })).toBeVisible();
}

export async function chooseDataset(page: Page, name: string): Promise<void> {
  const box = page.getByRole('combobox', { name: 'Add a dataset' });
  await box.fill(name);
  await box.press('Enter');
  await expect(page.getByRole('button', { name: `Remove ${name}` })).toBeVisible();
}

export async function ask(page: Page, question: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Question' });
  await box.fill(question);
  await box.press('Enter');
}

/** Picks an action of the open conversation from its "⋯" menu. */
export async function conversationAction(page: Page, action: 'Rename' | 'Export as Markdown' | 'Delete'): Promise<void> {
  await page.getByRole('button', { name: /^Actions for “/ }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: action }).click();
}

/** The answer region of the n-th question (1-based) in the open conversation. */
export const answer = (page: Page, n: number): Locator => page.getByRole('region', { name: `Answer ${n}`, exact: true });
export const turn = (page: Page, n: number): Locator => page.getByRole('article', { name: new RegExp(`^Question ${n}:`) });

/** Waits until the n-th answer has ended, however it ended. */
export async function waitForEnd(page: Page, n: number): Promise<Locator> {
  const region = answer(page, n);
  await expect(region).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 });
  return region;
}

/** Waits until the n-th answer has ended, and checks it ended well. */
export async function waitForAnswer(page: Page, n: number): Promise<Locator> {
  const region = await waitForEnd(page, n);
  const alerts = region.getByRole('alert');
  if (await alerts.count()) throw new Error(`answer ${n} ended with an error: ${await alerts.first().innerText()}`);
  await expect(region.getByText('Stopped.')).toHaveCount(0);
  return region;
}

/** The preview's process id, found by its (unique) data dir: for a test that crashes it. */
export function previewPid(preview: PreviewProcess): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmdline.split('\0');
    const at = args.indexOf('--data-dir');
    if (at >= 0 && args[at + 1] === preview.dataDir && args.some((a) => a.endsWith('preview.js'))) return Number(entry);
  }
  throw new Error('the preview process was not found');
}
