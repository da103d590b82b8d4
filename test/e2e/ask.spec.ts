/**
 * Asking, end to end: the real renderer in Chromium, the real core in the preview, and
 * the Gaia simulator. Streaming, follow-ups, Stop (the connection really closes), broken
 * streams and Retry, refine, the exhaustive search, feedback, Markdown safety, copying,
 * and the composer's choices.
 */
import { diagnosticsChannel } from '../support/ask';
import { answer, ask, chooseDataset, openAsk, turn, waitForAnswer, waitForEnd } from '../support/e2e-ask';
import { expect, test } from '../support/e2e-fixtures';

const streamBodies = (sim: { requestLog: Array<{ path: string; body: unknown }> }, part = '/ask/stream') =>
  sim.requestLog.filter((r) => r.path.endsWith(part)).map((r) => r.body as Record<string, unknown>);

test('an answer streams in with its progress, then shows its sources and citations', async ({ page, connected }) => {
  const { sim, preview } = connected;
  sim.faults.set({ streamDelayMs: 150 });
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');

  const first = answer(page, 1);
  await expect(first).toHaveAttribute('aria-busy', 'true');
  await expect(first.getByText('Searching 1 dataset')).toBeVisible();
  // Part of the text shows while the answer is still arriving.
  await expect(first.locator('.markdown')).not.toBeEmpty();
  await expect(first).toHaveAttribute('aria-busy', 'true');
  const partial = await first.locator('.markdown').innerText();

  await waitForAnswer(page, 1);
  const whole = await first.locator('.markdown').innerText();
  expect(whole.length).toBeGreaterThan(partial.length);
  await expect(first.locator('.markdown')).toContainText('180 EUR per night in Europe');
  expect(streamBodies(sim)).toHaveLength(1);

  const sources = first.getByRole('region', { name: /^Sources/ });
  await expect(sources.getByRole('heading', { name: 'Sources (1)' })).toBeVisible();
  await expect(sources.getByText('travel-policy.md', { exact: true })).toBeVisible();
  // A compact strip: the details open on demand, below it.
  const pill = sources.getByRole('button', { name: /^Source [\d–, ]+: travel-policy\.md, relevance \d+%$/ });
  await expect(pill).toHaveAttribute('aria-expanded', 'false');
  await expect(sources.getByText('/Travel & Expenses/shared/travel-policy.md')).toHaveCount(0);
  await pill.click();
  await expect(pill).toHaveAttribute('aria-expanded', 'true');
  const details = sources.getByRole('region', { name: /^Source [\d–, ]+: travel-policy\.md$/ });
  await expect(details.getByText('/Travel & Expenses/shared/travel-policy.md')).toBeVisible();
  await expect(details.getByText('Generic NAS')).toBeVisible();
  await expect(details.getByText('Travel & Expenses', { exact: true })).toBeVisible();
  const snippets = details.getByRole('list', { name: 'Snippets from travel-policy.md' });
  await expect(snippets.getByText(/Hotel stays are reimbursed up to 180 EUR/)).toBeVisible();
  const scores = (await snippets.getByText(/^Relevance \d+%$/).allInnerTexts()).map((t) => Number(t.replace(/\D/g, '')));
  expect(scores.length).toBeGreaterThan(0);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  await pill.click();
  await expect(details).toHaveCount(0);
});

