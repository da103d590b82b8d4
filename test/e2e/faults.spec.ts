/**
 * The simulator's every fault, through the real app: a 429 storm (retried, and one that
 * outlasts the retry budget), 5xx (a busy 503 retried; a 500 not), a proxy's HTML page,
 * invalid JSON, slow answers, a dropped stream and a stream's error event. For each: the
 * message says what happened in kind-specific words (the ErrorNotice also carries its
 * kind), a retry is offered or happens by itself, the app stays usable once the fault
 * clears, and nothing the user typed or received is lost — the dataset list, the search
 * and selection over it, a question being typed, the partial text of a broken answer.
 */
import type { Locator, Page } from '@playwright/test';
import type { FaultSettings } from '../gaia-sim';
import type { Simulator } from '../gaia-sim';
import { answer, ask, chooseDataset, openAsk, turn, waitForAnswer } from '../support/e2e-ask';
import { expect, openApp, test } from '../support/e2e-fixtures';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const grid = (page: Page) => page.getByRole('grid', { name: 'Datasets' });
const dataRow = (page: Page, name: string) => grid(page).getByRole('row').filter({ has: page.getByRole('gridcell') }).filter({ has: page.getByText(name, { exact: true }) });
const search = (page: Page) => page.getByRole('searchbox', { name: 'Search datasets by name' });
const refreshButton = (page: Page) => page.getByRole('button', { name: 'Refresh' });
/** The "showing the saved list" banner a failed refresh leaves above the list. */
const banner = (page: Page) => page.getByRole('status').filter({ hasText: /showing the list fetched/ });
const listRequests = (sim: Simulator) => sim.requestLog.filter((r) => r.path === '/v2/mcm/gaia/datasets').length;

/** The n-th answer once it has ended, however it ended (waitForAnswer is for answers that end well). */
async function ended(page: Page, n: number): Promise<Locator> {
  const region = answer(page, n);
  await expect(region).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 });
  return region;
}

/** Refresh, and wait until the refresh is over (the button is enabled again). */
async function refresh(page: Page): Promise<void> {
  await refreshButton(page).click();
  await expect(refreshButton(page)).toBeEnabled({ timeout: 20_000 });
}

/** What the user has on the Datasets page: the rows a search shows, and the selection. */
async function expectListKept(page: Page): Promise<void> {
  await expect(search(page)).toHaveValue('board');
  await expect(dataRow(page, 'Board Minutes 2023')).toBeVisible();
  await expect(dataRow(page, 'Board Minutes 2024')).toBeVisible();
  await expect(dataRow(page, 'Board Minutes 2023').getByRole('checkbox')).toBeChecked();
  await expect(page.getByRole('button', { name: 'Ask these (1)' })).toBeEnabled();
}

test.describe.configure({ timeout: 90_000 });

