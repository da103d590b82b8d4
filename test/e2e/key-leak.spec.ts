/**
 * The key-leak sweep: one session through every flow of the app, driven by role and
 * label as a user would — connect (through refused, unknown-CA and wrong-key failures),
 * a read-only key's 403, browse datasets (list, details, topics) through a 429 storm, a
 * 5xx, an HTML page and invalid JSON, ask (streamed answer, sources, follow-up,
 * feedback, all documents, refine) through a dropped stream and an error event, the key
 * service (list, create, re-permission, delete, use for this connection), rotation, a
 * reload and a shutdown. After each part, and at the end, `test/support/e2e-leaks.ts` proves that
 * none of the keys involved — the simulator's two, a mistyped one, and every key created
 * or rotated on the way — nor any 8-character piece of one, is anywhere but the apikey
 * header of a request to the simulator's own host.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { answer, ask, waitForAnswer } from '../support/e2e-ask';
import { callCore, expect, openApp, test } from '../support/e2e-fixtures';
import { findKey, startLeakSweep } from '../support/e2e-leaks';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const goTo = (page: Page, name: 'Connections' | 'Datasets' | 'Ask' | 'Keys') => sidebar(page).getByRole('button', { name, exact: true }).click();
const connectForm = (page: Page) => page.getByRole('form', { name: 'Connect to Gaia' });
const card = (page: Page, name: string) => page.getByRole('listitem', { name, exact: true });
const keyRow = (page: Page, key: string) => page.getByRole('row', { name: `Key ending ${key.slice(-4)}` });
const datasetRow = (page: Page, name: string) =>
  page.getByRole('grid', { name: 'Datasets' }).getByRole('row').filter({ has: page.getByRole('gridcell') }).filter({ has: page.getByText(name, { exact: true }) });
const alertWith = (scope: Page | Locator, text: string | RegExp) => scope.getByRole('alert').filter({ hasText: text });

/** The n-th answer once it has ended, however it ended (waitForAnswer is for answers that end well). */
async function ended(page: Page, n: number): Promise<Locator> {
  const region = answer(page, n);
  await expect(region).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 });
  return region;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function fillConnect(form: Locator, fields: { name: string; baseUrl: string; key: string }) {
  await form.getByLabel('Connection name').fill(fields.name);
  await form.getByLabel('Gaia base URL').fill(fields.baseUrl);
  await form.getByLabel('API key', { exact: true }).fill(fields.key);
}

test.setTimeout(150_000);

