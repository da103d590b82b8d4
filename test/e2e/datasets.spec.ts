/**
 * Browse datasets, end to end: the real renderer in Chromium, the real core in the
 * preview, the simulator as Gaia. Driven by role and label, as a user (or a screen
 * reader) finds things.
 */
import type { Locator, Page } from '@playwright/test';
import { startPreview } from '../support/preview-process';
import { callCore, expect, openApp, test } from '../support/e2e-fixtures';

// Each test starts its own preview and simulator; on a busy machine that alone takes a while.
test.describe.configure({ timeout: 120_000 });

const grid = (page: Page) => page.getByRole('grid', { name: 'Datasets' });
/** Data rows only (the header row holds column headers, not cells). */
const dataRows = (page: Page) => grid(page).getByRole('row').filter({ has: page.getByRole('gridcell') });
const row = (page: Page, name: string) => dataRows(page).filter({ has: page.getByText(name, { exact: true }) });
const search = (page: Page) => page.getByRole('searchbox', { name: 'Search datasets by name' });
const details = (page: Page, name: string) => page.getByRole('complementary', { name });

async function openDatasets(page: Page, preview: Parameters<typeof openApp>[1]): Promise<void> {
  await openApp(page, preview);
  await page.getByRole('button', { name: 'Datasets', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Datasets', level: 1 })).toBeVisible();
}

async function namesShown(page: Page): Promise<string[]> {
  return dataRows(page).locator('.ds-name').allTextContents();
}

/** The Ask page opened (its heading), whether or not it is fully built yet. */
async function expectAskOpened(page: Page, question?: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Ask', level: 1 })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Ask', exact: true })).toHaveAttribute('aria-current', 'page');
  // A suggested question is asked at once: it shows as the conversation's first question.
  if (question && (await page.getByRole('textbox', { name: 'Question' }).count()) > 0) {
    await expect(page.getByRole('article', { name: /^Question 1:/ }).locator('.question-text')).toHaveText(question);
  }
}

async function cellNumbers(rows: Locator, column: number, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const text = await rows.nth(i).getByRole('gridcell').nth(column).textContent();
    out.push(Number((text ?? '').replace(/[^\d]/g, '')));
  }
  return out;
}