test('Datasets: 429 storms, 5xx, an HTML page, invalid JSON and a slow Gaia — each says so and retries; the list, search and selection stay', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openApp(page, preview);
  await sidebar(page).getByRole('button', { name: 'Datasets', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();
  await search(page).fill('board');
  await dataRow(page, 'Board Minutes 2023').getByRole('checkbox', { name: 'Select Board Minutes 2023' }).check();
  await expectListKept(page);

  // A 429 storm Gaia lets up on: "rate limited, retrying in N s", then the list, with no error.
  sim.faults.set({ rateLimit: { count: 2, retryAfter: 1, path: '/datasets' } });
  let sent = listRequests(sim);
  await refreshButton(page).click();
  await expect(page.getByRole('status').filter({ hasText: /Rate limited, retrying in 1 s/ })).toBeVisible();
  await expect(refreshButton(page)).toBeDisabled();
  await expectListKept(page);
  await expect(page.getByRole('status').filter({ hasText: /Rate limited/ })).toHaveCount(0, { timeout: 20_000 });
  await expect(refreshButton(page)).toBeEnabled();
  expect(listRequests(sim) - sent).toBe(3);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(banner(page)).toHaveCount(0);
  await expect(page.getByText(/^Updated (just now|\d+ seconds? ago)$/)).toBeVisible();

  // A storm that asks for longer than the app waits: not retried blindly; said, with the wait, and a Try again.
  sim.faults.set({ rateLimit: { count: 100, retryAfter: 120, path: '/datasets' } });
  sent = listRequests(sim);
  await refresh(page);
  await expect(banner(page)).toHaveAttribute('data-kind', 'rate-limited');
  await expect(banner(page)).toContainText('Gaia did not answer — showing the list fetched');
  await expect(banner(page)).toContainText('too many requests from this key right now (rate limited)');
  await expect(banner(page)).toContainText('Wait 120 s, then try again.');
  expect(listRequests(sim) - sent).toBe(1);
  await expectListKept(page);
  sim.faults.clear();
  await banner(page).getByRole('button', { name: 'Try again' }).click();
  await expect(banner(page)).toHaveCount(0);
  await expectListKept(page);

  // A busy gateway (503) is retried by itself and the list arrives.
  sim.faults.set({ serverError: { count: 3, status: 503, path: '/datasets' } });
  sent = listRequests(sim);
  await refreshButton(page).click();
  await expect(page.getByRole('status').filter({ hasText: /Gaia is busy \(server error 503\), retrying/ })).toBeVisible();
  await expect(refreshButton(page)).toBeEnabled({ timeout: 20_000 });
  expect(listRequests(sim) - sent).toBe(4);
  await expect(banner(page)).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);

  // A 500 is not retried: said, with Gaia's own words, over the list that was there.
  sim.faults.set({ serverError: { count: 1, status: 500, path: '/datasets' } });
  await refresh(page);
  await expect(banner(page)).toHaveAttribute('data-kind', 'server-error');
  await expect(banner(page)).toContainText('Gaia had a problem answering (HTTP 500). Gaia said: “The Gaia orchestrator is temporarily unavailable.”');
  await expect(banner(page)).toContainText('Try again in a few minutes');
  await expectListKept(page);
  await banner(page).getByRole('button', { name: 'Try again' }).click();
  await expect(banner(page)).toHaveCount(0);

  // A sign-in page instead of Gaia: named by its title; nothing of the page itself is shown or run.
  sim.faults.set({ htmlPage: { count: 1, path: '/datasets' } });
  await refresh(page);
  await expect(banner(page)).toHaveAttribute('data-kind', 'html-response');
  await expect(banner(page)).toContainText('A proxy or sign-in page answered instead of Gaia (HTTP 200, page titled “Sign in – Contoso Access”)');
  await expect(banner(page)).toContainText('Check the base URL');
  expect(await page.content()).not.toContain('do-not-show');
  await expectListKept(page);
  await banner(page).getByRole('button', { name: 'Try again' }).click();
  await expect(banner(page)).toHaveCount(0);

  // Invalid JSON: an error above the list (the list is not replaced by nothing), with Try again.
  sim.faults.set({ invalidJson: { count: 1, path: '/datasets' } });
  await refresh(page);
  const notJson = page.getByRole('alert').filter({ hasText: 'it was not JSON' });
  await expect(notJson).toHaveAttribute('data-kind', 'unexpected-response');
  await expect(notJson).toContainText(`The answer from ${new URL(sim.origin).host} could not be read: it was not JSON.`);
  await expectListKept(page);
  await notJson.getByRole('button', { name: 'Try again' }).click();
  await expect(notJson).toHaveCount(0);
  await expect(refreshButton(page)).toBeEnabled();

  // A slow Gaia: "Refreshing…" with Cancel while the list stays usable; a cancelled refresh keeps the list.
  sim.faults.set({ latencyMs: 1500 });
  await refreshButton(page).click();
  const refreshing = page.getByRole('status').filter({ hasText: 'Refreshing…' });
  await expect(refreshing).toBeVisible();
  await search(page).fill('board minutes 2024');
  await expect(dataRow(page, 'Board Minutes 2023')).toHaveCount(0);
  await search(page).fill('board');
  await refreshing.getByRole('button', { name: 'Cancel' }).click();
  await expect(refreshing).toHaveCount(0);
  await expectListKept(page);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await refreshButton(page).click();
  await expect(refreshing).toBeVisible();
  await expect(refreshing).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByText(/^Updated (just now|\d+ seconds? ago)$/)).toBeVisible();
  sim.faults.clear();

  // Details and topics fail on their own, in their pane, each with a Try again that works.
  sim.faults.set({ htmlPage: { count: 1, path: '/details' }, invalidJson: { count: 1, path: '/discovery' } });
  await dataRow(page, 'Board Minutes 2023').getByRole('gridcell').nth(1).click();
  const pane = page.getByRole('complementary', { name: 'Board Minutes 2023' });
  const detailsError = pane.getByRole('alert').filter({ hasText: 'sign-in page' });
  const topicsError = pane.getByRole('alert').filter({ hasText: 'not JSON' });
  await expect(detailsError).toHaveAttribute('data-kind', 'html-response');
  await expect(topicsError).toHaveAttribute('data-kind', 'unexpected-response');
  await detailsError.getByRole('button', { name: 'Try again' }).click();
  await expect(pane.getByRole('region', { name: 'Protected objects' })).toContainText('Board Minutes 2023 share 1');
  await topicsError.getByRole('button', { name: 'Try again' }).click();
  await expect(pane.getByRole('region', { name: 'Topics' }).getByRole('button', { expanded: false }).first()).toBeVisible();
  await expect(pane.getByRole('alert')).toHaveCount(0);

  // Still usable: away and back, everything as it was; then ask over the selection.
  await sidebar(page).getByRole('button', { name: 'Connections', exact: true }).click();
  await sidebar(page).getByRole('button', { name: 'Datasets', exact: true }).click();
  await expectListKept(page);
  await page.getByRole('button', { name: 'Ask these (1)' }).click();
  await expect(page.getByRole('button', { name: 'Remove Board Minutes 2023' })).toBeVisible();
  await ask(page, 'What was decided about the budget?');
  await waitForAnswer(page, 1);
  await expect(answer(page, 1).getByRole('alert')).toHaveCount(0);
});