test('sources are listed as Gaia gave them with one relevance scale, and an answer without any says so', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Engineering Wiki');
  await ask(page, 'storage outage backups retention');
  const first = await waitForAnswer(page, 1);
  const pills = first.getByRole('region', { name: /^Sources/ }).getByRole('button', { name: /^Source / });
  expect(await pills.count()).toBeGreaterThan(1);
  // Every score the page shows is a percentage; no 0.67 next to a 33 %.
  for (const label of await pills.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) expect(label).toMatch(/, relevance \d{1,3}%$/);
  await expect(first.getByRole('region', { name: /^Sources/ }).getByText(/\b0\.\d{2}\b/)).toHaveCount(0);
  // The citation numbers run through the sources in order.
  const numbers = (await first.locator('.source-strip .source-number').allInnerTexts()).map((t) => Number(t.split(/[–,]/)[0]));
  expect(numbers[0]).toBe(1);
  expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);

  connected.sim.faults.set({
    bodyOverride: { path: '/ask/stream', count: 1, body: { responseString: 'Nothing relevant was found.', queryUid: 'q-empty', conversationId: 'c-empty', documents: [] } },
  });
  await ask(page, 'anything at all');
  const second = await waitForAnswer(page, 2);
  await expect(second.getByText('No sources returned.')).toBeVisible();
});

test('inline citations are chips: hovering shows the source and snippet, a click highlights it among the sources', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  const first = await waitForAnswer(page, 1);
  const chip = first.locator('.markdown').getByRole('button', { name: 'Source 1: travel-policy.md' });
  await expect(chip).toHaveText('1');
  await expect(first.locator('.markdown')).not.toContainText('[1]');

  await chip.hover();
  const card = page.getByLabel('Source 1', { exact: true });
  await expect(card).toBeVisible();
  await expect(card).toContainText('travel-policy.md');
  await expect(card).toContainText('/Travel & Expenses/shared/travel-policy.md');
  await expect(card).toContainText(/Hotel stays are reimbursed up to 180 EUR/);
  await expect(card).toContainText(/Relevance \d+%/);
  await page.mouse.move(0, 0);
  await expect(card).toHaveCount(0);

  // Keyboard users get the same card on focus.
  await chip.focus();
  await expect(card).toBeVisible();

  await chip.click();
  const sources = first.getByRole('region', { name: /^Sources/ });
  const pill = sources.getByRole('listitem').filter({ hasText: 'travel-policy.md' });
  await expect(pill).toHaveClass(/\bhighlight\b/);
  await expect(pill).toBeInViewport();
  await expect(sources.getByRole('region', { name: /: travel-policy\.md$/ }).getByText(/Hotel stays are reimbursed/)).toBeVisible();
  // The highlight fades; the details stay open.
  await expect(pill).not.toHaveClass(/\bhighlight\b/, { timeout: 5_000 });
});

test('suggested follow-ups and "ask again" are offered under the latest answer only', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  const first = await waitForAnswer(page, 1);
  await expect(first.getByRole('group', { name: 'Suggested follow-up questions' })).toBeVisible();
  await expect(first.getByRole('checkbox', { name: /when asking again$/ }).first()).toBeVisible();
  await ask(page, 'When must expense reports be submitted?');
  const second = await waitForAnswer(page, 2);
  await expect(second.getByRole('group', { name: 'Suggested follow-up questions' })).toBeVisible();
  await expect(second.getByRole('checkbox', { name: /when asking again$/ }).first()).toBeVisible();
  await expect(first.getByRole('group', { name: 'Suggested follow-up questions' })).toHaveCount(0);
  await expect(first.getByRole('checkbox', { name: /when asking again$/ })).toHaveCount(0);
  await expect(first.getByRole('button', { name: /Ask again using only these/ })).toHaveCount(0);
  // The older answer keeps its sources, copy and rating.
  await expect(first.getByRole('heading', { name: /^Sources/ })).toBeVisible();
  await expect(first.getByRole('button', { name: 'Copy answer' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Suggested follow-up questions' })).toHaveCount(1);
});

// FIXME(merge of #15's shell and Ask redesigns): flaky on the merged build (the Welcome's suggested questions sometimes never show, about one run in two); named in the issue notes.
test('a suggested question of a new conversation is asked at once', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'New conversation' }).click();
  await expect(page.getByRole('textbox', { name: 'Question' })).toBeFocused();
  const suggestions = page.getByRole('list', { name: 'Suggested questions' }).getByRole('button');
  await expect(suggestions.first()).toBeVisible();
  const question = await suggestions.first().innerText();
  await suggestions.first().click();
  await expect(turn(page, 1).locator('.question-text')).toHaveText(question);
  await waitForAnswer(page, 1);
  expect(streamBodies(sim).at(-1)).toMatchObject({ queryString: question, datasetNames: ['Travel & Expenses'] });
  await expect(page.getByRole('textbox', { name: 'Question' })).toHaveValue('');
});

