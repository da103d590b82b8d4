/**
 * The local history, end to end: it survives a restart of the preview (same data dir
 * and keychain namespace), is searchable and exportable, can be renamed and deleted
 * (saying whether Gaia's copy went too), keeps an answer cut off by a crash as
 * incomplete, and keeps nothing when history is turned off.
 */
import { readFileSync } from 'node:fs';
import { startPreview, type PreviewProcess } from '../support/preview-process';
import { answer, ask, chooseDataset, conversationAction, openAsk, previewPid, waitForAnswer } from '../support/e2e-ask';
import { connectProfile, expect, openApp, test } from '../support/e2e-fixtures';

const QUESTION = 'What is the hotel limit per night in Europe?';

async function restart(preview: PreviewProcess): Promise<PreviewProcess> {
  await preview.stop();
  return startPreview({ dataDir: preview.dataDir, keychainService: preview.keychainService });
}

test('history survives a restart of the preview, and can be searched and exported', async ({ page, connected }) => {
  test.slow(); // two previews, one after the other
  const { sim } = connected;
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, QUESTION);
  await waitForAnswer(page, 1);
  await ask(page, 'When must expense reports be submitted?');
  await waitForAnswer(page, 2);

  const preview = await restart(connected.preview);
  try {
    await openAsk(page, preview);
    const list = page.getByRole('navigation', { name: 'Conversations' });
    const item = list.getByRole('button', { name: new RegExp(QUESTION.replace(/[?]/g, '\\?')) });
    await expect(item).toContainText('2 questions');
    // The composer's datasets were remembered for this profile.
    await expect(page.getByRole('button', { name: 'Remove Travel & Expenses' })).toBeVisible();
    await item.click();
    await expect(answer(page, 1).locator('.markdown')).toContainText('180 EUR per night in Europe');
    await expect(answer(page, 2).locator('.markdown')).toContainText('within 30 days');
    await expect(answer(page, 1).getByText('travel-policy.md', { exact: true })).toBeVisible();

    // Full-text search over questions and answers, accent- and case-insensitive.
    const search = list.getByRole('searchbox', { name: 'Search history' });
    await search.fill('30 DAYS');
    await expect(item).toBeVisible();
    await expect(item.locator('.conversation-match')).toContainText('30 days');
    await search.fill('zanzibar');
    await expect(list.getByRole('status')).toHaveText('Nothing in the history matches “zanzibar”.');
    await expect(item).toHaveCount(0);
    await search.fill('');
    await expect(item).toBeVisible();

    // Asking on continues the same conversation on Gaia, after the restart.
    await ask(page, 'Is business class allowed?');
    await waitForAnswer(page, 3);
    const serverId = [...sim.conversations.keys()][0];
    const asked = sim.requestLog.filter((r) => r.path.endsWith('/ask/stream')).map((r) => r.body as Record<string, unknown>);
    expect(asked.at(-1)).toMatchObject({ queryString: 'Is business class allowed?', conversationId: serverId });
    expect(sim.conversations.get(serverId)).toHaveLength(3);

    const [download] = await Promise.all([page.waitForEvent('download'), conversationAction(page, 'Export as Markdown')]);
    expect(download.suggestedFilename()).toMatch(/^What is the hotel limit per night in Europe \d{4}-\d{2}-\d{2}\.md$/);
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).toContain('# What is the hotel limit per night in Europe?');
    expect(markdown).toContain('## Question 3');
    expect(markdown).toContain('> Is business class allowed?');
    expect(markdown).toContain('180 EUR per night in Europe');
    expect(markdown).toContain('### Sources');
    expect(markdown).toContain('travel-policy.md');
    // People's words, not Gaia's raw values; the app's one score scale.
    expect(markdown).toContain('Generic NAS');
    expect(markdown).not.toContain('kGenericNas');
    expect(markdown).toMatch(/\(relevance \d{1,3}%\)/);
    expect(markdown).not.toMatch(/relevance 0\.\d/);
  } finally {
    await preview.stop();
  }
});

test('rename, and delete after confirming, saying where the conversation was deleted', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, QUESTION);
  await waitForAnswer(page, 1);
  const list = page.getByRole('navigation', { name: 'Conversations' });

  await conversationAction(page, 'Rename');
  await page.getByRole('textbox', { name: 'Conversation title' }).fill('Hotel limits');
  await page.getByRole('button', { name: 'Save title' }).click();
  await expect(page.getByRole('heading', { name: 'Hotel limits' })).toBeVisible();
  await expect(list.getByRole('button', { name: /^Hotel limits/ })).toBeVisible();

  const serverId = [...sim.conversations.keys()][0];
  await conversationAction(page, 'Delete');
  const dialog = page.getByRole('dialog', { name: 'Delete “Hotel limits”?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(list.getByRole('button', { name: /^Hotel limits/ })).toBeVisible();
  expect(sim.conversations.has(serverId)).toBe(true);

  await conversationAction(page, 'Delete');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete conversation' }).click();
  await expect(list.getByRole('status').filter({ hasText: 'Deleted' })).toHaveText('Deleted from this computer and from Gaia.');
  await expect(list.getByRole('button', { name: /^Hotel limits/ })).toHaveCount(0);
  expect(sim.conversations.has(serverId)).toBe(false);

  // A server without the delete endpoint: the local copy goes, and the app says Gaia's stays.
  await ask(page, 'When must expense reports be submitted?');
  await waitForAnswer(page, 1);
  const otherId = [...sim.conversations.keys()][0];
  sim.faults.set({ missingEndpoints: [`/conversations/${otherId}`] });
  await conversationAction(page, 'Delete');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete conversation' }).click();
  await expect(list.getByRole('status').filter({ hasText: 'Deleted' })).toContainText('Deleted from this computer only');
  await expect(list.getByRole('status').filter({ hasText: 'Deleted' })).toContainText('does not offer deleting conversations');
  expect(sim.conversations.has(otherId)).toBe(true);
  await expect(list.getByRole('button', { name: /expense reports/ })).toHaveCount(0);
});

