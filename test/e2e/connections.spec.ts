/**
 * The Connections page in the preview against the simulator, driven as a user would (by
 * role and label): connect with a custom CA file, each failure with its own message
 * (wrong key, wrong URL, unknown CA → trust this certificate), a read-only key, switching,
 * editing, deleting, replacing and forgetting keys, the keychain-unavailable path, and a
 * damaged profiles file. Keychain entries are read back through the real keychain.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { Profile } from '../../preload/contract';
import { createKeychain } from '../../main/core/platform/keychain';
import { createLog } from '../../main/core/platform/log';
import { watchForKeys } from '../support/key-leaks';
import { startPreview, type PreviewProcess } from '../support/preview-process';
import { callCore, connectProfile, expect, openApp, test } from '../support/e2e-fixtures';

const connectForm = (page: Page) => page.getByRole('form', { name: 'Connect to Gaia' });
const card = (page: Page, name: string) => page.getByRole('listitem', { name, exact: true });
const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** Opens the form's "Advanced" part (tenant context, CA, proxy, certificate checks). */
async function openAdvanced(form: Locator) {
  const details = form.locator('details.advanced');
  if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) await form.getByText('Advanced', { exact: true }).click();
}

async function fillConnect(form: Locator, fields: { name: string; baseUrl: string; key: string }) {
  await form.getByLabel('Connection name').fill(fields.name);
  await form.getByLabel('Gaia base URL').fill(fields.baseUrl);
  await form.getByLabel('API key', { exact: true }).fill(fields.key);
}

/** The key the real keychain holds for a profile of this preview (null when none). */
async function keychainEntry(preview: PreviewProcess, profileId: string): Promise<string | null> {
  const keychain = createKeychain({ service: preview.keychainService, log: createLog({ dir: null }), platform: 'linux' });
  try {
    return await keychain.get(profileId);
  } finally {
    await keychain.close();
  }
}