test('Ask: a 429 storm is waited out; 5xx, an HTML page and a slow Gaia each say so with Retry; nothing asked is lost', async ({ page, connected }) => {
  const { sim, preview } = connected;
  const question = 'What is the hotel limit per night in Europe?';
  const asked = () => sim.requestLog.filter((r) => r.path.endsWith('/ask/stream')).map((r) => (r.body as { queryString: string }).queryString);
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');

  // 429 on the question itself: the answer says it is waiting, then arrives.
  sim.faults.set({ rateLimit: { count: 1, retryAfter: 2, path: '/ask/stream' } });
  await ask(page, question);
  await expect(answer(page, 1).getByRole('status').filter({ hasText: 'Gaia is busy' })).toHaveText('Gaia is busy (rate limited); trying again in 2 s (attempt 1).');
  const first = await waitForAnswer(page, 1);
  await expect(first.locator('.markdown')).toContainText('180 EUR per night in Europe');
  await expect(first.getByRole('alert')).toHaveCount(0);
  expect(asked()).toEqual([question, question]);

  // A 503 on a question is not re-sent by itself (it may have been taken): said, with Retry.
  sim.faults.set({ serverError: { count: 1, status: 503, path: '/ask/stream' } });
  await ask(page, 'When must expense reports be submitted?');
  const second = await ended(page, 2);
  await expect(second.getByRole('alert')).toHaveAttribute('data-kind', 'server-error');
  await expect(second.getByRole('alert')).toContainText('Gaia had a problem answering (HTTP 503)');
  await expect(turn(page, 2).locator('.question-text')).toHaveText('When must expense reports be submitted?');
  expect(asked()).toHaveLength(3);
  await second.getByRole('button', { name: 'Retry' }).click();
  await expect((await waitForAnswer(page, 3)).locator('.markdown')).toContainText('30 days');
  expect(asked().at(-1)).toBe('When must expense reports be submitted?');

  // A sign-in page instead of the stream.
  sim.faults.set({ htmlPage: { count: 1, path: '/ask/stream' } });
  await ask(page, 'Is business class allowed?');
  const third = await ended(page, 4);
  await expect(third.getByRole('alert')).toHaveAttribute('data-kind', 'html-response');
  await expect(third.getByRole('alert')).toContainText('page titled “Sign in – Contoso Access”');
  expect(await page.content()).not.toContain('do-not-show');
  await third.getByRole('button', { name: 'Retry' }).click();
  await waitForAnswer(page, 5);
  await expect(answer(page, 5).getByRole('alert')).toHaveCount(0);

  // A slow Gaia: the answer says it is asking, Stop is there, and the answer comes.
  sim.faults.set({ latencyMs: 1500 });
  await ask(page, 'What is the per diem for meals?');
  await expect(answer(page, 6)).toHaveAttribute('aria-busy', 'true');
  await expect(answer(page, 6).getByText('Asking Gaia…')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await waitForAnswer(page, 6);
  await expect(answer(page, 6).getByRole('alert')).toHaveCount(0);
  sim.faults.clear();

  // Invalid JSON from feedback and from the all-documents search: said where it happened, and retried there.
  sim.faults.set({ invalidJson: { count: 1, path: '/ask/feedback' } });
  const good = first.getByRole('button', { name: 'Good answer' });
  await good.click();
  await expect(first.getByRole('alert')).toContainText('it was not JSON');
  await expect(good).toHaveAttribute('aria-pressed', 'false');
  await good.click();
  await expect(good).toHaveAttribute('aria-pressed', 'true');
  await expect(first.getByRole('alert')).toHaveCount(0);
  // Gaia had taken the first one too (only its answer was unreadable): sending it again is harmless.
  expect(sim.feedback.map((f) => f.positive)).toEqual([true, true]);

  // A key without GAIA_MODIFY: feedback is a write, the message says so, with Gaia's own words beside it.
  sim.faults.set({ bodyOverride: { count: 1, path: '/ask/feedback', status: 403, body: { errorCode: 'KStatusForbidden', message: 'Privilege GAIA_MODIFY is required.' } } });
  const bad = first.getByRole('button', { name: 'Bad answer' });
  await bad.click();
  await expect(first.getByRole('alert')).toContainText('GAIA_MODIFY');
  await expect(first.getByRole('alert')).toContainText('Gaia said: “Privilege GAIA_MODIFY is required.”');
  await expect(first.getByRole('alert')).not.toContainText('needs GAIA_VIEW');
  await bad.click();
  await expect(bad).toHaveAttribute('aria-pressed', 'true');
  expect(sim.feedback.at(-1)!.body).toMatchObject({ feedback: 'false' });
  sim.faults.set({ invalidJson: { count: 1, path: '/ask/exhaustive' } });
  await first.getByRole('button', { name: 'Find all documents' }).click();
  const all = first.getByRole('region', { name: 'All documents for this question' });
  await expect(all.getByRole('alert')).toHaveAttribute('data-kind', 'unexpected-response');
  await all.getByRole('button', { name: 'Try again' }).click();
  await expect(all.getByRole('status')).toContainText(/\d+ documents? found in Travel & Expenses/);
  await expect(all.getByRole('alert')).toHaveCount(0);

  // Everything asked is in the history, in order, after a reload.
  await page.reload();
  await openAsk(page, preview);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /hotel limit/ }).click();
  await expect(turn(page, 6).locator('.question-text')).toHaveText('What is the per diem for meals?');
  await expect(answer(page, 2).getByRole('alert')).toContainText('HTTP 503');
  await expect(answer(page, 1).locator('.markdown')).toContainText('180 EUR per night in Europe');
});