test.describe('demo corpus', () => {
  test('lists every dataset with its numbers, health, progress and last indexed time', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await expect(page.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();
    await expect(row(page, 'Finance Reports')).toContainText('Healthy');
    await expect(row(page, 'Incident Postmortems')).toContainText('Warning');
    await expect(row(page, 'Données clients (FR)')).toContainText('Not indexed yet');
    await expect(row(page, 'Données clients (FR)')).toContainText('Never');
    // Rows further down are rendered as they scroll into view.
    await grid(page).focus();
    await page.keyboard.press('End');
    await expect(row(page, '財務 レポート')).toBeVisible();
    await expect(row(page, 'Sales – APAC')).toContainText('Failed');
    await page.keyboard.press('Home');
    // Indexing shows a progress bar with its value.
    const hr = row(page, 'HR Policies');
    await expect(hr).toContainText('Indexing');
    await expect(hr.getByRole('progressbar', { name: 'Indexing progress of HR Policies' })).toHaveAttribute('aria-valuenow', /^\d+$/);
    // Last indexed: relative in the cell, the exact local time on hover.
    const time = row(page, 'Finance Reports').locator('time');
    await expect(time).toHaveText(/ago$/);
    await expect(time).toHaveAttribute('title', /\d{4}/);
    // Column headers say how the table is sorted.
    await expect(page.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
    expect((await namesShown(page)).slice(0, 3)).toEqual(['Backups & Retention', 'Board Minutes 2023', 'Board Minutes 2024']);
  });

  test('search as you type: any part of the name, accents and case ignored, CJK too', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await search(page).fill('office');
    await expect.poll(() => namesShown(page)).toEqual(['München Office', 'Tokyo 東京 Office']);
    await expect(page.getByRole('status').filter({ hasText: 'Showing 2 of 36 datasets' })).toBeVisible();
    await search(page).fill('MUNCHEN');
    await expect.poll(() => namesShown(page)).toEqual(['München Office']);
    await search(page).fill('東京');
    await expect.poll(() => namesShown(page)).toEqual(['Tokyo 東京 Office']);
    await search(page).fill('zzz no such dataset');
    await expect(page.getByRole('heading', { name: 'No datasets match' })).toBeVisible();
    await page.getByRole('button', { name: 'Clear search and filter' }).click();
    await expect(dataRows(page).first()).toBeVisible();
    await expect(search(page)).toHaveValue('');
  });

  test('a search that narrows the list and one that widens it again reuse the same rows; with no match the grid and its header stay', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await expect(dataRows(page).first()).toBeVisible();
    // Each row element on screen is marked; a row built anew would not carry the mark.
    const markRows = () => grid(page).evaluate((el) => el.querySelectorAll('[role="row"]:not([aria-rowindex="1"])').forEach((r, i) => void Object.assign(r, { gaiaMark: i })));
    const unmarkedShown = () => grid(page).evaluate((el) => [...el.querySelectorAll('[role="row"]:not([hidden]):not([aria-rowindex="1"])')].filter((r) => !('gaiaMark' in r)).length);
    await markRows();
    const shownBefore = await dataRows(page).count();
    await search(page).fill('office');
    await expect.poll(() => namesShown(page)).toEqual(['München Office', 'Tokyo 東京 Office']);
    // The rows past the two matches are out of sight and out of the accessibility tree.
    expect(await dataRows(page).count()).toBe(2);
    await search(page).fill('zzz no such dataset');
    await expect(page.getByRole('heading', { name: 'No datasets match' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: /Name/ })).toBeVisible();
    expect(await dataRows(page).count()).toBe(0);
    await search(page).fill('');
    await expect(page.getByRole('heading', { name: 'No datasets match' })).toHaveCount(0);
    await expect.poll(() => dataRows(page).count()).toBe(shownBefore);
    expect(await unmarkedShown()).toBe(0);
    expect((await namesShown(page)).slice(0, 2)).toEqual(['Backups & Retention', 'Board Minutes 2023']);
  });

  test('filter by indexing health', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    const filter = page.getByRole('combobox', { name: 'Filter by indexing health' });
    await filter.selectOption('failed');
    await expect.poll(() => namesShown(page)).toEqual(['Lab Results 100%', 'Sales – APAC']);
    await filter.selectOption('indexing');
    await expect.poll(() => namesShown(page)).toEqual(['Board Minutes 2024', 'HR Policies', 'M365 Mailboxes']);
    // With a search as well.
    await search(page).fill('board');
    await expect.poll(() => namesShown(page)).toEqual(['Board Minutes 2024']);
    await filter.selectOption('all');
    await expect.poll(() => namesShown(page)).toEqual(['Board Minutes 2023', 'Board Minutes 2024']);
  });

  test('typing on never shows the rows prepared for an earlier filter, sort or list', async ({ page, connected }) => {
    // While the page is idle after a keystroke, the answers to the next one are prepared
    // (useNextKeystroke); each step changes what they were prepared for and types at once.
    await openDatasets(page, connected.preview);
    const idle = () => page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => requestIdleCallback(() => resolve()))));
    // Back in the search field (the filter, the header or Refresh had the focus), typed at the end.
    const typeOn = async (key: string) => {
      await search(page).press('End');
      await search(page).press(key);
    };
    // The name cell of each shown row, by role.
    const shown = () => dataRows(page).evaluateAll((rows) => rows.map((r) => r.querySelectorAll('[role="gridcell"]')[1]?.textContent ?? ''));
    await search(page).pressSequentially('o');
    await expect(page.getByRole('status').filter({ hasText: /^Showing \d+ of 36 datasets$/ })).toBeVisible();
    await idle();
    // Prepared for "o" in every health; now only "indexing", and the next keystroke.
    await page.getByRole('combobox', { name: 'Filter by indexing health' }).selectOption('indexing');
    await typeOn('a');
    await expect.poll(shown).toEqual(['Board Minutes 2024']);
    await page.getByRole('combobox', { name: 'Filter by indexing health' }).selectOption('all');
    await expect.poll(shown).toEqual(['Board Minutes 2023', 'Board Minutes 2024']);
    await idle();
    // Prepared for "oa" by name, A→Z; now Z→A, and the next keystroke.
    await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
    await typeOn('r');
    await expect.poll(shown).toEqual(['Board Minutes 2024', 'Board Minutes 2023']);
    await idle();
    // Prepared for "oar" in this list; the list is fetched again, then the next keystroke.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
    await typeOn('d');
    await expect.poll(shown).toEqual(['Board Minutes 2024', 'Board Minutes 2023']);
    for (let i = 0; i < 3; i++) await typeOn('Backspace');
    await idle();
    await typeOn('f');
    await expect.poll(shown).toEqual(['Tokyo 東京 Office', 'München Office']);
    await expect(page.getByRole('status').filter({ hasText: 'Showing 2 of 36 datasets' })).toBeVisible();
  });

  test('sort by name, objects and last indexed from the column headers', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    const name = page.getByRole('columnheader', { name: /Name/ });
    const objects = page.getByRole('columnheader', { name: /Objects/ });
    const last = page.getByRole('columnheader', { name: /Last indexed/ });

    await objects.getByRole('button').click();
    await expect(objects).toHaveAttribute('aria-sort', 'descending');
    await expect(name).toHaveAttribute('aria-sort', 'none');
    let numbers = await cellNumbers(dataRows(page), 2, 8);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

    await objects.getByRole('button').click();
    await expect(objects).toHaveAttribute('aria-sort', 'ascending');
    numbers = await cellNumbers(dataRows(page), 2, 8);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));

    await last.getByRole('button').click();
    await expect(last).toHaveAttribute('aria-sort', 'descending');
    // Newest first: the first rows were indexed within hours, and never-indexed ones are last.
    await expect(dataRows(page).first().locator('time')).toHaveText(/(\d+m|\d+h) ago|now/);
    await grid(page).focus();
    await page.keyboard.press('End');
    await expect(dataRows(page).last()).toContainText('Never');

    await name.getByRole('button').click();
    await expect(name).toHaveAttribute('aria-sort', 'ascending');
    await name.getByRole('button').click();
    await expect(name).toHaveAttribute('aria-sort', 'descending');
    await grid(page).focus();
    await page.keyboard.press('Home');
    await expect(dataRows(page).first()).toContainText('財務 レポート');
  });

  test('details: indexing window, last run, health, stats, data sources and protected objects; a dataset still indexing says so', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await row(page, 'Legal/Contracts 2024').click();
    const pane = details(page, 'Legal/Contracts 2024');
    await expect(pane.getByRole('heading', { name: 'Legal/Contracts 2024', level: 2 })).toBeVisible();
    const indexing = pane.getByRole('region', { name: 'Indexing' });
    await expect(indexing).toContainText('Window');
    await expect(indexing).toContainText('Last run started');
    await expect(indexing).toContainText('Last run ended');
    await expect(indexing.getByRole('definition').filter({ hasText: /\d{4}/ }).first()).toBeVisible();
    // Times as people read them: how long ago, then the minute (its zone on hover); never seconds, never a parenthesis.
    const started = indexing.getByRole('definition').filter({ has: page.locator('time') }).first();
    await expect(started).toHaveText(/^(\d+ \w+ ago|just now)\s*\S.*\d{4}.*\d:\d\d/);
    await expect(started.locator('time')).toHaveAttribute('title', /\d{4}/);
    for (const dates of [indexing, pane.getByLabel('Summary')]) await expect(dates).not.toContainText(/\d:\d\d:\d\d|[()]/);
    await expect(pane.getByLabel('Run stats')).toContainText('Documents indexed');
    await expect(pane.getByRole('region', { name: 'Data sources' })).toContainText(/NAS share|Microsoft 365/);
    await expect(pane.getByRole('region', { name: 'Protected objects' })).toContainText('Legal/Contracts 2024 share 1');
    await expect(pane.getByLabel('Tenant stats')).toContainText('Datasets');
    await expect(pane.getByText('Still indexing')).toHaveCount(0);

    await row(page, 'HR Policies').click();
    const hr = details(page, 'HR Policies');
    await expect(hr.getByRole('note')).toContainText(/Still indexing — \d+% done/);
    await expect(hr.getByRole('region', { name: 'Indexing' })).toContainText('Still running');

    await hr.getByRole('button', { name: 'Close details' }).click();
    await expect(hr).toHaveCount(0);
  });

  test('names with slashes, CJK, accents and symbols open their details and topics', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    for (const name of ['財務 レポート', 'Legal/Contracts 2024', 'Payroll?Q3', 'Lab Results 100%', 'IT Tickets #helpdesk', 'Project Ünïcödé']) {
      await search(page).fill(name);
      await row(page, name).click();
      const pane = details(page, name);
      await expect(pane.getByRole('region', { name: 'Protected objects' })).toContainText(`${name} share 1`);
      await expect(pane.getByRole('region', { name: 'Topics' }).getByRole('button', { expanded: false }).first()).toBeVisible();
      await expect(pane.getByRole('alert')).toHaveCount(0);
    }
    // Each name reached Gaia as one path segment.
    const raw = connected.sim.requestLog.filter((r) => r.path.endsWith('/details')).map((r) => r.rawPath);
    expect(raw).toContain('/v2/mcm/gaia/dataset/Legal%2FContracts%202024/details');
    expect(raw).toContain(`/v2/mcm/gaia/dataset/${encodeURIComponent('財務 レポート')}/details`);
  });

  test('topics: share, summary on click, and a suggested question opens Ask with that dataset and question', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await search(page).fill('travel');
    await row(page, 'Travel & Expenses').click();
    const topics = details(page, 'Travel & Expenses').getByRole('region', { name: 'Topics' });
    const topic = topics.getByRole('button', { name: /Travel and Expense Policy/ });
    await expect(topic).toHaveAttribute('aria-expanded', 'false');
    await expect(topics.getByRole('meter', { name: /Share of “Travel and Expense Policy/ })).toHaveAttribute('aria-valuenow', /\d/);
    await topic.click();
    await expect(topic).toHaveAttribute('aria-expanded', 'true');
    await expect(topics.locator('.ds-topic-summary')).toContainText('Receipts are required');
    // Topics were asked for by the dataset's hex id, not its name.
    expect(connected.sim.requestLog.some((r) => /\/dataset\/[0-9a-f]{24}\/discovery$/.test(r.path))).toBe(true);
    expect(connected.sim.requestLog.some((r) => /\/dataset\/[0-9a-f]{24}\/discovery\/[^/]+\/summary$/.test(r.path))).toBe(true);

    const question = 'What is the hotel limit per night in Europe?';
    await topics.getByRole('button', { name: question }).click();
    await expectAskOpened(page, question);
  });

  test('a click selects the row and shows its details; Ctrl+click and Shift+click select more', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await row(page, 'Finance Reports').click();
    await expect(page.getByRole('button', { name: 'Ask these (1)' })).toBeEnabled();
    await expect(row(page, 'Finance Reports')).toHaveAttribute('aria-selected', 'true');
    await expect(details(page, 'Finance Reports')).toBeVisible();
    // Another click moves the selection (and the details) to that row.
    await row(page, 'Café Ops').click();
    await expect(page.getByRole('button', { name: 'Ask these (1)' })).toBeEnabled();
    await expect(row(page, 'Finance Reports')).toHaveAttribute('aria-selected', 'false');
    await expect(details(page, 'Café Ops')).toBeVisible();
    // Ctrl+click adds one; Shift+click takes the range from there.
    await row(page, 'Board Minutes 2023').click({ modifiers: ['ControlOrMeta'] });
    await expect(page.getByRole('button', { name: 'Ask these (2)' })).toBeEnabled();
    await expect(details(page, 'Board Minutes 2023')).toBeVisible();
    await row(page, 'Compliance (SOX)').click({ modifiers: ['Shift'] });
    // Board Minutes 2023, Board Minutes 2024, Café Ops (already), Compliance (SOX).
    await expect(page.getByRole('button', { name: 'Ask these (4)' })).toBeEnabled();
    await expect(page.getByRole('status').filter({ hasText: '36 datasets · 4 selected' })).toBeVisible();
    await page.getByRole('button', { name: 'Ask these (4)' }).click();
    await expectAskOpened(page);
  });

  test('details put the topics and suggested questions first', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await search(page).fill('travel');
    await row(page, 'Travel & Expenses').click();
    const pane = details(page, 'Travel & Expenses');
    await expect(pane.getByRole('region', { name: 'Topics' }).getByRole('button', { name: 'What is the hotel limit per night in Europe?' })).toBeVisible();
    const order = await pane.locator('section[aria-label], dl[aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(order.indexOf('Topics')).toBe(0);
    expect(order.indexOf('Topics')).toBeLessThan(order.indexOf('Summary'));
  });

  test('select several (mouse and keyboard) and "Ask these"', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    // No selection, no selection actions: not a greyed "Ask these (0)".
    await expect(dataRows(page).first()).toBeVisible();
    await expect(page.getByRole('button', { name: /^Ask these/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Clear selection' })).toHaveCount(0);
    await row(page, 'Finance Reports').getByRole('checkbox', { name: 'Select Finance Reports' }).check();
    await row(page, 'Café Ops').getByRole('checkbox', { name: 'Select Café Ops' }).check();
    await expect(page.getByRole('button', { name: 'Ask these (2)' })).toBeEnabled();
    await expect(row(page, 'Finance Reports')).toHaveAttribute('aria-selected', 'true');

    // Keyboard: the grid takes focus, arrows move, Space selects, Enter opens details.
    await grid(page).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect(page.getByRole('button', { name: 'Ask these (3)' })).toBeVisible();
    await expect(row(page, 'Board Minutes 2023')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(details(page, 'Board Minutes 2023')).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(details(page, 'Board Minutes 2024')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(details(page, 'Board Minutes 2024')).toHaveCount(0);

    // Selection survives a search that hides selected rows.
    await search(page).fill('café');
    await expect(page.getByRole('button', { name: 'Ask these (3)' })).toBeVisible();

    // Clearing takes the actions away and leaves focus on the rows, not on the page.
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect(page.getByRole('button', { name: /^Ask these/ })).toHaveCount(0);
    await expect(grid(page)).toBeFocused();
    await search(page).fill('');
    await row(page, 'Finance Reports').getByRole('checkbox', { name: 'Select Finance Reports' }).check();
    await page.getByRole('button', { name: 'Ask these (1)' }).click();
    await expectAskOpened(page);
  });

  test('one primary action: the details\' "Ask this dataset" steps back while the toolbar\'s "Ask these" is shown', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    // A click selects the row and opens its details: the same dataset, asked from two places.
    await row(page, 'Finance Reports').click();
    const askOne = details(page, 'Finance Reports').getByRole('button', { name: 'Ask this dataset' });
    await expect(askOne).toBeVisible();
    await expect(page.getByRole('button', { name: 'Ask these (1)' })).toHaveClass(/\bprimary\b/);
    await expect(askOne).not.toHaveClass(/\bprimary\b/);
    // Both stay plain buttons in the tab order; the details one still asks, from the keyboard.
    await askOne.focus();
    await page.keyboard.press('Enter');
    await expectAskOpened(page);
  });

  test('"Search in Gaia directly" says what it does at every width: its description, shown beside it only when wide', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    const toggle = page.getByRole('checkbox', { name: 'Search in Gaia directly', exact: true });
    const hint = page.getByText('finds datasets without loading the whole list');
    for (const width of [900, 1280, 1920]) {
      await page.setViewportSize({ width, height: 800 });
      await expect(toggle).toHaveAccessibleDescription('finds datasets without loading the whole list');
      await expect(page.locator('label', { has: toggle })).toHaveAttribute('title', /without loading the whole list/);
      if (width < 1500) await expect(hint).toBeHidden();
      else await expect(hint).toBeVisible();
    }
  });

  test('leaving the page and coming back keeps the list, search, selection and details, without fetching again', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await search(page).fill('board');
    await row(page, 'Board Minutes 2024').getByRole('checkbox').check();
    await row(page, 'Board Minutes 2023').click();
    await expect(details(page, 'Board Minutes 2023')).toBeVisible();
    const lists = () => connected.sim.requestLog.filter((r) => r.path === '/v2/mcm/gaia/datasets').length;
    const before = lists();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Datasets', exact: true }).click();
    await expect(search(page)).toHaveValue('board');
    await expect(page.getByRole('button', { name: 'Ask these (1)' })).toBeEnabled();
    await expect(details(page, 'Board Minutes 2023')).toBeVisible();
    await expect.poll(() => namesShown(page)).toEqual(['Board Minutes 2023', 'Board Minutes 2024']);
    expect(lists()).toBe(before);
  });

  test('refresh: the button and F5 fetch again (the page does not reload)', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await expect(dataRows(page).first()).toBeVisible();
    const pages = () => connected.sim.requestLog.filter((r) => r.path === '/v2/mcm/gaia/datasets').length;
    const before = pages();
    await search(page).fill('board');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(pages).toBeGreaterThan(before);
    const afterClick = pages();
    await grid(page).focus();
    await page.keyboard.press('F5');
    await expect.poll(pages).toBeGreaterThan(afterClick);
    await expect(search(page)).toHaveValue('board');
    await expect(page.getByText(/^Updated (just now|\d+ seconds? ago)$/)).toBeVisible();
  });

  test('a 429 while paging says "rate limited, retrying" and then completes', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await expect(dataRows(page).first()).toBeVisible();
    connected.sim.faults.set({ rateLimit: { count: 2, retryAfter: 1, path: '/datasets' } });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('status').filter({ hasText: /Rate limited, retrying in \d s/ })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /Rate limited/ })).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByText(/^Updated (just now|\d+ seconds? ago)$/)).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(connected.sim.requestLog.filter((r) => r.path === '/v2/mcm/gaia/datasets').length).toBeGreaterThanOrEqual(4);
  });

  test('offline: the cached list stays, marked with its age; after a restart it comes from the data dir', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await expect(page.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();
    await connected.sim.stop();

    // Three hours later on this computer's clock, Gaia cannot be reached.
    await page.clock.setFixedTime(Date.now() + 3 * 3_600_000);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const banner = page.getByRole('status').filter({ hasText: 'Offline' });
    await expect(banner).toContainText('Offline — showing the list fetched 3 hours ago');
    await expect(banner.locator('time')).toHaveAttribute('title', /\d{4}/);
    await expect(row(page, 'Finance Reports')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();

    // Quit and start again, still offline: the list is read from the data dir.
    const { dataDir, keychainService } = connected.preview;
    await connected.preview.stop();
    const again = await startPreview({ dataDir, keychainService });
    const context = await page.context().browser()!.newContext();
    try {
      // A window with the real clock: the saved list shows at once, with when it was fetched.
      const fresh = await context.newPage();
      await openDatasets(fresh, again);
      await expect(row(fresh, 'Legal/Contracts 2024')).toBeVisible();
      await expect(fresh.getByText(/^Updated (just now|\d+ seconds? ago)$/)).toBeVisible();
      await fresh.getByRole('button', { name: 'Refresh' }).click();
      await expect(fresh.getByRole('status').filter({ hasText: 'Offline' })).toContainText('showing the list fetched');
      // Still the whole saved list (the banner above it may push a given row out of view).
      await expect(fresh.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();

      // Three hours on, the saved list is stale: it shows, and a refresh starts by itself (and fails, offline).
      const later = await page.context().newPage();
      await openDatasets(later, again);
      await expect(later.getByRole('status').filter({ hasText: 'Offline' })).toContainText('Offline — showing the list fetched 3 hours ago');
      await expect(row(later, 'Legal/Contracts 2024')).toBeVisible();
    } finally {
      await context.close();
      await again.stop();
    }
  });

  test('searching in Gaia directly sends the name to Gaia and filters health here, in plain words (Gaia\'s status values are undocumented)', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await expect(page.getByText(/on the server/)).toHaveCount(0);
    await page.getByRole('checkbox', { name: /^Search in Gaia directly/ }).check();
    await search(page).fill('office');
    await expect(page.getByRole('status').filter({ hasText: '2 datasets match in Gaia' })).toBeVisible();
    await expect.poll(() => namesShown(page)).toEqual(['München Office', 'Tokyo 東京 Office']);
    const sent = connected.sim.requestLog.filter((r) => r.path === '/v2/mcm/gaia/datasets').at(-1)!;
    expect(sent.query.nameSubstring).toBe('office');
    const listCalls = () => connected.sim.requestLog.filter((r) => r.path === '/v2/mcm/gaia/datasets');
    const before = listCalls().length;
    await page.getByRole('combobox', { name: 'Filter by indexing health' }).selectOption('healthy');
    await expect.poll(() => listCalls().length).toBeGreaterThan(before);
    await expect.poll(() => namesShown(page)).toEqual(['München Office', 'Tokyo 東京 Office']);
    expect(listCalls().every((r) => r.query.statuses === undefined)).toBe(true);
    await page.getByRole('checkbox', { name: /^Search in Gaia directly/ }).uncheck();
    await search(page).fill('');
    await page.getByRole('combobox', { name: 'Filter by indexing health' }).selectOption('all');
    await expect(page.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();
  });

  test('no permission (403) is a designed state, not a blank page', async ({ page, connected }) => {
    connected.sim.faults.set({ bodyOverride: { status: 403, body: { message: 'Forbidden' }, path: '/datasets' } });
    await openDatasets(page, connected.preview);
    await expect(page.getByRole('heading', { name: 'No permission to list datasets' })).toBeVisible();
    connected.sim.faults.clear();
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(row(page, 'Finance Reports')).toBeVisible();
  });

  test('other errors show what happened and a retry', async ({ page, connected }) => {
    connected.sim.faults.set({ htmlPage: { count: 1, path: '/datasets' } });
    await openDatasets(page, connected.preview);
    await expect(page.getByRole('alert')).toBeVisible();
    await page.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
    await expect(row(page, 'Finance Reports')).toBeVisible();
  });
});