test('key-leak sweep: across every flow and every kind of error, no key (nor an 8-character piece of one) is anywhere but Gaia’s apikey header', async ({ page, preview, sim }) => {
  const sweep = await startLeakSweep(page, preview, sim);
  const wrongKey = `wrong-${randomBytes(10).toString('hex')}`;
  sweep.addKey(wrongKey);
  // The finder itself finds a piece, so a clean result means something.
  expect(findKey([sim.demoKey], `…${sim.demoKey.slice(5, 13)}…`)?.key).toBe(sim.demoKey);
  expect(findKey([sim.demoKey], sim.demoKey.slice(5, 12))).toBeNull();

  await openApp(page, preview);
  await expect(page.getByRole('heading', { name: 'Connect to Gaia first' })).toBeVisible();

  // --- Connect, through each way it fails first ------------------------------------------
  const form = connectForm(page);
  const refused = await closedPort();
  await fillConnect(form, { name: 'Sim', baseUrl: `https://127.0.0.1:${refused}/v2/mcm/gaia`, key: sim.demoKey });
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(form.getByRole('alert').first()).toContainText('connection refused');

  // The right address without its CA: refused at the TLS handshake, before the key is sent.
  const sentBefore = sim.requestLog.length;
  await form.getByLabel('Gaia base URL').fill(sim.baseUrl);
  await form.getByRole('button', { name: 'Connect' }).click();
  // The certificate decision is its own dialog; Cancel goes back to the form.
  const decision = page.getByRole('dialog', { name: 'Trust this server’s certificate?' });
  await expect(decision).toContainText('issued by an authority this computer does not trust');
  await expect(decision.getByRole('region', { name: 'Certificates the server presented' })).toBeVisible();
  expect(sim.requestLog.length).toBe(sentBefore);
  await decision.getByRole('button', { name: 'Cancel' }).click();

  await form.getByLabel('CA certificate file').setInputFiles(sim.caFile);
  await form.getByLabel('API key', { exact: true }).fill(wrongKey);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(form.getByRole('alert').first()).toContainText('Gaia did not accept the API key (401)');

  await form.getByLabel('API key', { exact: true }).fill(sim.demoKey);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(card(page, 'Sim')).toContainText(`Key ending …${sim.demoKey.slice(-4)}`);
  await expect(sidebar(page)).toContainText(`Key ending …${sim.demoKey.slice(-4)}`);

  // A read-only key: connects, and the key service answers 403 to a change.
  await page.getByRole('button', { name: 'Add connection' }).click();
  await fillConnect(form, { name: 'Reader', baseUrl: sim.baseUrl, key: sim.readKey });
  await form.getByLabel('CA certificate file').setInputFiles(sim.caFile);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(card(page, 'Reader')).toContainText(`Key ending …${sim.readKey.slice(-4)}`);
  await goTo(page, 'Keys');
  await expect(keyRow(page, sim.readKey)).toContainText('This connection’s key');
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(alertWith(page, '403')).toContainText('may not make changes (403)');
  await goTo(page, 'Connections');
  await card(page, 'Sim').getByRole('button', { name: 'Use this connection' }).click();
  await expect(page.getByRole('button', { name: /Active connection: Sim/ })).toBeVisible();
  await sweep.check('after connecting');

  // --- Browse datasets: list, details, topics, and the ways Gaia answers badly -------------
  await goTo(page, 'Datasets');
  await expect(page.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search datasets by name' });
  await search.fill('legal');
  sim.faults.set({ htmlPage: { count: 1, path: '/details' } });
  await datasetRow(page, 'Legal/Contracts 2024').click();
  const legal = page.getByRole('complementary', { name: 'Legal/Contracts 2024' });
  await expect(alertWith(legal, 'sign-in page answered instead of Gaia')).toBeVisible();
  await legal.getByRole('button', { name: 'Try again' }).click();
  await expect(legal.getByRole('region', { name: 'Protected objects' })).toContainText('Legal/Contracts 2024 share 1');

  sim.faults.set({ rateLimit: { count: 2, retryAfter: 1, path: '/datasets' } });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Rate limited, retrying in \d s/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /Rate limited/ })).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();

  sim.faults.set({ serverError: { count: 1, status: 500, path: '/datasets' } });
  await page.getByRole('button', { name: 'Refresh' }).click();
  const banner = page.getByRole('status').filter({ hasText: 'Gaia did not answer' });
  await expect(banner).toContainText('HTTP 500');
  await banner.getByRole('button', { name: 'Try again' }).click();
  await expect(banner).toHaveCount(0);

  sim.faults.set({ invalidJson: { count: 1, path: '/datasets' } });
  await page.getByRole('button', { name: 'Refresh' }).click();
  const notJson = alertWith(page, 'it was not JSON');
  await expect(notJson).toBeVisible();
  await expect(datasetRow(page, 'Legal/Contracts 2024')).toBeVisible();
  await notJson.getByRole('button', { name: 'Try again' }).click();
  await expect(notJson).toHaveCount(0);

  await search.fill('travel');
  await datasetRow(page, 'Travel & Expenses').click();
  const topics = page.getByRole('complementary', { name: 'Travel & Expenses' }).getByRole('region', { name: 'Topics' });
  await topics.getByRole('button', { name: /Travel and Expense Policy/ }).click();
  await expect(topics.locator('.ds-topic-summary')).toContainText('Receipts are required');
  await sweep.check('after browsing datasets');

  // --- Ask: a suggested question, a streamed answer and everything around it ---------------
  const question = 'What is the hotel limit per night in Europe?';
  // A suggested question is asked at once, over its dataset.
  await topics.getByRole('button', { name: question }).click();
  await expect(page.getByRole('button', { name: 'Remove Travel & Expenses' })).toBeVisible();
  const first = await waitForAnswer(page, 1);
  await expect(first.locator('.markdown')).toContainText('180 EUR per night in Europe');
  await first.getByRole('region', { name: /^Sources/ }).getByRole('button', { name: /^Source [\d–, ]+: travel-policy\.md/ }).click();
  await expect(first.getByRole('region', { name: /^Source [\d–, ]+: travel-policy\.md$/ })).toBeVisible();

  await first.getByRole('group', { name: 'Suggested follow-up questions' }).getByRole('button').first().click();
  const second = await waitForAnswer(page, 2);
  await second.getByRole('button', { name: 'Good answer' }).click();
  await expect(second.getByRole('button', { name: 'Good answer' })).toHaveAttribute('aria-pressed', 'true');
  await second.getByRole('button', { name: 'Find all documents' }).click();
  await expect(second.getByRole('region', { name: 'All documents for this question' }).getByRole('status')).toContainText('found');

  // "Ask again using only these" belongs to the latest answer.
  await second.getByRole('checkbox', { name: /^Use .* when asking again$/ }).first().check();
  await second.getByRole('button', { name: /Ask again using only these/ }).click();
  await waitForAnswer(page, 3);
  await expect(page.getByText('Asked again using only chosen sources')).toBeVisible();

  sim.faults.set({ streamDropAfter: 2 });
  await ask(page, 'When must expense reports be submitted?');
  const dropped = await ended(page, 4);
  await expect(dropped.getByRole('alert')).toContainText('broke off in the middle of the answer');
  sim.faults.clear();
  await dropped.getByRole('button', { name: 'Retry' }).click();
  await waitForAnswer(page, 5);

  sim.faults.set({ streamError: { afterChunks: 1, message: 'The language model stopped responding.' } });
  await ask(page, 'Is business class allowed?');
  const failed = await ended(page, 6);
  await expect(failed.getByRole('alert')).toContainText('The language model stopped responding.');
  sim.faults.clear();
  expect(sim.feedback).toHaveLength(1);
  await sweep.check('after asking');

  // --- The key service: list, create, use for this connection, re-permission, delete ------
  await goTo(page, 'Keys');
  await expect(keyRow(page, sim.demoKey)).toContainText('This connection’s key');
  const known = () => new Set(sweep.keys());
  const newKeyAfter = async (before: Set<string>, permissions: string) => {
    await expect.poll(() => sim.keys().filter((k) => !before.has(k.apiKey)).length).toBe(1);
    const created = sim.keys().find((k) => !before.has(k.apiKey))!;
    expect(created.permissions).toBe(permissions);
    return created.apiKey;
  };
  const fresh = page.getByRole('region', { name: 'New key' });

  let before = known();
  await page.getByRole('radio', { name: /Read only/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(fresh).toContainText('Gaia will not show this key again');
  const readNew = await newKeyAfter(before, 'read');
  await expect(fresh).toContainText(`•••• •••• ${readNew.slice(-4)}`);
  await fresh.getByRole('button', { name: 'Copy key' }).click();
  await expect(fresh.getByRole('status')).toContainText('was not copied');
  await fresh.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('dialog', { name: 'Close without keeping the new key?' }).getByRole('button', { name: 'Close' }).click();
  await expect(fresh).toHaveCount(0);

  before = known();
  await page.getByRole('radio', { name: /Read and write/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(fresh).toBeVisible();
  const writeNew = await newKeyAfter(before, 'write');
  await fresh.getByRole('button', { name: 'Use it for this connection' }).click();
  await expect(page.getByRole('status').filter({ hasText: `now uses the new key ending …${writeNew.slice(-4)}` })).toBeVisible();
  await expect(keyRow(page, writeNew)).toContainText('This connection’s key');

  await keyRow(page, sim.readKey).getByRole('combobox', { name: `Permissions of the key ending ${sim.readKey.slice(-4)}` }).selectOption('write');
  await expect(page.getByRole('status').filter({ hasText: `The key ending ${sim.readKey.slice(-4)} is now read and write` })).toBeVisible();

  await keyRow(page, readNew).getByRole('button', { name: `Delete the key ending ${readNew.slice(-4)}` }).click();
  await page.getByRole('dialog', { name: `Delete the key ending ${readNew.slice(-4)}?` }).getByRole('button', { name: 'Delete key' }).click();
  await expect(keyRow(page, readNew)).toHaveCount(0);
  expect(sim.keys().some((k) => k.apiKey === readNew)).toBe(false);
  await sweep.check('after the key service');

  // --- Rotate the connection's key, then use the connection with the new one -------------
  before = known();
  await page.getByRole('button', { name: 'Rotate key…' }).click();
  await page.getByRole('dialog', { name: 'Rotate the key of “Sim”?' }).getByRole('button', { name: 'Rotate key' }).click();
  const steps = page.getByRole('list', { name: 'Rotation steps' });
  await expect(steps.getByRole('listitem', { name: 'Delete the old key on Gaia: Done' })).toBeVisible();
  const rotated = await newKeyAfter(before, 'write');
  await expect(sidebar(page)).toContainText(`Key ending …${rotated.slice(-4)}`);
  expect(sim.keys().some((k) => k.apiKey === writeNew)).toBe(false);
  await goTo(page, 'Datasets');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  await expect.poll(() => sim.requestLog.at(-1)?.headers.apikey).toBe(rotated);
  await sweep.check('after rotating');

  // --- Calls carrying a key that the core refuses: refused without repeating it ----------
  const refusals = [
    await callCore(preview, 'gaia:profiles.connect', { name: 'X', baseUrl: sim.baseUrl, apiKey: rotated, caPem: sim.caPem, extra: sim.readKey }),
    await callCore(preview, 'gaia:profiles.replaceKey', { id: 'no-such-profile', apiKey: rotated }),
    await callCore(preview, 'gaia:keys.useForProfile', { handle: rotated, profileId: 'no-such-profile' }),
    await callCore(preview, 'gaia:keys.delete', { handle: sim.demoKey }),
  ];
  for (const r of refusals) {
    expect(r.ok).toBe(false);
    expect(findKey(sweep.keys(), JSON.stringify(r))).toBeNull();
  }

  // --- A reload (what storage gives back), then the app shut down (its last words) -------
  await page.reload();
  await openApp(page, preview);
  await goTo(page, 'Ask');
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /hotel limit/ }).click();
  await expect(answer(page, 1).locator('.markdown')).toContainText('180 EUR per night in Europe');
  await sweep.check('after a reload');
  await preview.stop();
  await sweep.check('after the preview stopped');

  // The sweep looked at what it says it looked at.
  const keys = sweep.keys();
  for (const k of [sim.demoKey, sim.readKey, wrongKey, readNew, writeNew, rotated]) expect(keys).toContain(k);
  const seen = sweep.recorded();
  expect(seen.domChanges).toBeGreaterThan(100);
  expect(seen.calls).toBeGreaterThan(50);
  expect(seen.pageResponses).toBeGreaterThanOrEqual(seen.calls - 5);
  expect(seen.eventBytes).toBeGreaterThan(1000);
  expect(seen.requestsToCore).toBeGreaterThan(50);
  expect(seen.urls).toBeGreaterThan(50);
  expect(sim.requestLog.filter((r) => r.headers.apikey).length).toBeGreaterThan(30);
  sweep.stop();
});