test('a follow-up question continues the same conversation on Gaia', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  await waitForAnswer(page, 1);
  await ask(page, 'And how much is the per diem for meals?');
  await waitForAnswer(page, 2);

  const [first, second] = streamBodies(sim);
  expect(first.conversationId).toBeUndefined();
  const serverId = [...sim.conversations.keys()][0];
  expect(second.conversationId).toBe(serverId);
  expect(sim.conversations.get(serverId)?.map((t) => t.question)).toEqual(['What is the hotel limit per night in Europe?', 'And how much is the per diem for meals?']);
  await expect(answer(page, 2)).toContainText('Following up on our conversation');
  const list = page.getByRole('navigation', { name: 'Conversations' });
  await expect(list.getByRole('button', { name: /What is the hotel limit/ })).toContainText('2 questions');
  // The follow-up is offered once, under the latest answer.
  await expect(page.getByRole('group', { name: 'Suggested follow-up questions' })).toHaveCount(1);
});

test('follow-up buttons ask their question in the conversation', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  const first = await waitForAnswer(page, 1);
  const suggestions = first.getByRole('group', { name: 'Suggested follow-up questions' }).getByRole('button');
  await expect(suggestions.first()).toBeVisible();
  const question = await suggestions.nth(1).innerText();
  await suggestions.nth(1).click();
  await expect(turn(page, 2).locator('.question-text')).toHaveText(question);
  await waitForAnswer(page, 2);
  const bodies = streamBodies(sim);
  expect(bodies.at(-1)).toMatchObject({ queryString: question, conversationId: [...sim.conversations.keys()][0] });
});

test('Enter sends, Shift+Enter starts a new line', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  const box = page.getByRole('textbox', { name: 'Question' });
  await box.fill('What is the hotel limit');
  await box.press('Shift+Enter');
  await box.pressSequentially('in Europe?');
  await expect(box).toHaveValue('What is the hotel limit\nin Europe?');
  expect(streamBodies(connected.sim)).toHaveLength(0);
  await box.press('Enter');
  await waitForAnswer(page, 1);
  expect(streamBodies(connected.sim)[0].queryString).toBe('What is the hotel limit\nin Europe?');
  await expect(box).toHaveValue('');
});

test('Stop closes the connection to Gaia and keeps what arrived, marked stopped', async ({ page, connected }) => {
  const { sim, preview } = connected;
  sim.faults.set({ streamDelayMs: 800 });
  const watch = diagnosticsChannel('/ask/stream');
  try {
    await openAsk(page, preview);
    await chooseDataset(page, 'Travel & Expenses');
    await ask(page, 'What is the hotel limit per night in Europe?');
    const first = answer(page, 1);
    await expect(first.locator('.markdown')).not.toBeEmpty({ timeout: 15_000 });
    const stoppedAt = Date.now();
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(first.getByText('Stopped.')).toBeVisible();
    await expect(first).toHaveAttribute('aria-busy', 'false');
    const kept = await first.locator('.markdown').innerText();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).not.toContain('Legal holds'); // the end never arrived

    // Gaia's side saw the connection closed before it had written the answer.
    await expect.poll(() => watch.requests.filter((r) => r.closedAt !== null).length).toBe(1);
    const request = watch.requests[0];
    expect(request.finished).toBe(false);
    // Well before the rest of the answer (several more events, 800 ms apart) would have come.
    expect(request.closedAt! - stoppedAt).toBeLessThan(4_000);

    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
    // Stored that way too.
    await page.reload();
    await openAsk(page, preview);
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /hotel limit/ }).click();
    await expect(answer(page, 1).getByText('Stopped.')).toBeVisible();
    await expect(answer(page, 1).locator('.markdown')).toHaveText(kept);
  } finally {
    watch.dispose();
  }
});