test('Ask: a dropped stream and an error event keep the partial answer and the question being typed; Retry completes', async ({ page, connected }) => {
  const { sim, preview } = connected;
  const question = 'What is the hotel limit per night in Europe?';
  const draft = 'And for trains: first class or second?';
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');

  // The stream breaks off after two pieces, while the user is typing the next question.
  sim.faults.set({ streamDropAfter: 2, streamDelayMs: 250 });
  await ask(page, question);
  const box = page.getByRole('textbox', { name: 'Question' });
  const first = answer(page, 1);
  await expect(first).toHaveAttribute('aria-busy', 'true');
  await box.fill(draft);
  await expect(first.locator('.markdown')).not.toBeEmpty();
  await ended(page, 1);
  await expect(first.getByRole('alert')).toHaveAttribute('data-kind', 'stream-dropped');
  await expect(first.getByRole('alert')).toContainText('broke off in the middle of the answer');
  await expect(first.locator('.markdown')).toHaveText(/\S/);
  const partial = await first.locator('.markdown').innerText();
  expect(partial).not.toContain('Legal holds');
  await expect(box).toHaveValue(draft);

  sim.faults.set({ streamDropAfter: undefined, streamError: { afterChunks: 2, message: 'The language model stopped responding.' } });
  await first.getByRole('button', { name: 'Retry' }).click();
  const second = await ended(page, 2);
  await expect(second.getByRole('alert')).toHaveAttribute('data-kind', 'server-error');
  await expect(second.getByRole('alert')).toContainText('Gaia stopped answering: “The language model stopped responding.”');
  await expect(second.locator('.markdown')).not.toBeEmpty();
  await expect(second.getByRole('button', { name: 'Retry' })).toBeEnabled();
  await expect(box).toHaveValue(draft);
  await expect(first.locator('.markdown')).toHaveText(partial);

  // The fault clears: Retry gives the whole answer; then the draft is sent as typed.
  sim.faults.clear();
  await second.getByRole('button', { name: 'Retry' }).click();
  const third = await waitForAnswer(page, 3);
  await expect(third.locator('.markdown')).toContainText('180 EUR per night in Europe');
  await expect(third.getByRole('alert')).toHaveCount(0);
  await expect(box).toHaveValue(draft);
  await box.press('Enter');
  await waitForAnswer(page, 4);
  await expect(turn(page, 4).locator('.question-text')).toHaveText(draft);

  // The broken answers are kept as they arrived, marked, across a reload.
  await page.reload();
  await openAsk(page, preview);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /hotel limit/ }).click();
  await expect(answer(page, 1).locator('.markdown')).toHaveText(partial);
  await expect(answer(page, 1).getByRole('alert')).toContainText('broke off');
  await expect(answer(page, 2).getByRole('alert')).toContainText('The language model stopped responding.');
  await expect(answer(page, 4).locator('.markdown')).not.toBeEmpty();
});