test('the conversation list: a context menu with the same actions, and titles that tell repeated questions apart', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, QUESTION);
  await waitForAnswer(page, 1);
  await page.getByRole('button', { name: 'New conversation' }).first().click();
  await ask(page, QUESTION);
  await waitForAnswer(page, 1);
  const list = page.getByRole('navigation', { name: 'Conversations' });
  const items = list.getByRole('listitem').getByRole('button');
  await expect(items).toHaveCount(2);
  const titles = await items.locator('.conversation-title').allInnerTexts();
  expect(titles[0]).not.toBe(titles[1]);
  for (const t of titles) expect(t.startsWith(QUESTION)).toBe(true);

  // Right-click an item that is not open: rename opens it with the title box.
  const older = items.nth(1);
  await older.click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Conversation actions' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Rename', 'Export as Markdown', 'Delete']);
  await menu.getByRole('menuitem', { name: 'Rename' }).click();
  await page.getByRole('textbox', { name: 'Conversation title' }).fill('The first one');
  await page.getByRole('textbox', { name: 'Conversation title' }).press('Enter');
  await expect(page.getByRole('heading', { name: 'The first one' })).toBeVisible();
  await expect(list.getByRole('button', { name: /^The first one/ })).toHaveAttribute('aria-current', 'true');
  // Now unique, the other title loses its date.
  await expect(list.locator('.conversation-title').filter({ hasText: QUESTION })).toHaveText(QUESTION);

  // Export from the context menu, without opening.
  const other = list.getByRole('button', { name: new RegExp(`^${QUESTION.replace('?', '\\?')}`) });
  await other.click({ button: 'right' });
  const [download] = await Promise.all([page.waitForEvent('download'), menu.getByRole('menuitem', { name: 'Export as Markdown' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^What is the hotel limit per night in Europe \d{4}-\d{2}-\d{2}\.md$/);
  await expect(page.getByRole('heading', { name: 'The first one' })).toBeVisible();

  // Delete from the context menu asks first, naming the conversation.
  await other.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete “${QUESTION}”?` });
  await dialog.getByRole('button', { name: 'Delete conversation' }).click();
  await expect(list.getByRole('status').filter({ hasText: 'Deleted' })).toBeVisible();
  await expect(items).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'The first one' })).toBeVisible();
});

test('an answer cut off by a crash is still in the history, marked incomplete', async ({ page, sim }) => {
  test.skip(process.platform !== 'linux', 'finds the preview process through /proc');
  test.slow(); // two previews, one after the other
  // Its own preview: this one is killed, so the fixture's graceful stop does not apply.
  const crashing = await startPreview();
  await connectProfile(crashing, sim);
  sim.faults.set({ streamDelayMs: 500 });
  await openAsk(page, crashing);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, QUESTION);
  await expect(answer(page, 1).locator('.markdown')).not.toBeEmpty({ timeout: 30_000 });
  const seen = await answer(page, 1).locator('.markdown').innerText();
  await page.waitForTimeout(800); // at least one throttled write after that text
  process.kill(previewPid(crashing), 'SIGKILL');

  const preview = await startPreview({ dataDir: crashing.dataDir, keychainService: crashing.keychainService });
  try {
    sim.faults.clear();
    await openAsk(page, preview);
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /hotel limit/ }).click();
    const first = answer(page, 1);
    await expect(first.getByText('Incomplete.')).toBeVisible();
    const stored = await first.locator('.markdown').innerText();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.startsWith(seen.trim().slice(0, 20))).toBe(true);
    await first.getByRole('button', { name: 'Retry' }).click();
    await expect(answer(page, 2).locator('.markdown')).toContainText('180 EUR', { timeout: 20_000 });
  } finally {
    await preview.stop();
  }
});

test('with history off, conversations last only until the app quits', async ({ page, connected }) => {
  test.slow(); // two previews, one after the other
  await openApp(page, connected.preview);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const keep = page.getByRole('switch', { name: 'Keep a local history of questions and answers' });
  await expect(keep).toBeChecked();
  await keep.click(); // a controlled box: it changes once main has saved the setting
  await expect(keep).not.toBeChecked();
  await openAsk(page, connected.preview);
  const list = page.getByRole('navigation', { name: 'Conversations' });
  await expect(list.getByText(/History is off/)).toBeVisible();
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, QUESTION);
  await waitForAnswer(page, 1);
  await expect(list.getByRole('button', { name: /hotel limit/ })).toBeVisible();

  const preview = await restart(connected.preview);
  try {
    await openAsk(page, preview);
    await expect(list.getByText('No conversations yet. Ask a question to start one.')).toBeVisible();
  } finally {
    await preview.stop();
  }
});