test('a dropped stream keeps its text, and Retry asks again', async ({ page, connected }) => {
  const { sim, preview } = connected;
  sim.faults.set({ streamDropAfter: 2 });
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  const first = await waitForEnd(page, 1);
  await expect(first.getByRole('alert')).toContainText('broke off in the middle of the answer');
  const kept = await first.locator('.markdown').innerText();
  expect(kept.length).toBeGreaterThan(0);

  sim.faults.clear();
  await first.getByRole('button', { name: 'Retry' }).click();
  const second = await waitForAnswer(page, 2);
  await expect(second.locator('.markdown')).toContainText('180 EUR per night in Europe');
  await expect(second.getByRole('alert')).toHaveCount(0);
  // The broken answer stays as it was, still offering a retry.
  await expect(first.locator('.markdown')).toHaveText(kept);
  expect(streamBodies(sim).map((b) => b.queryString)).toEqual(['What is the hotel limit per night in Europe?', 'What is the hotel limit per night in Europe?']);
});

test('an error event shows Gaia’s message and keeps the partial text', async ({ page, connected }) => {
  const { sim, preview } = connected;
  sim.faults.set({ streamError: { afterChunks: 2, message: 'The language model stopped responding.' } });
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  const first = await waitForEnd(page, 1);
  await expect(first.getByRole('alert')).toContainText('The language model stopped responding.');
  await expect(first.locator('.markdown')).not.toBeEmpty();
  await expect(first.getByRole('button', { name: 'Retry' })).toBeVisible();
});

test('refine asks again using only the chosen sources', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openAsk(page, preview);
  await chooseDataset(page, 'Engineering Wiki');
  await ask(page, 'storage outage backups retention');
  const first = await waitForAnswer(page, 1);
  const again = first.getByRole('button', { name: /Ask again using only these/ });
  // Until a source is ticked there is nothing to ask again with: a line says how, no dead button.
  await expect(again).toHaveCount(0);
  await expect(first.getByText('Tick sources to ask the question again with only them.')).toBeVisible();
  const picks = first.getByRole('checkbox', { name: /^Use .* when asking again$/ });
  expect(await picks.count()).toBeGreaterThan(1);
  const chosenName = (await picks.nth(1).getAttribute('aria-label'))!.replace(/^Use (.*) when asking again$/, '$1');
  await picks.nth(1).check();
  await again.click();

  const second = await waitForAnswer(page, 2);
  await expect(turn(page, 2).getByText('Asked again using only chosen sources')).toBeVisible();
  await expect(second.getByRole('heading', { name: 'Sources (1)' })).toBeVisible();
  await expect(second.getByText(chosenName, { exact: true })).toBeVisible();
  const refine = streamBodies(sim, '/ask/refine/stream');
  expect(refine).toHaveLength(1);
  expect(refine[0].documentUids).toEqual([expect.stringContaining(chosenName)]);
  expect(refine[0].queryUid).toBeTruthy();
});