test('Connect: an HTML page, a 5xx and a 429 storm while checking the key keep every field typed; then it connects', async ({ page, preview, sim }) => {
  await openApp(page, preview);
  const form = page.getByRole('form', { name: 'Connect to Gaia' });
  await form.getByLabel('Connection name').fill('Lab');
  await form.getByLabel('Gaia base URL').fill(sim.baseUrl);
  await form.getByLabel('API key', { exact: true }).fill(sim.demoKey);
  // The tenant context and the CA are under Advanced.
  await form.getByText('Advanced', { exact: true }).click();
  await form.getByLabel('Security context (optional)').fill('tenant-7');
  await form.getByLabel('CA certificate file').setInputFiles(sim.caFile);
  const kept = async () => {
    await expect(form.getByLabel('Connection name')).toHaveValue('Lab');
    await expect(form.getByLabel('Gaia base URL')).toHaveValue(sim.baseUrl);
    await expect(form.getByLabel('Security context (optional)')).toHaveValue('tenant-7');
    await expect(form.getByLabel('API key', { exact: true })).not.toHaveValue('');
    await expect(form.getByRole('listitem', { name: /Certificate: Gaia Simulator Root CA/ })).toBeVisible();
  };
  const failsWith = async (fault: FaultSettings, kind: string, text: string) => {
    sim.faults.clear();
    sim.faults.set(fault);
    await form.getByRole('button', { name: 'Connect' }).click();
    const alert = form.getByRole('alert').first();
    await expect(alert).toHaveAttribute('data-kind', kind);
    await expect(alert).toContainText(text);
    await kept();
  };

  await failsWith({ htmlPage: { count: 1 } }, 'html-response', 'A proxy or sign-in page answered instead of Gaia');
  await failsWith({ serverError: { count: 1, status: 500 } }, 'server-error', 'Gaia had a problem answering (HTTP 500)');
  await failsWith({ rateLimit: { count: 100, retryAfter: 300 } }, 'rate-limited', 'Wait 300 s, then try again.');
  await failsWith({ invalidJson: { count: 1 } }, 'unexpected-response', 'it was not JSON');

  // Once the fault clears, the notice's own Try again connects.
  sim.faults.clear();
  await form.getByRole('alert').first().getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('listitem', { name: 'Lab', exact: true })).toContainText('Security context');
  await sidebar(page).getByRole('button', { name: 'Datasets', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();
});
