import { expect, openApp, test } from '../support/e2e-fixtures';

test('a connected profile shows in the sidebar, with the key never in the page', async ({ page, connected }) => {
  await openApp(page, connected.preview);
  await expect(page.getByRole('button', { name: /Active connection: Demo \(local simulator\)/ })).toBeVisible();
  expect(connected.profile.key.last4).toBe(connected.sim.demoKey.slice(-4));
  const html = await page.content();
  expect(html).not.toContain(connected.sim.demoKey);
});