test('Find all documents pages through the exhaustive search', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openAsk(page, preview);
  await chooseDataset(page, 'HR Policies');
  await ask(page, 'policy travel backups retention days hotel expense');
  const first = await waitForAnswer(page, 1);
  await first.getByRole('button', { name: 'Find all documents' }).click();
  const panel = first.getByRole('region', { name: 'All documents for this question' });
  await expect(panel.getByRole('status')).toContainText(/\d+ documents? found in HR Policies/);
  await panel.getByRole('combobox', { name: 'Per page' }).selectOption('5');
  await expect(panel.getByRole('status')).toContainText('so far');
  const puts = () => sim.requestLog.filter((r) => r.method === 'PUT' && r.path.endsWith('/ask/exhaustive')).map((r) => r.body as Record<string, unknown>);
  const before = puts().length;
  const found = panel.getByRole('list', { name: 'Documents found in HR Policies' }).getByRole('listitem').filter({ has: page.locator('strong') });
  const shown = await found.count();
  await panel.getByRole('button', { name: 'Load more' }).click();
  await expect.poll(() => puts().length).toBe(before + 1);
  expect(puts().at(-1)).toMatchObject({ datasetName: 'HR Policies', pageSize: 5, paginationToken: expect.any(String) });
  // Page by page until the last one: then there is nothing more to load.
  for (let i = 0; i < 5 && (await panel.getByRole('button', { name: 'Load more' }).count()); i++) {
    await panel.getByRole('button', { name: 'Load more' }).click();
    await expect(panel.getByRole('button', { name: /Loading/ })).toHaveCount(0);
  }
  await expect(panel.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  await expect(panel.getByRole('status')).not.toContainText('so far');
  expect(await found.count()).toBeGreaterThanOrEqual(shown);
  await expect(found.filter({ hasText: 'travel-policy.md' })).toHaveCount(1);
  await expect(found.filter({ hasText: 'backup-retention.md' })).toHaveCount(1);
});

test('thumbs up and down reach Gaia and stay on the answer', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  const first = await waitForAnswer(page, 1);
  const up = first.getByRole('button', { name: 'Good answer' });
  const down = first.getByRole('button', { name: 'Bad answer' });
  await expect(up).toHaveAttribute('aria-pressed', 'false');
  await up.click();
  await expect(up).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => sim.feedback.length).toBe(1);
  const queryUid = sim.conversations.values().next().value![0].queryUid;
  // Gaia's documented shape: the query uid and the feedback enum (docs/gaia-api.md §Feedback).
  expect(sim.feedback[0].body).toEqual({ queryUid, feedback: 'true' });
  await down.click();
  await expect(down).toHaveAttribute('aria-pressed', 'true');
  await expect(up).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => sim.feedback.length).toBe(2);
  expect(sim.feedback[1].body).toEqual({ queryUid, feedback: 'false' });

  await page.reload();
  await openAsk(page, preview);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /hotel limit/ }).click();
  await expect(answer(page, 1).getByRole('button', { name: 'Bad answer' })).toHaveAttribute('aria-pressed', 'true');
});