test('not connected: says so and leads to Connections', async ({ page, preview }) => {
  await openDatasets(page, preview);
  await expect(page.getByRole('heading', { name: 'Not connected' })).toBeVisible();
  await page.getByRole('button', { name: 'Go to Connections' }).click();
  await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
});

test.describe('empty tenant', () => {
  test.use({ simOptions: { datasets: 0 } });
  test('says there are no datasets yet', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await expect(page.getByRole('heading', { name: 'No datasets yet' })).toBeVisible();
  });
});

test.describe('a slow tenant', () => {
  test.use({ simOptions: { datasets: 3000, latencyMs: 500 } });
  test('rows appear as pages arrive, with how many so far; search and sort work on what has arrived', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    // The first rows are on screen long before the 31st page.
    await expect(row(page, 'DS 000000 Archive')).toBeVisible();
    const loading = page.getByRole('status').filter({ hasText: /^Loading… [\d,]+ datasets so far/ });
    await expect(loading).toBeVisible();
    await expect(loading.getByRole('progressbar', { name: 'Datasets loaded' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^[\d,]+ datasets so far$/ })).toBeVisible();
    // A search while loading says it covers what has arrived.
    await search(page).fill('Archive');
    await expect(page.getByRole('status').filter({ hasText: /^Showing [\d,]+ of [\d,]+ datasets loaded so far$/ })).toBeVisible();
    await search(page).fill('');
    // Sorted by objects, arriving rows sort in everywhere, yet the row at the top of the view stays there.
    await page.getByRole('columnheader', { name: /Objects/ }).getByRole('button').click();
    await grid(page).evaluate((el) => (el.scrollTop = 40 * 30));
    await page.waitForTimeout(300);
    const topRow = async () =>
      grid(page).evaluate((el) => {
        const top = el.getBoundingClientRect().top + 38;
        const rows = [...el.querySelectorAll('[role="row"][aria-rowindex]')].filter((r) => r.getBoundingClientRect().bottom > top + 1);
        rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
        return { name: rows[0]?.querySelector('.ds-name')?.textContent ?? null, y: Math.round(rows[0]?.getBoundingClientRect().top ?? 0) };
      });
    const before = await topRow();
    const countNow = async () => Number(((await page.getByRole('status').filter({ hasText: /so far$/ }).last().textContent()) ?? '').replace(/\D/g, ''));
    const arrived = await countNow();
    await expect.poll(countNow, { timeout: 30_000 }).toBeGreaterThan(arrived + 300);
    const after = await topRow();
    expect(after.name).toBe(before.name);
    expect(Math.abs(after.y - before.y)).toBeLessThanOrEqual(2);
    await expect(page.getByRole('status').filter({ hasText: /^3,000 datasets$/ })).toBeVisible({ timeout: 60_000 });
    // A refresh then says how many of about how many.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Refreshing… [\d,]+ of about 3,000 datasets/ })).toBeVisible();
    // In every frame until it ends, the banner's count is the health filter's "All health (n)",
    // and the healths add up to it: the numbers come from the same rows.
    const frames = await page.evaluate(
      () =>
        new Promise<{ seen: number; disagree: string[] }>((resolve) => {
          const disagree: string[] = [];
          let seen = 0;
          const num = (text: string | null | undefined) => Number((text ?? '').replace(/[^\d]/g, ''));
          const frame = () => {
            const banner = [...document.querySelectorAll('[role="status"]')].find((el) => el.textContent?.startsWith('Refreshing…'));
            if (!banner) return resolve({ seen, disagree });
            const arrived = num(/Refreshing…\s*([\d,.\s\u00a0\u202f]+) of about/.exec(banner.textContent ?? '')?.[1]);
            const options = [...document.querySelectorAll<HTMLOptionElement>('select[aria-label="Filter by indexing health"] option')];
            const all = num(/\(([^)]*)\)/.exec(options[0]?.textContent ?? '')?.[1]);
            const sum = options.slice(1).reduce((n, o) => n + num(/\(([^)]*)\)/.exec(o.textContent ?? '')?.[1]), 0);
            seen++;
            if (arrived !== all || sum !== all) disagree.push(`banner ${arrived}, All health ${all}, healths ${sum}`);
            requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        }),
    );
    expect(frames.seen).toBeGreaterThan(10);
    expect(frames.disagree).toEqual([]);
    await expect(page.getByRole('status').filter({ hasText: /^3,000 datasets$/ })).toBeVisible({ timeout: 60_000 });
  });

  test('shows paging progress and can be cancelled', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    const progress = page.getByRole('status').filter({ hasText: /^Loading… [\d,]+ datasets so far/ });
    await expect(progress).toBeVisible();
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('heading', { name: 'Loading was cancelled' })).toBeVisible();
    const count = connected.sim.requestLog.length;
    await page.waitForTimeout(600);
    // The core stopped paging too.
    expect(connected.sim.requestLog.length - count).toBeLessThanOrEqual(1);
    // With no list, Gaia can still find datasets by name.
    await page.getByRole('button', { name: 'Search in Gaia without loading everything' }).click();
    await expect(page.getByRole('checkbox', { name: /^Search in Gaia directly/ })).toBeChecked();
    await expect(page.getByRole('heading', { name: 'Search in Gaia directly' })).toBeVisible();
  });
});