async function profiles(preview: PreviewProcess): Promise<Profile[]> {
  const res = await callCore(preview, 'gaia:profiles.list', {});
  return (res.value as { profiles: Profile[] }).profiles;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('connect with a custom CA file: certificates summarised before saving, key kept in the keychain, never in the page', async ({ page, preview, sim }) => {
  const watch = await watchForKeys(page, preview, sim);
  await openApp(page, preview);
  await expect(page.getByRole('heading', { name: 'Connect to Gaia first' })).toBeVisible();
  const form = connectForm(page);
  await expect(form.getByLabel('Gaia base URL')).toHaveValue('https://helios.cohesity.com/v2/mcm/gaia');
  // Connect with nothing typed goes to the first empty field and sends nothing.
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(form.getByLabel('Connection name')).toBeFocused();
  await expect(form.getByRole('alert')).toHaveCount(0);

  // The help for getting a key is there, folded.
  await form.getByText('How do I get a key?').first().click();
  await expect(form.getByText('Settings → Access Management → API Keys').first()).toBeVisible();
  await expect(form.getByText(/apiKeysEnabled/).first()).toBeVisible();

  await fillConnect(form, { name: 'Sim', baseUrl: sim.baseUrl, key: sim.demoKey });
  // Name, URL and key come first; the CA is under Advanced.
  await expect(form.getByLabel('Security context (optional)')).toBeHidden();
  await openAdvanced(form);
  await form.getByLabel('CA certificate file').setInputFiles(sim.caFile);
  const root = new X509Certificate(sim.caPem);
  const shown = form.getByRole('listitem', { name: /Certificate: Gaia Simulator Root CA/ });
  await expect(shown).toContainText(root.fingerprint256);
  await expect(shown).toContainText(/valid .* – /);
  await expect(shown).toContainText('Certificate authority');

  // Removing it and choosing it again works.
  await form.getByRole('button', { name: 'Remove CA certificate' }).click();
  await expect(shown).toHaveCount(0);
  await form.getByLabel('CA certificate file').setInputFiles(sim.caFile);
  await expect(shown).toBeVisible();

  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connected to “Sim”' })).toBeVisible();
  // The way on.
  await expect(page.getByRole('button', { name: 'Browse datasets' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Ask a question' })).toBeVisible();
  const simCard = card(page, 'Sim');
  await expect(simCard).toContainText(`Key ending …${sim.demoKey.slice(-4)}, added`);
  await expect(simCard).toContainText('Active');
  await expect(simCard).toContainText('CA certificate');
  await expect(sidebar(page)).toContainText(`Key ending …${sim.demoKey.slice(-4)}`);
  await expect(page.getByRole('button', { name: /Active connection: Sim/ })).toBeVisible();

  const [profile] = await profiles(preview);
  expect(profile.ca.map((c) => c.fingerprint256)).toEqual([root.fingerprint256]);
  expect(await keychainEntry(preview, profile.id)).toBe(sim.demoKey);
  await watch.check([sim.demoKey, sim.readKey]);
  watch.stop();
});

test('the base URL is checked as it is typed: http loopback warning, Helios console hint', async ({ page, preview }) => {
  await openApp(page, preview);
  const url = connectForm(page).getByLabel('Gaia base URL');
  await url.fill('http://127.0.0.1:8080/v2/mcm/gaia');
  await expect(connectForm(page).getByText(/uses http:\/\/ without encryption/)).toBeVisible();
  await url.fill('https://helios.cohesity.com/#/dashboard');
  await expect(connectForm(page).getByText(/Helios web console/)).toBeVisible();
  await expect(connectForm(page).getByText('https://helios.cohesity.com/v2/mcm/gaia', { exact: false })).toBeVisible();
  await url.fill('http://gaia.example.com/v2/mcm/gaia');
  await expect(connectForm(page).getByText(/unencrypted/)).toBeVisible();
  await expect(url).toHaveAttribute('aria-invalid', 'true');
});

test('a wrong key shows the 401 message and keeps everything typed; fixing the key connects', async ({ page, preview, sim }) => {
  await openApp(page, preview);
  const form = connectForm(page);
  await fillConnect(form, { name: 'Sim', baseUrl: sim.baseUrl, key: 'not-the-right-key-0123456789' });
  await openAdvanced(form);
  await form.getByLabel('CA certificate file').setInputFiles(sim.caFile);
  await form.getByLabel('Security context (optional)').fill('tenant-42');
  await form.getByRole('button', { name: 'Connect' }).click();
  const alert = form.getByRole('alert').first();
  await expect(alert).toContainText('Gaia did not accept the API key (401)');
  await expect(alert).toContainText('Settings → Access Management → API Keys');
  // Nothing lost, nothing saved.
  await expect(form.getByLabel('Connection name')).toHaveValue('Sim');
  await expect(form.getByLabel('Gaia base URL')).toHaveValue(sim.baseUrl);
  await expect(form.getByLabel('Security context (optional)')).toHaveValue('tenant-42');
  await expect(form.getByRole('listitem', { name: /Certificate: Gaia Simulator Root CA/ })).toBeVisible();
  await expect(form.getByLabel('API key', { exact: true })).not.toHaveValue('');
  await expect(form.getByLabel('API key', { exact: true })).toBeFocused();
  // The error is at the key field, and goes when the key is edited.
  await expect(form.getByLabel('API key', { exact: true })).toHaveAccessibleDescription(/did not accept the API key/);
  expect(await profiles(preview)).toEqual([]);

  await form.getByLabel('API key', { exact: true }).fill(sim.demoKey);
  await expect(form.getByText('Gaia did not accept the API key (401)')).toHaveCount(0);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(card(page, 'Sim')).toBeVisible();
  await expect(card(page, 'Sim')).toContainText('Security context');
});

test('a wrong URL (nothing listening) says connection refused', async ({ page, preview }) => {
  const port = await closedPort();
  await openApp(page, preview);
  const form = connectForm(page);
  // The footer's hint is secondary text, at the size of the fields' own hints (not body text).
  const size = (text: RegExp) => form.getByText(text).evaluate((el) => getComputedStyle(el).fontSize);
  expect(await size(/^Enter a name, the base URL and an API key/)).toBe(await size(/^Only on a multi-tenant cluster/));
  await fillConnect(form, { name: 'Nowhere', baseUrl: `https://127.0.0.1:${port}/v2/mcm/gaia`, key: 'some-key-0123456789abcdef' });
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(form.getByRole('alert').first()).toContainText(`Nothing is accepting connections at 127.0.0.1:${port} (connection refused)`);
  await expect(form.getByRole('alert').first()).toContainText('Check the base URL, including the port');
  await expect(form.getByLabel('Gaia base URL')).toBeFocused();
  expect(await profiles(preview)).toEqual([]);
});

test('an unknown CA: the presented chain with fingerprints, then “Trust issuing authority” (the top of the chain) connects', async ({ page, preview, sim }) => {
  const watch = await watchForKeys(page, preview, sim);
  await openApp(page, preview);
  const form = connectForm(page);
  await fillConnect(form, { name: 'Sim', baseUrl: sim.baseUrl, key: sim.demoKey });
  await form.getByRole('button', { name: 'Connect' }).click();
  // The decision is a dialog of its own, with focus on Cancel.
  const decision = page.getByRole('dialog', { name: 'Trust this server’s certificate?' });
  await expect(decision).toContainText('issued by an authority this computer does not trust');
  await expect(decision.getByRole('button', { name: 'Cancel' })).toBeFocused();
  const chain = decision.getByRole('region', { name: 'Certificates the server presented' });
  const leaf = new X509Certificate(sim.leafPem);
  const intermediate = new X509Certificate(sim.intermediatePem);
  await expect(chain.getByRole('listitem', { name: /Certificate: 127\.0\.0\.1/ })).toContainText(leaf.fingerprint256);
  await expect(chain.getByRole('listitem', { name: /Certificate: Gaia Simulator Intermediate CA/ })).toContainText(intermediate.fingerprint256);
  await expect(chain).toContainText('Issuing authority');
  // Each certificate's facts are a definition list; the choices are the dialog's own buttons, after Cancel.
  const intermediateItem = chain.getByRole('listitem', { name: /Certificate: Gaia Simulator Intermediate CA/ });
  await expect(intermediateItem.getByRole('term')).toHaveText(['Subject', 'Issued by', 'Validity', 'SHA-256 fingerprint']);
  await expect(decision.getByRole('button')).toHaveText(['Cancel', 'Trust server certificate', 'Trust issuing authority']);
  await expect(decision.getByRole('button', { name: /^Trust server certificate: 127\.0\.0\.1/ })).toBeVisible();
  expect(await profiles(preview)).toEqual([]);

  await decision.getByRole('button', { name: /^Trust issuing authority: Gaia Simulator Intermediate CA/ }).click();
  const simCard = card(page, 'Sim');
  await expect(simCard).toBeVisible();
  await expect(simCard).toContainText('Trusted certificate');
  const [profile] = await profiles(preview);
  expect(profile.trustedFingerprint).toBe(intermediate.fingerprint256);
  expect(profile.ca.map((c) => c.fingerprint256)).toEqual([intermediate.fingerprint256]);
  // The pinned connection keeps working.
  await simCard.getByRole('button', { name: 'Check connection' }).click();
  await expect(simCard.getByRole('status')).toContainText('works');
  await watch.check([sim.demoKey]);
  watch.stop();
});

test('the certificate decision opened from the Add a connection sheet covers the sheet', async ({ page, connected }) => {
  await openApp(page, connected.preview);
  await sidebar(page).getByRole('button', { name: 'Connections', exact: true }).click();
  await page.getByRole('button', { name: 'Add connection' }).click();
  const sheet = page.getByRole('dialog', { name: 'Add a connection' });
  await fillConnect(sheet, { name: 'Second', baseUrl: connected.sim.baseUrl, key: connected.sim.demoKey });
  // Held before the decision opens: a modal dialog hides the sheet from the accessibility tree.
  const sheetCancel = (await sheet.getByRole('button', { name: 'Cancel' }).elementHandle())!;
  await sheet.getByRole('button', { name: 'Connect' }).click();
  const decision = page.getByRole('dialog', { name: 'Trust this server’s certificate?' });
  await expect(decision.getByRole('button', { name: 'Cancel' })).toBeFocused();
  // What a click on the sheet's Cancel would hit: the decision's overlay, not the sheet above it.
  const hitsSheet = () =>
    sheetCancel.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
    });
  expect(await hitsSheet()).toBe(false);
  await decision.getByRole('button', { name: 'Cancel' }).click();
  await expect(decision).toHaveCount(0);
  expect(await hitsSheet()).toBe(true);
});

test('a read-only key connects, then creating a key on the Keys page answers 403 in plain words', async ({ page, preview, sim }) => {
  await openApp(page, preview);
  const form = connectForm(page);
  await fillConnect(form, { name: 'Read only', baseUrl: sim.baseUrl, key: sim.readKey });
  await openAdvanced(form);
  await form.getByLabel('CA certificate file').setInputFiles(sim.caFile);
  await expect(form.getByRole('listitem', { name: /Certificate: Gaia Simulator Root CA/ })).toBeVisible();
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(card(page, 'Read only')).toContainText(`Key ending …${sim.readKey.slice(-4)}`);

  await sidebar(page).getByRole('button', { name: 'Keys', exact: true }).click();
  await expect(page.getByRole('row', { name: `Key ending ${sim.readKey.slice(-4)}` })).toContainText('This connection’s key');
  await page.getByRole('button', { name: 'Create key' }).click();
  const alert = page.getByRole('alert').filter({ hasText: '403' });
  await expect(alert).toContainText('may not make changes (403)');
  await expect(alert).toContainText('Use a key with write permission');
  expect(sim.keys()).toHaveLength(2);
});

test('switching between two connections, without a restart', async ({ page, connected }) => {
  const { preview, sim } = connected;
  await connectProfile(preview, sim, 'Second');
  await callCore(preview, 'gaia:profiles.activate', { id: connected.profile.id });
  await openApp(page, preview);
  const first = card(page, 'Demo (local simulator)');
  const second = card(page, 'Second');
  await expect(first).toContainText('Active');
  await expect(page.getByRole('button', { name: /Active connection: Demo \(local simulator\)/ })).toBeVisible();

  await second.getByRole('button', { name: 'Use this connection' }).click();
  await expect(page.getByRole('button', { name: /Active connection: Second/ })).toBeVisible();
  await expect(second).toContainText('Active');
  await expect(first.getByRole('button', { name: 'Use this connection' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Now using “Second”' })).toBeVisible();
  await expect(second).toContainText('Last used');
  await expect(second).toContainText('today');

  await first.getByRole('button', { name: 'Use this connection' }).click();
  await expect(page.getByRole('button', { name: /Active connection: Demo \(local simulator\)/ })).toBeVisible();
  // The Keys page follows the active connection.
  await sidebar(page).getByRole('button', { name: 'Keys', exact: true }).click();
  await expect(page.getByText('API keys on the Gaia key service of Demo (local simulator)')).toBeVisible();
});

test('edit: rename, turn certificate checks off (red while off) and on again; a bad address is refused and nothing changes', async ({ page, connected }) => {
  const { preview } = connected;
  await openApp(page, preview);
  let c = card(page, 'Demo (local simulator)');
  const sheet = page.getByRole('dialog', { name: /^Edit / });
  await c.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Demo (local simulator)' }).getByRole('form', { name: 'Edit Demo (local simulator)' });
  await edit.getByLabel('Connection name').fill('Lab');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(sheet).toHaveCount(0);
  c = card(page, 'Lab');
  await expect(c).toBeVisible();
  // Focus came back to the button that opened the sheet.
  await expect(c.getByRole('button', { name: 'Edit' })).toBeFocused();

  await c.getByRole('button', { name: 'Edit' }).click();
  await sheet.getByLabel('Turn off certificate verification for this host').check();
  await expect(sheet.getByText(/anyone between you and the server could read your API key/)).toBeVisible();
  await sheet.getByRole('button', { name: 'Save changes' }).click();
  // Weaker checks for the stored key: main asks for the key again, and the form says why.
  await expect(sheet.getByText(/Your stored key only ever goes to the server and through the checks it was entered for/)).toBeVisible();
  await sheet.getByLabel('API key for the new settings').fill(connected.sim.demoKey);
  await sheet.getByRole('button', { name: 'Save changes' }).click();
  await expect(c.getByRole('note').filter({ hasText: 'Certificate verification is OFF for 127.0.0.1' })).toBeVisible();
  await expect(c.getByRole('note').filter({ hasText: 'Certificate verification is OFF' })).toHaveCSS('color', /rgb\(179, 38, 30\)|rgb\(255, 138, 128\)/);
  await expect(page.getByRole('button', { name: /Active connection: Lab.*Certificate checks off/ })).toBeVisible();

  await c.getByRole('button', { name: 'Edit' }).click();
  await sheet.getByLabel('Turn off certificate verification for this host').uncheck();
  await sheet.getByRole('button', { name: 'Save changes' }).click();
  await expect(c.getByText('Certificate verification is OFF')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Active connection: Lab' })).toBeVisible();

  // A new address is never checked with the stored key: it asks for the key, then checks there before saving.
  const port = await closedPort();
  await c.getByRole('button', { name: 'Edit' }).click();
  await sheet.getByLabel('Gaia base URL').fill(`https://127.0.0.1:${port}/v2/mcm/gaia`);
  await sheet.getByRole('button', { name: 'Save changes' }).click();
  // Another server: the stored key is not sent there; typed again, it is checked there first.
  await expect(sheet.getByRole('alert').first()).toContainText('different server');
  // Each error at the field it is about, not by the buttons; editing that field clears it.
  const keyField = sheet.getByLabel('API key for the new settings');
  await expect(keyField).toBeFocused();
  await expect(keyField).toHaveAccessibleDescription(/different server/);
  await keyField.fill(connected.sim.demoKey);
  await expect(sheet.getByRole('alert')).toHaveCount(0);
  await sheet.getByRole('button', { name: 'Save changes' }).click();
  await expect(sheet.getByRole('alert').first()).toContainText('connection refused');
  await expect(sheet.getByLabel('Gaia base URL')).toHaveAccessibleDescription(/connection refused/);
  await expect(sheet.getByText(/connection refused/)).toHaveCount(1);
  await sheet.getByLabel('Gaia base URL').press('End');
  await sheet.getByLabel('Gaia base URL').pressSequentially('/');
  await expect(sheet.getByText(/connection refused/)).toHaveCount(0);
  await sheet.getByRole('button', { name: 'Cancel' }).click();
  expect((await profiles(preview))[0].baseUrl).toBe(connected.sim.baseUrl);
});

test('edit: drop a CA file onto the form; removing the CA is refused by the check, so the connection keeps working', async ({ page, connected }) => {
  const { preview, sim } = connected;
  await openApp(page, preview);
  await card(page, 'Demo (local simulator)').getByRole('button', { name: 'Edit' }).click();
  const c = page.getByRole('dialog', { name: 'Edit Demo (local simulator)' });
  await c.getByRole('button', { name: 'Remove CA certificate' }).click();
  await c.getByRole('button', { name: 'Save changes' }).click();
  await expect(c.getByRole('alert').first()).toContainText('does not trust');
  // Drag and drop the CA file back in.
  const pem = readFileSync(sim.caFile, 'utf8');
  const transfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'gaia-sim-ca.pem', { type: 'application/x-pem-file' }));
    return dt;
  }, pem);
  const zone = c.getByTestId('ca-drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(c.getByRole('listitem', { name: /Certificate: Gaia Simulator Root CA/ })).toBeVisible();
  await c.getByRole('button', { name: 'Save changes' }).click();
  await expect(c).toHaveCount(0);
  expect((await profiles(preview))[0].ca).toHaveLength(1);
});

test('delete asks first, then removes the connection and its keychain entry', async ({ page, connected }) => {
  const { preview, sim, profile } = connected;
  expect(await keychainEntry(preview, profile.id)).toBe(sim.demoKey);
  await openApp(page, preview);
  const c = card(page, 'Demo (local simulator)');
  await c.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Demo (local simulator)”?' });
  await expect(dialog).toContainText('removes the connection, its key from your keychain');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(c).toBeVisible();

  await c.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete connection' }).click();
  await expect(c).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Connect to Gaia first' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Active connection/ })).toHaveCount(0);
  expect(await profiles(preview)).toEqual([]);
  expect(await keychainEntry(preview, profile.id)).toBeNull();
});

test('replace key: a wrong key is refused and the old one stays; a working key replaces it', async ({ page, connected }) => {
  const { preview, sim, profile } = connected;
  const watch = await watchForKeys(page, preview, sim);
  await openApp(page, preview);
  const c = card(page, 'Demo (local simulator)');
  await c.getByRole('button', { name: 'Replace key' }).click();
  const form = c.getByRole('form', { name: 'New key for Demo (local simulator)' });
  await form.getByLabel('New API key', { exact: true }).fill('wrong-key-0123456789abcdef');
  await form.getByRole('button', { name: 'Replace key' }).click();
  await expect(form.getByRole('alert').first()).toContainText('did not accept the API key (401)');
  await expect(c).toContainText(`Key ending …${sim.demoKey.slice(-4)}`);
  expect(await keychainEntry(preview, profile.id)).toBe(sim.demoKey);

  // A paste with spaces and a line break around the key is trimmed.
  await form.getByLabel('New API key', { exact: true }).fill('');
  await form.getByLabel('New API key', { exact: true }).focus();
  await page.evaluate((key) => {
    const input = document.activeElement as HTMLInputElement;
    const data = new DataTransfer();
    data.setData('text/plain', `  ${key}\n`);
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, sim.readKey);
  expect(await form.getByLabel('New API key', { exact: true }).inputValue()).toBe(sim.readKey);
  await form.getByRole('button', { name: 'Replace key' }).click();
  await expect(c).toContainText(`Key ending …${sim.readKey.slice(-4)}`);
  await expect(page.getByRole('status').filter({ hasText: `now uses the key ending …${sim.readKey.slice(-4)}` })).toBeVisible();
  await expect(sidebar(page)).toContainText(`Key ending …${sim.readKey.slice(-4)}`);
  expect(await keychainEntry(preview, profile.id)).toBe(sim.readKey);
  await watch.check([sim.demoKey, sim.readKey]);
  watch.stop();
});

test('forget key: asks first, removes it from the keychain, and offers to add one', async ({ page, connected }) => {
  const { preview, profile } = connected;
  await openApp(page, preview);
  const c = card(page, 'Demo (local simulator)');
  await c.getByRole('button', { name: 'Forget key' }).click();
  await page.getByRole('dialog', { name: /Forget the key/ }).getByRole('button', { name: 'Forget key' }).click();
  await expect(c).toContainText('No key stored');
  await expect(c.getByRole('button', { name: 'Add key' })).toBeVisible();
  await expect(sidebar(page)).toContainText('No key stored');
  expect(await keychainEntry(preview, profile.id)).toBeNull();
});

test('no usable keychain: the problem in plain words, then “Keep keys for this session only” connects', async ({ page, sim }) => {
  const preview = await startPreview({ env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(os.tmpdir(), 'gaia-no-such-bus')}` } });
  try {
    await openApp(page, preview);
    const banner = page.getByRole('region', { name: 'Keychain problem' });
    await expect(banner).toContainText('message bus (D-Bus)');
    await expect(banner).toContainText('dbus-run-session');
    // The preview's own options, so the suggested command starts this same preview over this data.
    await expect(banner).toContainText(`exec npm run preview -- --port 0 --data-dir ${preview.dataDir} --keychain-service ${preview.keychainService}'`);
    // Commands are set as code, not shown between the terminal's backticks.
    await expect(banner.locator('code').filter({ hasText: 'npm run preview' }).first()).toBeVisible();
    await expect(banner).not.toContainText('`');

    const form = connectForm(page);
    await fillConnect(form, { name: 'Sim', baseUrl: sim.baseUrl, key: sim.demoKey });
    await openAdvanced(form);
    await form.getByLabel('CA certificate file').setInputFiles(sim.caFile);
    await expect(form.getByRole('listitem', { name: /Certificate: Gaia Simulator Root CA/ })).toBeVisible();
    await form.getByRole('button', { name: 'Connect' }).click();
    await expect(form.getByRole('alert').first()).toContainText('cannot reach your session’s message bus');
    expect(await profiles(preview)).toEqual([]);

    await form.getByRole('button', { name: 'Keep keys for this session only' }).click();
    const c = card(page, 'Sim');
    await expect(c).toContainText('(kept for this session only)');
    const note = page.getByRole('note', { name: 'Keys for this session only' });
    await expect(note).toContainText('Keys are kept in memory for this session only, because no keychain is usable here');
    // What survives the session, and what cannot use these keys.
    await expect(note).toContainText('Connections, settings and history are saved as usual');
    await expect(note).toContainText('command line and local assistants cannot use these keys');
    // Why, and the way to a keychain, stay at hand; the choice already made is not offered again.
    await note.getByText('Why, and how to use a keychain instead').click();
    await expect(note).toContainText('message bus (D-Bus)');
    await expect(note).toContainText('dbus-run-session');
    await expect(note).not.toContainText('`');
    await expect(note).not.toContainText('choose to keep keys');
    await expect(banner).toHaveCount(0);
    // The session key works: the Keys page lists the service's keys with it.
    await sidebar(page).getByRole('button', { name: 'Keys', exact: true }).click();
    await expect(page.getByRole('row', { name: `Key ending ${sim.demoKey.slice(-4)}` })).toContainText('This connection’s key');
    // A new key for this connection goes where this connection's key is: memory, not a keychain.
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.getByRole('region', { name: 'New key' })).toContainText('keeps it in memory for this session only (no keychain is in use)');
    await expect(page.getByRole('region', { name: 'New key' })).not.toContainText('in your keychain');
    // Nothing of the key on disk.
    for (const name of readdirSync(preview.dataDir, { recursive: true }) as string[]) {
      const file = path.join(preview.dataDir, name);
      try {
        expect(readFileSync(file, 'latin1')).not.toContain(sim.demoKey);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EISDIR') throw err;
      }
    }
  } finally {
    await preview.stop();
  }
});

test('a damaged profiles file is moved aside and reported; the app still starts', async ({ page }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-e2e-corrupt-'));
  writeFileSync(path.join(dataDir, 'profiles.json'), '{"version": 1, "data": {"profiles": [ {"id": "x"');
  const preview = await startPreview({ dataDir });
  try {
    await openApp(page, preview);
    const problem = page.getByRole('alert').filter({ hasText: 'Some saved connections could not be read' });
    await expect(problem).toContainText('profiles.json could not be read because it is not valid JSON');
    await expect(problem).toContainText('profiles.json.corrupt-');
    await expect(page.getByRole('heading', { name: 'Connect to Gaia first' })).toBeVisible();
    expect(readdirSync(dataDir).some((n) => n.startsWith('profiles.json.corrupt-'))).toBe(true);
  } finally {
    await preview.stop();
  }
});

test('a key older than the reminder age says so and offers rotation', async ({ page, sim }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-e2e-old-key-'));
  const first = await startPreview({ dataDir });
  await connectProfile(first, sim, 'Old key');
  await first.stop();
  const file = path.join(dataDir, 'profiles.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.data.profiles[0].keyAddedAt = Date.now() - 120 * 86_400_000;
  writeFileSync(file, JSON.stringify(doc));
  const preview = await startPreview({ dataDir, keychainService: first.keychainService });
  try {
    await openApp(page, preview);
    const c = card(page, 'Old key');
    await expect(c.getByRole('note').filter({ hasText: 'This key is 120 days old' })).toContainText('reminder is set to 90 days');
    await c.getByRole('button', { name: 'Rotate key…' }).click();
    await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
    await expect(page.getByText('The current key is 120 days old')).toBeVisible();
    // A shorter reminder in Settings applies too; a fresh key has none.
    await callCore(preview, 'gaia:settings.update', { keyAgeWarningDays: 365 });
    await sidebar(page).getByRole('button', { name: 'Connections', exact: true }).click();
    await expect(c).toBeVisible();
    await expect(c.getByText(/days old/)).toHaveCount(0);
  } finally {
    await preview.stop();
  }
});

test('after the active connection is deleted, the others say none is active; Enter in the form goes to what is missing', async ({ page, connected }) => {
  const { preview, sim } = connected;
  await connectProfile(preview, sim, 'Second');
  await openApp(page, preview);
  const second = card(page, 'Second');
  await second.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete connection' }).click();
  await expect(page.getByRole('note').filter({ hasText: 'No connection is active' })).toBeVisible();
  await card(page, 'Demo (local simulator)').getByRole('button', { name: 'Use this connection' }).click();
  await expect(page.getByRole('note').filter({ hasText: 'No connection is active' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Add connection' }).click();
  const form = connectForm(page);
  await form.getByLabel('Connection name').fill('Third');
  await form.getByLabel('Connection name').press('Enter');
  await expect(form.getByLabel('API key', { exact: true })).toBeFocused();
  await expect(form.getByRole('alert')).toHaveCount(0);
});

test('a key expiry date: set in the edit sheet, a reminder 7 days before, “expired” after it', async ({ page, connected }) => {
  const { preview, profile } = connected;
  await openApp(page, preview);
  const c = card(page, 'Demo (local simulator)');
  await c.getByRole('button', { name: 'Edit' }).click();
  const sheet = page.getByRole('dialog', { name: 'Edit Demo (local simulator)' });
  const inThreeDays = new Date(Date.now() + 3 * 86_400_000);
  const day = `${inThreeDays.getFullYear()}-${String(inThreeDays.getMonth() + 1).padStart(2, '0')}-${String(inThreeDays.getDate()).padStart(2, '0')}`;
  await sheet.getByLabel('Key expires on (optional)').fill(day);
  await sheet.getByRole('button', { name: 'Save date' }).click();
  await expect(sheet).toHaveCount(0);
  await expect(c.getByRole('note').filter({ hasText: /This key expires in 3 days/ })).toBeVisible();
  await expect(c.getByRole('note').getByRole('button', { name: 'Rotate key…' })).toBeVisible();
  expect((await profiles(preview))[0].keyExpiresAt).toBe(new Date(`${day}T00:00:00`).getTime());

  // A date 30 days ahead: no reminder yet. One in the past: expired.
  await callCore(preview, 'gaia:profiles.update', { id: profile.id, keyExpiresAt: Date.now() + 30 * 86_400_000 });
  await page.reload();
  await expect(c).toContainText('Key expires');
  await expect(c.getByRole('note').filter({ hasText: /expires in/ })).toHaveCount(0);
  await callCore(preview, 'gaia:profiles.update', { id: profile.id, keyExpiresAt: Date.now() - 86_400_000 });
  await page.reload();
  await expect(c.getByRole('note').filter({ hasText: /This key expired on .*: Gaia will refuse it/ })).toBeVisible();
});