test('raw HTML in an answer shows as text and nothing runs; links open only through main', async ({ page, connected }) => {
  const { sim, preview } = connected;
  const evil = 'Before <script>window.__gaiaPwned = 1</script> and <img src=x onerror="window.__gaiaPwned = 2"> after.';
  sim.faults.set({
    bodyOverride: {
      path: '/ask/stream',
      count: 1,
      body: {
        responseString: `${evil}\n\n<b onmouseover="window.__gaiaPwned = 3">bold?</b> ![tracker](https://tracker.example/pixel.png)\n\nSee [the outside world](https://example.com/steal) or [Cohesity docs](https://docs.cohesity.com/gaia/guide).`,
        queryUid: 'q-html',
        conversationId: 'c-html',
        documents: [],
      },
    },
  });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'Show me something dangerous');
  const first = await waitForAnswer(page, 1);
  const body = first.locator('.markdown');
  await expect(body).toContainText('<script>window.__gaiaPwned = 1</script>');
  await expect(body).toContainText('<img src=x onerror="window.__gaiaPwned = 2">');
  await expect(body).toContainText('<b onmouseover="window.__gaiaPwned = 3">');
  await expect(body.locator('script, img, b, iframe, object')).toHaveCount(0);
  await expect(body.getByText('[image: tracker]')).toBeVisible();
  await body.hover();
  expect(await page.evaluate(() => (window as unknown as { __gaiaPwned?: number }).__gaiaPwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(requests.filter((u) => !u.startsWith(preview.origin))).toEqual([]);

  const url = page.url();
  await body.getByRole('link', { name: 'the outside world' }).click();
  await expect(body.getByRole('status')).toContainText('not opened');
  await body.getByRole('link', { name: 'Cohesity docs' }).click({ modifiers: ['Control'] });
  await expect.poll(() => preview.output()).toContain('open in your browser: https://docs.cohesity.com/gaia/guide');
  expect(page.url()).toBe(url);
  expect(page.context().pages()).toHaveLength(1);
  expect(preview.output()).not.toContain('https://example.com/steal');
});

test('tables, lists and code render; Copy answer and Copy code copy Markdown', async ({ page, connected, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: connected.preview.origin });
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Backups & Retention');
  await ask(page, 'Show the standard retention policy definition and compare monthly backups in a table');
  const first = await waitForAnswer(page, 1);
  await expect(first.getByRole('table')).toBeVisible();
  await expect(first.getByRole('columnheader', { name: 'Document' })).toBeVisible();
  await expect(first.locator('.markdown').getByRole('listitem').first()).toBeVisible();
  await expect(first.locator('pre code')).toContainText('policy: standard-retention');

  await first.getByRole('button', { name: 'Copy code' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^policy: standard-retention\n[\s\S]*datalock: compliance$/);
  await first.getByRole('button', { name: 'Copy answer' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('| # | Document | Dataset | Relevance |');
  expect(copied).toContain('```yaml');
});

test('the model and language go with the question, and the composer remembers them per profile', async ({ page, connected }) => {
  const { sim, preview } = connected;
  await openAsk(page, preview);
  const model = page.getByRole('combobox', { name: 'Model' });
  await expect(model.getByRole('option', { name: 'GPT-4o (simulated) (default)' })).toBeAttached();
  await expect(model.getByRole('option', { name: /Llama 3 70B \(simulated\) — not available/ })).toBeDisabled();
  await expect(model.getByRole('option', { name: 'Claude Sonnet (simulated)' })).toBeEnabled();
  await chooseDataset(page, 'Travel & Expenses');
  await chooseDataset(page, 'Finance Reports');
  await model.selectOption('sim-claude');
  await page.getByRole('combobox', { name: 'Answer language' }).selectOption('de-DE');
  await page.getByRole('button', { name: 'Remove Finance Reports' }).click();
  await ask(page, 'What is the hotel limit per night in Europe?');
  await waitForAnswer(page, 1);
  expect(streamBodies(sim)[0]).toMatchObject({ datasetNames: ['Travel & Expenses'], llmId: 'sim-claude', queryLanguageCode: 'de-DE' });

  await page.reload();
  await openAsk(page, preview);
  await expect(page.getByRole('button', { name: 'Remove Travel & Expenses' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove Finance Reports' })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue('sim-claude');
  await expect(page.getByRole('combobox', { name: 'Answer language' })).toHaveValue('de-DE');
});

// FIXME(merge of #15's shell and Ask redesigns with #14/#15 commands): fails on the merged build; named in the issue notes.
test('datasets are picked from the list with the keyboard', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  const box = page.getByRole('combobox', { name: 'Add a dataset' });
  await box.fill('board');
  const options = page.getByRole('listbox', { name: 'Datasets' }).getByRole('option');
  await expect(options).toHaveText([/Board Minutes 2023/, /Board Minutes 2024/]);
  await box.press('ArrowDown');
  await box.press('Enter');
  await expect(page.getByRole('button', { name: 'Remove Board Minutes 2024' })).toBeVisible();
  await expect(options.filter({ hasText: 'Board Minutes 2024' })).toHaveAttribute('aria-selected', 'true');
  await box.press('Escape');
  await expect(page.getByRole('listbox', { name: 'Datasets' })).toHaveCount(0);
  await box.press('Backspace');
  await expect(page.getByRole('button', { name: 'Remove Board Minutes 2024' })).toHaveCount(0);
});

test('every control on the Ask page has an accessible name', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Engineering Wiki');
  await ask(page, 'storage outage backups retention');
  const first = await waitForAnswer(page, 1);
  await first.getByRole('region', { name: /^Sources/ }).getByRole('button', { name: /^Source / }).first().click();
  await first.getByRole('button', { name: 'Find all documents' }).click();
  await expect(first.getByRole('region', { name: 'All documents for this question' }).getByRole('status')).toContainText('found');
  await page.getByRole('combobox', { name: 'Add a dataset' }).focus();

  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ ignored: boolean; role?: { value: string }; name?: { value: string } }> };
  const interactive = new Set(['button', 'link', 'textbox', 'searchbox', 'combobox', 'checkbox', 'option', 'listbox', 'radio', 'switch', 'tab', 'menuitem']);
  const controls = nodes.filter((n) => !n.ignored && n.role && interactive.has(n.role.value));
  expect(controls.length).toBeGreaterThan(20);
  const unnamed = controls.filter((n) => !n.name?.value?.trim()).map((n) => n.role!.value);
  expect(unnamed).toEqual([]);
});

test('“Ask these” on the Datasets page opens a new conversation over those datasets', async ({ page, connected }) => {
  await openAsk(page, connected.preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  await waitForAnswer(page, 1);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Datasets' }).click();
  // Found as a user finds them (the table renders only the rows in view).
  await page.getByRole('searchbox', { name: 'Search datasets by name' }).fill('ops');
  await page.getByRole('checkbox', { name: 'Select Café Ops' }).check();
  await page.getByRole('checkbox', { name: 'Select Ops Runbooks' }).check();
  await page.getByRole('button', { name: /^Ask these/ }).click();

  await expect(page.getByRole('button', { name: 'Remove Café Ops' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove Ops Runbooks' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove Travel & Expenses' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'New conversation' })).toBeVisible();
  await ask(page, 'How do I open the café in the morning?');
  await waitForAnswer(page, 1);
  const bodies = streamBodies(connected.sim);
  expect(bodies.at(-1)).toMatchObject({ datasetNames: ['Café Ops', 'Ops Runbooks'] });
  expect(bodies.at(-1)?.conversationId).toBeUndefined();
});

test('a window reloaded mid-answer picks the answer up from the history and sees it finish', async ({ page, connected }) => {
  const { sim, preview } = connected;
  sim.faults.set({ streamDelayMs: 300 });
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  await ask(page, 'What is the hotel limit per night in Europe?');
  await expect(answer(page, 1).locator('.markdown')).not.toBeEmpty({ timeout: 15_000 });
  await page.reload();
  await openAsk(page, preview);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /hotel limit/ }).click();
  const first = answer(page, 1);
  await expect(first).toHaveAttribute('aria-busy', 'true');
  await expect(first).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 });
  await expect(first.locator('.markdown')).toContainText('180 EUR per night in Europe');
  await expect(first.getByRole('heading', { name: 'Sources (1)' })).toBeVisible();
});

