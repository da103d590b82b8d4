/**
 * The app reopens where its user left it: the page, the conversation open on Ask and the
 * question typed but not sent, with the composer focused when a connection is active —
 * across a restart of the preview (same data dir and keychain namespace).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startPreview, type PreviewProcess } from '../support/preview-process';
import { answer, ask, chooseDataset, openAsk, waitForAnswer } from '../support/e2e-ask';
import { callCore, expect, openApp, test } from '../support/e2e-fixtures';

const restart = async (preview: PreviewProcess) => {
  await preview.stop();
  return startPreview({ dataDir: preview.dataDir, keychainService: preview.keychainService });
};
const nav = (page: import('@playwright/test').Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });

test('reopens on the page, conversation and unsent question it was left with, the composer focused', async ({ page, connected }) => {
  test.slow(); // two previews, one after the other
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  await waitForAnswer(page, 1);
  const draft = page.getByRole('textbox', { name: 'Question' });
  await draft.fill('And in Asia');
  // The draft is saved shortly after typing stops.
  await expect.poll(() => readFileSync(path.join(connected.preview.dataDir, 'settings.json'), 'utf8')).toContain('And in Asia');
  // The user's own words stay out of a support ticket.
  const diagnostics = (await callCore(connected.preview, 'gaia:app.diagnostics', {})).value as { text: string };
  expect(diagnostics.text).toContain('Settings: {');
  expect(diagnostics.text).not.toContain('And in Asia');

  const preview = await restart(connected.preview);
  try {
    await openApp(page, preview);
    await expect(nav(page, 'Ask')).toHaveAttribute('aria-current', 'page');
    await expect(answer(page, 1).locator('.markdown')).toContainText('180 EUR per night in Europe');
    await expect(page.getByRole('textbox', { name: 'Question' })).toHaveValue('And in Asia');
    await expect(page.getByRole('textbox', { name: 'Question' })).toBeFocused();

    // Another page, left there: the next start opens on it.
    await nav(page, 'Datasets').click();
    await expect(nav(page, 'Datasets')).toHaveAttribute('aria-current', 'page');
    await expect.poll(async () => ((await callCore(preview, 'gaia:settings.get', {})).value as { resume: { page: string } }).resume.page).toBe('datasets');
    await page.reload();
    await expect(nav(page, 'Datasets')).toHaveAttribute('aria-current', 'page');
  } finally {
    await preview.stop();
  }
});

test('a new start opens on Connections; with local history off, nothing typed is kept', async ({ page, connected }) => {
  await openApp(page, connected.preview);
  await expect(nav(page, 'Connections')).toHaveAttribute('aria-current', 'page');
  expect((await callCore(connected.preview, 'gaia:settings.update', { keepHistory: false })).ok).toBe(true);
  await nav(page, 'Ask').click();
  await page.getByRole('textbox', { name: 'Question' }).fill('a private thought');
  await page.waitForTimeout(800);
  const saved = readFileSync(path.join(connected.preview.dataDir, 'settings.json'), 'utf8');
  expect(saved).toContain('"page": "ask"');
  expect(saved).not.toContain('a private thought');
});