/** A request to the simulator from outside the app, for planting a key where the app never would. */
function requestSim(sim: { origin: string; caPem: string }, pathAndQuery: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${sim.origin}${pathAndQuery}`, { ca: sim.caPem, servername: 'localhost', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the sweep’s instruments catch a key, or a piece of one, planted in each place they watch', async ({ page, connected }) => {
  const { preview, sim } = connected;
  const sweep = await startLeakSweep(page, preview, sim);
  await openApp(page, preview);
  // The Datasets page listens for progress events: the page's event stream is open.
  await goTo(page, 'Datasets');
  await expect(page.getByRole('status').filter({ hasText: /^36 datasets$/ })).toBeVisible();
  await sweep.check('before anything is planted');

  // Each plant uses a key of its own (only a piece of it is planted), and the check looks for that key only.
  const planted = async (where: RegExp, plant: (piece: string) => Promise<unknown>) => {
    const key = `planted-${randomBytes(10).toString('hex')}`;
    await plant(key.slice(6, 14));
    await expect.poll(() => sweep.check('a plant', [key]).then(() => 'nothing found', (err: Error) => err.message)).toMatch(where);
  };
  await planted(/in a DOM change/, (p) => page.evaluate((piece) => document.body.appendChild(Object.assign(document.createElement('p'), { textContent: piece })).remove(), p));
  await planted(/in the DOM/, (p) => page.evaluate((piece) => document.body.setAttribute('data-planted', piece), p));
  await planted(/in a field’s value/, (p) => page.evaluate((piece) => (document.body.appendChild(document.createElement('input')).value = piece), p));
  await planted(/in localStorage/, (p) => page.evaluate((piece) => localStorage.setItem('planted', piece), p));
  await planted(/in sessionStorage/, (p) => page.evaluate((piece) => sessionStorage.setItem(piece, '1'), p));
  await planted(/in IndexedDB/, (p) =>
    page.evaluate(
      (piece) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('planted');
          open.onupgradeneeded = () => open.result.createObjectStore('things');
          open.onsuccess = () => {
            const tx = open.result.transaction('things', 'readwrite');
            tx.objectStore('things').put({ nested: [piece] }, 1);
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
      p,
    ),
  );
  await planted(/in the console/, (p) => page.evaluate((piece) => console.info('planted', piece), p));
  await planted(/in the page address/, (p) => page.evaluate((piece) => history.replaceState(null, '', `?planted=${piece}`), p));
  // A call from the page: its progress events carry the request id back on the page's event stream.
  await planted(/in the event stream/, (p) =>
    page.evaluate(async (piece) => {
      const token = sessionStorage.getItem('gaia-preview-token')!;
      await fetch('/__gaia/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-gaia-token': token },
        body: JSON.stringify({ channel: 'gaia:datasets.list', request: { requestId: `x${piece}`, refresh: true } }),
      });
    }, p),
  );
  await planted(/in a core answer/, (p) =>
    page.evaluate(async (piece) => {
      const token = sessionStorage.getItem('gaia-preview-token')!;
      await fetch('/__gaia/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-gaia-token': token },
        body: JSON.stringify({ channel: 'gaia:profiles.checkUrl', request: { baseUrl: `https://${piece}.example.com/v2/mcm/gaia` } }),
      });
    }, p),
  );
  await planted(/in the file planted\/deep\.bin/, async (p) => {
    mkdirSync(path.join(preview.dataDir, 'planted'), { recursive: true });
    writeFileSync(path.join(preview.dataDir, 'planted', 'deep.bin'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(p, 'latin1')]));
  });
  await planted(/in a file name in the data dir/, async (p) => writeFileSync(path.join(preview.dataDir, `${p}.json`), '{}'));
  await planted(/in a request to Gaia \(GET \/v2\/mcm\/gaia\/datasets\)/, (p) => requestSim(sim, `/v2/mcm/gaia/datasets?note=${p}`, { apikey: sim.demoKey }));
  await planted(/in a request to Gaia/, (p) => requestSim(sim, '/v2/mcm/gaia/datasets', { apikey: sim.demoKey, 'x-api-key': p }));
  // The key where it may be — the apikey header — but addressed to another host.
  const key = `planted-${randomBytes(10).toString('hex')}`;
  await requestSim(sim, '/v2/mcm/gaia/datasets', { apikey: key, host: 'gaia.elsewhere.example' });
  await expect(sweep.check('a plant', [key])).rejects.toThrow(/carried an apikey header to gaia\.elsewhere\.example, not the simulator’s host/);
  sweep.stop();
});