test('an answer whose deltas the page missed (its event stream cut mid-answer) ends whole, read from the history', async ({ page, connected }) => {
  const { sim, preview } = connected;
  // A known answer, long enough in time that the stream is still going when the page is back.
  const pieces = Array.from({ length: 40 }, (_, i) => `Part ${String(i + 1).padStart(2, '0')}. `);
  const WHOLE = pieces.join('').trim();
  sim.faults.set({ streamPieces: pieces, streamDelayMs: 150 });
  // A way to break the page's event stream as a network blink would (Chromium's offline
  // emulation leaves an open response alone): the response the transport reads errors.
  await page.addInitScript(() => {
    const original = window.fetch.bind(window);
    const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
    (window as unknown as { cutEvents: () => number }).cutEvents = () => {
      for (const c of open) c.error(new TypeError('network error'));
      const cut = open.size;
      open.clear();
      return cut;
    };
    window.fetch = async (input, init) => {
      const response = await original(input, init);
      if (!String(input instanceof Request ? input.url : input).includes('/__gaia/events') || !response.body) return response;
      const reader = response.body.getReader();
      let mine: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start: (c) => void open.add((mine = c)),
        async pull(c) {
          const { value, done } = await reader.read();
          if (!open.has(mine)) return void reader.cancel();
          if (done) return c.close();
          c.enqueue(value);
        },
        cancel: () => void reader.cancel(),
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
  });
  await openAsk(page, preview);
  await chooseDataset(page, 'Travel & Expenses');
  const reconnects: string[] = [];
  const calls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/__gaia/events')) reconnects.push(r.url());
    const body = r.postData();
    if (body && /"channel"/.test(body)) calls.push(String((JSON.parse(body) as { channel?: unknown }).channel));
  });
  await ask(page, 'What is the hotel limit per night in Europe?');
  const first = answer(page, 1);
  await expect(first.locator('.markdown')).toContainText('Part 01.');
  await expect(first).toHaveAttribute('aria-busy', 'true');

  // The preview server keeps no backlog for a reconnecting page: what it writes meanwhile is lost to it.
  let refused = 0;
  await page.route('**/__gaia/events', (route) => {
    refused++;
    return route.abort('internetdisconnected');
  });
  const cutAt = calls.length;
  expect(await page.evaluate(() => (window as unknown as { cutEvents: () => number }).cutEvents())).toBe(1);
  await expect.poll(() => refused).toBeGreaterThan(1);
  await page.unroute('**/__gaia/events');
  await expect(first).toHaveAttribute('aria-busy', 'true');
  // Back before the answer ends: the page reconnects and gets the final event.
  await expect.poll(() => reconnects.length).toBeGreaterThan(refused);

  await waitForAnswer(page, 1);
  await expect(first.locator('.markdown')).toHaveText(WHOLE);
  expect(calls.slice(cutAt), 'the page read the stored turn for the text it missed').toContain('gaia:history.get');
});

