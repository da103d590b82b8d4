/**
 * The shell's commands as the pages answer them: Ctrl/Cmd+F searches the page in view,
 * Ctrl/Cmd+N starts a conversation from anywhere with the question box focused, the
 * and the palette opens a conversation and a dataset. (Notifications for long work are
 * main's own: test/integration/long-work-notices.test.ts.)
 */
import type { Page } from '@playwright/test';
import { ask, chooseDataset, openAsk, waitForAnswer } from '../support/e2e-ask';
import { expect, test } from '../support/e2e-fixtures';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const question = (page: Page) => page.getByRole('textbox', { name: 'Question' });
const palette = (page: Page) => page.getByRole('dialog', { name: 'Command palette' });
const historySearch = (page: Page) => page.getByRole('searchbox', { name: 'Search history' });
const datasetSearch = (page: Page) => page.getByRole('searchbox', { name: 'Search datasets by name' });
const datasetRow = (page: Page, name: string) =>
  page.getByRole('grid', { name: 'Datasets' }).getByRole('row').filter({ has: page.getByText(name, { exact: true }) });

async function goDatasets(page: Page): Promise<void> {
  await nav(page).getByRole('button', { name: 'Datasets', exact: true }).click();
  await expect(datasetSearch(page)).toBeVisible();
}

async function choose(page: Page, text: string, option: RegExp): Promise<void> {
  await page.keyboard.press('Control+k');
  await palette(page).getByRole('combobox', { name: 'Command palette' }).fill(text);
  await palette(page).getByRole('option', { name: option }).click();
  await expect(palette(page)).toBeHidden();
}

/** Focus that a later frame (the shell's heading focus after navigation) would take away fails here. */
async function staysFocused(page: Page, locator: ReturnType<Page['getByRole']>): Promise<void> {
  await expect(locator).toBeFocused();
  await page.waitForTimeout(300);
  await expect(locator).toBeFocused();
}

test('Ctrl+F focuses the search of the page in view: the history on Ask (opening a hidden list), the names on Datasets', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await question(page).focus();
  await page.keyboard.press('Control+f');
  await expect(historySearch(page)).toBeFocused();

  // With the list hidden, Ctrl+F shows it and lands in its search.
  await page.getByRole('button', { name: 'Hide conversations' }).click();
  await expect(historySearch(page)).toBeHidden();
  await question(page).focus();
  await page.keyboard.press('Control+f');
  await expect(historySearch(page)).toBeFocused();

  await goDatasets(page);
  await page.keyboard.press('Control+f');
  await expect(datasetSearch(page)).toBeFocused();
  await page.keyboard.type('travel');
  await expect(datasetSearch(page)).toHaveValue('travel');
});

test('Ctrl+N from Datasets opens a new conversation with the question box focused, over the conversation last open', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the per diem for Berlin?');
  await waitForAnswer(page, 1);
  await goDatasets(page);
  await page.keyboard.press('Control+n');
  await staysFocused(page, question(page));
  // A new conversation, not the one that was open before Datasets.
  await expect(page.getByRole('region', { name: 'New conversation' })).toBeVisible();
  await expect(page.getByRole('article', { name: /^Question 1:/ })).toHaveCount(0);

  // On Ask itself, the same.
  await historySearch(page).focus();
  await page.keyboard.press('Control+n');
  await staysFocused(page, question(page));
});

// FIXME(merge of #15's shell and Ask redesigns with #14/#15 commands): fails on the merged build; named in the issue notes.
test('the palette opens a conversation (over the one last open) and a dataset (past a search that hides it)', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the per diem for Berlin?');
  await waitForAnswer(page, 1);
  await page.keyboard.press('Control+n');
  await ask(page, 'When must expense reports be submitted?');
  await waitForAnswer(page, 1);
  const list = page.getByRole('navigation', { name: 'Conversations' });
  await expect(list.getByRole('button', { name: /per diem/ })).toBeVisible();

  // From another page: Ask opens on the chosen conversation, not the one it would restore.
  await goDatasets(page);
  await choose(page, 'per diem', /per diem/);
  const opened = page.getByRole('region', { name: /^Conversation: / });
  await expect(opened.getByRole('article', { name: /^Question 1:/ })).toContainText('What is the per diem for Berlin?');
  await expect(list.getByRole('button', { name: /per diem/ })).toHaveAttribute('aria-current', 'true');
  // From Ask itself.
  await choose(page, 'expense reports', /expense reports/);
  await expect(opened.getByRole('article', { name: /^Question 1:/ })).toContainText('When must expense reports be submitted?');

  // A dataset: selected, with its details, even when the search there would hide it.
  await goDatasets(page);
  await datasetSearch(page).fill('legal');
  await expect(datasetRow(page, 'Travel & Expenses')).toHaveCount(0);
  await nav(page).getByRole('button', { name: 'Ask', exact: true }).click();
  await choose(page, 'Travel', /^Travel & Expenses$/);
  await expect(page.getByRole('heading', { name: 'Datasets', level: 1 })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Travel & Expenses' })).toBeVisible();
  await expect(datasetSearch(page)).toHaveValue('');
  await expect(datasetRow(page, 'Travel & Expenses')).toHaveAttribute('aria-selected', 'true');
  await expect(datasetRow(page, 'Travel & Expenses')).toBeInViewport();
  await expect(page.getByRole('status').filter({ hasText: /1 selected/ })).toBeVisible();

  // And from Datasets itself, another one.
  await choose(page, 'Legal', /^Legal/);
  await expect(page.getByRole('complementary', { name: /^Legal/ })).toBeVisible();
  await expect(datasetRow(page, 'Travel & Expenses')).toHaveAttribute('aria-selected', 'false');
});