test.describe('a 429 in the middle of paging', () => {
  test.use({ simOptions: { datasets: 800, latencyMs: 400 } });
  test('says "rate limited, retrying", then completes with every dataset', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    // Once a page or two are in, Gaia starts refusing.
    await expect(page.getByRole('status').filter({ hasText: /^Loading… (99|19[0-9]|[2-6][0-9]{2}) datasets so far/ })).toBeVisible();
    connected.sim.faults.set({ rateLimit: { count: 2, retryAfter: 1, path: '/datasets' } });
    await expect(page.getByRole('status').filter({ hasText: /Rate limited, retrying in \d s/ })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^800 datasets$/ })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('status').filter({ hasText: /Rate limited/ })).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});

test.describe('a slow tenant, searched on the server', () => {
  test.use({ simOptions: { datasets: 3000, latencyMs: 150 } });
  test('"Search in Gaia directly" stops listing and asks Gaia for matching names', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    // Rows arriving: one way to search in Gaia, the toolbar's switch (no second button in the loading line).
    await expect(page.getByRole('status').filter({ hasText: /Loading… [\d,]+ of about|Loading… [\d,]+ datasets? so far/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Search in Gaia without loading everything' })).toHaveCount(0);
    const atSwitch = connected.sim.requestLog.length;
    const fullListings = () => connected.sim.requestLog.filter((r) => r.path === '/v2/mcm/gaia/datasets' && r.query.nameSubstring === undefined).length;
    await page.getByRole('checkbox', { name: /^Search in Gaia directly/ }).check();
    await expect(page.getByRole('checkbox', { name: /^Search in Gaia directly/ })).toBeChecked();
    await expect(page.getByRole('heading', { name: 'Search in Gaia directly' })).toBeVisible();
    await search(page).fill('DS 00001');
    await expect(page.getByRole('status').filter({ hasText: '10 datasets match in Gaia' })).toBeVisible();
    await expect.poll(() => namesShown(page)).toHaveLength(10);
    const since = connected.sim.requestLog.slice(atSwitch).filter((r) => r.path === '/v2/mcm/gaia/datasets');
    expect(since.at(-1)!.query.nameSubstring).toBe('DS 00001');
    // The full listing stopped: no page of it is asked for any more. (Counting from the click
    // instead races the stop on a busy machine: pages keep coming every 150 ms until the core hears it.)
    const listedAtResults = fullListings();
    await page.waitForTimeout(4 * 150);
    expect(fullListings()).toBe(listedAtResults);
    // The details of a result open as usual.
    await row(page, 'DS 000012 Archive').click();
    await expect(details(page, 'DS 000012 Archive').getByRole('region', { name: 'Protected objects' })).toContainText('DS 000012 Archive share 1');
  });
});

test.describe('100,000 datasets', () => {
  test.use({ simOptions: { datasets: 100_000 } });
  test.setTimeout(240_000);

  test('load with progress, then search, filter and sort stay responsive', async ({ page, connected }) => {
    await openDatasets(page, connected.preview);
    await expect(page.getByRole('status').filter({ hasText: /Loading… [\d,]+ datasets so far/ })).toBeVisible();
    // Rows are there while the rest load.
    await expect(row(page, 'DS 000000 Archive')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^100,000 datasets$/ })).toBeVisible({ timeout: 180_000 });
    // Virtualized: only what is on screen is in the DOM.
    expect(await dataRows(page).count()).toBeLessThan(80);
    await expect(grid(page)).toHaveAttribute('aria-rowcount', '100001');

    await search(page).pressSequentially('DS 04321', { delay: 20 });
    await expect.poll(() => namesShown(page)).toEqual([
      'DS 043210 HR',
      'DS 043211 Engineering',
      'DS 043212 Archive',
      'DS 043213 Mailboxes',
      'DS 043214 File Shares',
      'DS 043215 Projects',
      'DS 043216 Finance',
      'DS 043217 Legal',
      'DS 043218 Research',
      'DS 043219 Support',
    ]);
    await expect(page.getByRole('status').filter({ hasText: 'Showing 10 of 100,000 datasets' })).toBeVisible();
    await search(page).press('Backspace');
    await expect(page.getByRole('status').filter({ hasText: 'Showing 100 of 100,000 datasets' })).toBeVisible();

    await search(page).fill('');
    await page.getByRole('combobox', { name: 'Filter by indexing health' }).selectOption('failed');
    await expect(page.getByRole('status').filter({ hasText: /Showing 11,11\d of 100,000 datasets/ })).toBeVisible();
    await page.getByRole('columnheader', { name: /Objects/ }).getByRole('button').click();
    const numbers = await cellNumbers(dataRows(page), 2, 5);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    await expect(dataRows(page).first()).toContainText('Failed');

    // The list came in pages of fewer than 100.
    const paged = connected.sim.requestLog.filter((r) => r.path === '/v2/mcm/gaia/datasets' && r.query.pageSize !== undefined);
    expect(paged.length).toBeGreaterThanOrEqual(1011);
    expect(paged.every((r) => Number(r.query.pageSize) > 0 && Number(r.query.pageSize) < 100)).toBe(true);
    // And the core answered the same list to a direct call, from its cache.
    const cached = await callCore(connected.preview, 'gaia:datasets.list', { requestId: 'e2e-direct-0001' });
    expect(cached.ok).toBe(true);
    expect((cached.value as { source: string; datasets: unknown[] }).source).toBe('cache');
    expect((cached.value as { datasets: unknown[] }).datasets).toHaveLength(100_000);
  });
});
