/**
 * The Keys page in the preview against the simulator's key service: list (masked, this
 * connection's key marked), create read and write keys (shown once, masked even then),
 * "use it for this connection", copy (the preview has no clipboard: it says so),
 * change permissions, delete with a confirmation, and rotate — including the ways it can
 * fail. Every flow ends with a check that no key, nor any 8-character piece of one, is
 * in the page, the console, an answer or event from the core, the browser's storage,
 * the data dir, or any request to Gaia outside its apikey header.
 */
import type { Page } from '@playwright/test';
import type { Profile } from '../../preload/contract';
import { createKeychain } from '../../main/core/platform/keychain';
import { createLog } from '../../main/core/platform/log';
import { watchForKeys } from '../support/key-leaks';
import type { PreviewProcess } from '../support/preview-process';
import { callCore, connectProfile, expect, openApp, test } from '../support/e2e-fixtures';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const row = (page: Page, key: string) => page.getByRole('row', { name: `Key ending ${key.slice(-4)}` });

async function openKeys(page: Page, preview: PreviewProcess) {
  await openApp(page, preview);
  await sidebar(page).getByRole('button', { name: 'Keys', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
}

async function keychainEntry(preview: PreviewProcess, profileId: string): Promise<string | null> {
  const keychain = createKeychain({ service: preview.keychainService, log: createLog({ dir: null }), platform: 'linux' });
  try {
    return await keychain.get(profileId);
  } finally {
    await keychain.close();
  }
}

test('list, create read and write keys, use one for this connection, change permissions, delete', async ({ page, connected }) => {
  const { preview, sim, profile } = connected;
  const watch = await watchForKeys(page, preview, sim);
  await openKeys(page, preview);

  // The list: masked, with this connection's key marked.
  await expect(row(page, sim.demoKey)).toContainText(`•••• •••• ${sim.demoKey.slice(-4)}`);
  await expect(row(page, sim.demoKey)).toContainText('This connection’s key');
  await expect(row(page, sim.readKey)).not.toContainText('This connection’s key');
  await expect(row(page, sim.demoKey).getByRole('combobox')).toHaveValue('write');
  await expect(row(page, sim.readKey).getByRole('combobox')).toHaveValue('read');
  const deleteInUse = row(page, sim.demoKey).getByRole('button', { name: /Delete the key/ });
  await expect(deleteInUse).toBeDisabled();
  // Disabled but reachable: focus lands on it and it says why; pressing it opens nothing.
  await expect(deleteInUse).toHaveAccessibleDescription('This connection uses this key: rotate it instead.');
  await deleteInUse.focus();
  await expect(deleteInUse).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // Rows tell keys apart: which local connection uses each one.
  await expect(row(page, sim.demoKey).getByRole('cell').nth(1)).toHaveText('Demo (local simulator)');
  await expect(row(page, sim.readKey).getByRole('cell').nth(1)).toHaveText('No connection on this computer');

  // Create a read-only key: shown once, masked, with the warning; the preview cannot copy.
  await page.getByRole('radio', { name: /Read only/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const fresh = page.getByRole('region', { name: 'New key' });
  await expect(fresh).toContainText('Gaia will not show this key again');
  const readNew = sim.keys().find((k) => k.apiKey !== sim.demoKey && k.apiKey !== sim.readKey)!;
  expect(readNew.permissions).toBe('read');
  await expect(fresh).toContainText(`•••• •••• ${readNew.apiKey.slice(-4)}`);
  await expect(row(page, readNew.apiKey)).toContainText('New');
  await expect(page.getByRole('button', { name: 'Create key' })).toBeDisabled();
  await fresh.getByRole('button', { name: 'Copy key' }).click();
  await expect(fresh.getByRole('status')).toContainText('The browser preview cannot reach the system clipboard, so the key was not copied');
  // Closing without keeping it asks first.
  await fresh.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('dialog', { name: 'Close without keeping the new key?' }).getByRole('button', { name: 'Close' }).click();
  await expect(fresh).toHaveCount(0);

  // Create a write key and use it for this connection: straight into the keychain.
  await page.getByRole('radio', { name: /Read and write/ }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(fresh).toBeVisible();
  const writeNew = sim.keys().find((k) => ![sim.demoKey, sim.readKey, readNew.apiKey].includes(k.apiKey))!;
  expect(writeNew.permissions).toBe('write');
  await fresh.getByRole('button', { name: 'Use it for this connection' }).click();
  await expect(page.getByRole('status').filter({ hasText: `now uses the new key ending …${writeNew.apiKey.slice(-4)}` })).toBeVisible();
  await expect(sidebar(page)).toContainText(`Key ending …${writeNew.apiKey.slice(-4)}`);
  await expect(row(page, writeNew.apiKey)).toContainText('This connection’s key');
  await expect(row(page, sim.demoKey)).not.toContainText('This connection’s key');
  expect(await keychainEntry(preview, profile.id)).toBe(writeNew.apiKey);

  // Change permissions on the server.
  await row(page, sim.readKey).getByRole('combobox', { name: `Permissions of the key ending ${sim.readKey.slice(-4)}` }).selectOption('write');
  await expect(page.getByRole('status').filter({ hasText: `The key ending ${sim.readKey.slice(-4)} is now read and write` })).toBeVisible();
  expect(sim.keys().find((k) => k.apiKey === sim.readKey)?.permissions).toBe('write');

  // Delete, after a confirmation.
  await row(page, readNew.apiKey).getByRole('button', { name: `Delete the key ending ${readNew.apiKey.slice(-4)}` }).click();
  const dialog = page.getByRole('dialog', { name: `Delete the key ending ${readNew.apiKey.slice(-4)}?` });
  await expect(dialog).toContainText('stops working at once');
  await dialog.getByRole('button', { name: 'Delete key' }).click();
  await expect(row(page, readNew.apiKey)).toHaveCount(0);
  expect(sim.keys().some((k) => k.apiKey === readNew.apiKey)).toBe(false);

  await watch.check([sim.demoKey, sim.readKey, readNew.apiKey, writeNew.apiKey]);
  watch.stop();
});

test('rotate: each step shown, the old key gone from the server, the connection working on the new one', async ({ page, connected }) => {
  const { preview, sim, profile } = connected;
  const watch = await watchForKeys(page, preview, sim);
  await openKeys(page, preview);
  await expect(row(page, sim.demoKey)).toContainText('This connection’s key');
  await page.getByRole('button', { name: 'Rotate key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate the key of “Demo (local simulator)”?' });
  await expect(dialog).toContainText(`ending …${sim.demoKey.slice(-4)}`);
  await dialog.getByRole('button', { name: 'Rotate key' }).click();

  const steps = page.getByRole('list', { name: 'Rotation steps' });
  for (const step of ['Create a new key on Gaia', 'Check that the new key works', 'Switch this connection to the new key', 'Delete the old key on Gaia']) {
    await expect(steps.getByRole('listitem', { name: `${step}: Done` })).toBeVisible();
  }
  await expect(steps).toContainText(`Deleted the old key ending …${sim.demoKey.slice(-4)}`);
  const newKey = await keychainEntry(preview, profile.id);
  expect(newKey).not.toBeNull();
  expect(newKey).not.toBe(sim.demoKey);
  await expect(page.getByRole('status').filter({ hasText: `now uses the key ending …${newKey!.slice(-4)}` }).first()).toBeVisible();
  await expect(sidebar(page)).toContainText(`Key ending …${newKey!.slice(-4)}`);
  await expect(row(page, newKey!)).toContainText('This connection’s key');
  await expect(row(page, sim.demoKey)).toHaveCount(0);
  // Gone from the server; the new key has the old one's permissions, and the connection works with it.
  expect(sim.keys().some((k) => k.apiKey === sim.demoKey)).toBe(false);
  expect(sim.keys().find((k) => k.apiKey === newKey)?.permissions).toBe('write');
  const datasets = await callCore(preview, 'gaia:datasets.list', { requestId: 'after-rotation-1' });
  expect(datasets.ok).toBe(true);
  const last = sim.requestLog.at(-1)!;
  expect(last.headers.apikey).toBe(newKey);

  await watch.check([sim.demoKey, sim.readKey, newKey!]);
  watch.stop();
});

test('rotate with a read-only key stops at the first step; the connection keeps its key', async ({ page, preview, sim }) => {
  const profile: Profile = await (async () => {
    const res = await callCore(preview, 'gaia:profiles.connect', { name: 'Reader', baseUrl: sim.baseUrl, apiKey: sim.readKey, caPem: sim.caPem });
    return (res.value as { profile: Profile }).profile;
  })();
  await openKeys(page, preview);
  await page.getByRole('button', { name: 'Rotate key…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate key' }).click();
  const steps = page.getByRole('list', { name: 'Rotation steps' });
  await expect(steps.getByRole('listitem', { name: 'Create a new key on Gaia: Failed' })).toBeVisible();
  await expect(steps.getByRole('listitem', { name: 'Delete the old key on Gaia: Skipped' })).toBeVisible();
  const alert = page.getByRole('alert').filter({ hasText: 'The key was not rotated' });
  await expect(alert).toContainText('Read-only keys');
  await expect(alert).toContainText('Replace key');
  expect(await keychainEntry(preview, profile.id)).toBe(sim.readKey);
  expect(sim.keys()).toHaveLength(2);
});

test('rotate when the new key does not work: stays on the old key, and the new one is removed again', async ({ page, connected }) => {
  const { preview, sim, profile } = connected;
  await openKeys(page, preview);
  await expect(row(page, sim.demoKey)).toBeVisible();
  sim.faults.set({ serverError: { path: '/datasets', count: 1, status: 401 } });
  await page.getByRole('button', { name: 'Rotate key…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate key' }).click();
  const steps = page.getByRole('list', { name: 'Rotation steps' });
  await expect(steps.getByRole('listitem', { name: 'Check that the new key works: Failed' })).toBeVisible();
  await expect(steps.getByRole('listitem', { name: 'Switch this connection to the new key: Skipped' })).toBeVisible();
  const alert = page.getByRole('alert').filter({ hasText: 'The key was not rotated' });
  await expect(alert).toContainText(`still uses its old key (ending …${sim.demoKey.slice(-4)}), which works`);
  await expect(alert).toContainText('Nothing was left behind');
  expect(await keychainEntry(preview, profile.id)).toBe(sim.demoKey);
  expect(sim.keys().map((k) => k.apiKey).sort()).toEqual([sim.demoKey, sim.readKey].sort());
  await expect(sidebar(page)).toContainText(`Key ending …${sim.demoKey.slice(-4)}`);
});

test('rotate when the old key cannot be deleted: switched, and told what is left to clean up', async ({ page, connected }) => {
  const { preview, sim, profile } = connected;
  const watch = await watchForKeys(page, preview, sim);
  await openKeys(page, preview);
  await expect(row(page, sim.demoKey)).toBeVisible();
  sim.faults.set({ serverError: { path: '/delete/', count: 10, status: 500 } });
  await page.getByRole('button', { name: 'Rotate key…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate key' }).click();
  const steps = page.getByRole('list', { name: 'Rotation steps' });
  await expect(steps.getByRole('listitem', { name: 'Switch this connection to the new key: Done' })).toBeVisible();
  await expect(steps.getByRole('listitem', { name: 'Delete the old key on Gaia: Failed' })).toBeVisible();
  const leftover = page.getByRole('alert').filter({ hasText: 'Left to clean up' });
  await expect(leftover).toContainText(`The old key (ending …${sim.demoKey.slice(-4)}) could not be deleted`);
  await expect(leftover).toContainText('Delete it on the Keys page');
  const newKey = await keychainEntry(preview, profile.id);
  expect(newKey).not.toBe(sim.demoKey);
  expect(sim.keys().some((k) => k.apiKey === sim.demoKey)).toBe(true);

  // The leftover can now be deleted here: it is no longer this connection's key.
  sim.faults.clear();
  await row(page, sim.demoKey).getByRole('button', { name: /Delete the key/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete key' }).click();
  await expect(row(page, sim.demoKey)).toHaveCount(0);
  expect(sim.keys().some((k) => k.apiKey === sim.demoKey)).toBe(false);
  await watch.check([sim.demoKey, sim.readKey, newKey!]);
  watch.stop();
});

test('the Keys page without a connection says where to start', async ({ page, preview }) => {
  await openKeys(page, preview);
  await expect(page.getByRole('heading', { name: 'Connect to Gaia first' })).toBeVisible();
  await page.getByRole('button', { name: 'Go to Connections' }).click();
  await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
});

test('a second connection: keys are listed from the active connection’s service, and rotation leaves a shared old key alone', async ({ page, connected }) => {
  const { preview, sim } = connected;
  await connectProfile(preview, sim, 'Twin');
  await openKeys(page, preview);
  await expect(page.getByText('API keys on the Gaia key service of Twin')).toBeVisible();
  await page.getByRole('button', { name: 'Rotate key…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate key' }).click();
  const leftover = page.getByRole('alert').filter({ hasText: 'Left to clean up' });
  await expect(leftover).toContainText('“Demo (local simulator)” still uses it');
  expect(sim.keys().some((k) => k.apiKey === sim.demoKey)).toBe(true);
});

test('a 422 from the key service shows its field details', async ({ page, connected }) => {
  const { preview, sim } = connected;
  await openKeys(page, preview);
  await expect(row(page, sim.demoKey)).toBeVisible();
  sim.faults.set({
    bodyOverride: { path: '/api_keys', count: 1, status: 422, body: { detail: [{ loc: ['body', 'config', 'permissions'], msg: 'value is not a valid enumeration member', type: 'type_error.enum' }] } },
  });
  await page.getByRole('button', { name: 'Create key' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'some values are not valid' });
  await expect(alert.getByRole('listitem')).toHaveText('config.permissions: value is not a valid enumeration member');
  expect(sim.keys()).toHaveLength(2);
});