test.describe('datasets as Gaia has them', () => {
  const SPACED = '  Legal   Hold  2024 ';
  test.use({ simOptions: { extraDatasets: [{ name: SPACED }], faults: { runningLooksHealthy: true } } });

  // FIXME(merge): flaky on the merged build — the Ask picker's dataset list sometimes never offers the datasets (as in the
  // suggested-questions and keyboard-picker tests above); the core side is covered by gaia-reference / datasets-list tests. Named in the notes.
  test('a running run that says Healthy is offered as indexing; a spaced name is kept exactly, in the chip and in the question to Gaia', async ({ page, connected }) => {
    const { sim, preview } = connected;
    await openAsk(page, preview);
    const box = page.getByRole('combobox', { name: 'Add a dataset' });
    await box.fill('HR Pol');
    await expect(page.getByRole('option', { name: /HR Policies/ })).toContainText(/indexing \d+%/);

    await box.fill('Legal   Hold');
    const option = page.getByRole('option', { name: /Legal\s+Hold\s+2024/ });
    await expect(option.locator('.option-name')).toHaveJSProperty('textContent', SPACED);
    await option.click();
    const chip = page.locator('.chip > span').first();
    await expect(chip).toHaveJSProperty('textContent', SPACED);
    expect(await chip.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre');
    // What is shown is what is sent: the name travels as Gaia sent it.
    await ask(page, 'How long are backups kept?');
    await waitForAnswer(page, 1);
    expect((streamBodies(sim).at(-1) as { datasetNames: string[] }).datasetNames).toEqual([SPACED]);

    // The Datasets table shows it the same way, and the running run as Indexing with its progress.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Datasets', exact: true }).click();
    const cell = page.locator('.ds-name').filter({ hasText: /Legal\s+Hold/ });
    await expect(cell).toHaveJSProperty('textContent', SPACED);
    expect(await cell.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre');
    const hr = page.getByRole('row').filter({ has: page.locator('.ds-name', { hasText: 'HR Policies' }) });
    await expect(hr).toContainText('Indexing');
    await expect(hr.getByRole('progressbar')).toBeVisible();
  });
});
