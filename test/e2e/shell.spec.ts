import { expect, liveVersion, openApp, test } from '../support/e2e-fixtures';

test('the app shell loads in the preview and a real channel answers through the bridge', async ({ page, preview }) => {
  await page.goto(preview.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  for (const name of ['Connections', 'Datasets', 'Ask', 'Keys', 'Settings']) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  }
  // gaia:app.info travelled renderer → bridge → loopback transport → dispatch → handler and back.
  await expect(liveVersion(page)).toContainText(/Gaia Desktop \d+\.\d+\.\d+ · linux · preview/);
  await expect(page.getByRole('heading', { name: 'Connect to Gaia first' })).toBeVisible();
  // The token left the address bar once read.
  expect(page.url()).not.toContain('token=');
});

test('keyboard: Ctrl+number switches pages and the sidebar is reachable by Tab', async ({ page, preview }) => {
  await page.goto(preview.url);
  await expect(liveVersion(page)).toBeVisible();
  await page.keyboard.press('Control+5');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeFocused();
  // Back from the heading into the rail: Settings, Keys, Ask, Datasets, Connections.
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeFocused();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Connections', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
});

test('CSP: an injected inline script does not run', async ({ page, preview }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(preview.url);
  await expect(liveVersion(page)).toBeVisible();
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { __injected?: boolean };
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.appendChild(script);
    const img = document.createElement('img');
    img.setAttribute('src', 'x:');
    img.setAttribute('onerror', 'window.__injected = true');
    document.body.appendChild(img);
    await new Promise((r) => setTimeout(r, 300));
    let evalRan: boolean;
    try {
      new Function('return 1')();
      evalRan = true;
    } catch {
      evalRan = false;
    }
    return { inline: w.__injected === true, evalRan };
  });
  expect(ran).toEqual({ inline: false, evalRan: false });
  expect(violations.length).toBeGreaterThan(0);
});

test('CSP: opening a dialog or a sheet breaks no rule (Radix\'s scroll lock injects no <style>)', async ({ page, connected }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(t: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await openApp(page, connected.preview);

  // The command palette: a Radix dialog, scroll lock and all.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: /command/i });
  await expect(palette).toBeVisible();
  await expect(page.locator('body')).toHaveAttribute('data-scroll-locked', /\d/);
  await expect(page.locator('body')).toHaveCSS('overflow', 'hidden');
  await page.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);

  // A sheet: the Add a connection form.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Connections', exact: true }).click();
  await page.getByRole('button', { name: 'Add connection' }).click();
  await expect(page.getByRole('dialog', { name: 'Add a connection' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  expect(await page.locator('style').count()).toBe(0);
  expect(violations).toEqual([]);
});

test('the transport refuses malformed requests, unknown channels, foreign origins and missing tokens', async ({ page, preview, request }) => {
  await page.goto(preview.url);
  await expect(liveVersion(page)).toBeVisible();
  const call = (channel: unknown, req: unknown) =>
    page.evaluate(
      async ({ channel, req, token }) => {
        const res = await fetch('/__gaia/call', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'x-gaia-token': token },
          body: JSON.stringify({ channel, request: req }),
        });
        return res.json();
      },
      { channel, req, token: preview.token },
    );

  expect(await call('gaia:app.info', {})).toMatchObject({ ok: true, value: { shell: 'preview' } });
  expect(await call('gaia:app.info', { extra: 1 })).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
  expect(await call('gaia:app.openExternal', { url: 42 })).toMatchObject({ ok: false, error: { kind: 'invalid-request', fields: [{ field: 'url' }] } });
  expect(await call('gaia:nope.nothing', {})).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } });
  expect(await call('__proto__', {})).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } });

  const body = JSON.stringify({ channel: 'gaia:app.info', request: {} });
  const foreign = await request.post(`${preview.origin}/__gaia/call`, {
    headers: { 'Content-Type': 'application/json', 'x-gaia-token': preview.token, Origin: 'https://evil.example' },
    data: body,
  });
  expect(foreign.status()).toBe(403);
  const noToken = await request.post(`${preview.origin}/__gaia/call`, { headers: { 'Content-Type': 'application/json', Origin: preview.origin }, data: body });
  expect(noToken.status()).toBe(403);
  const rebound = await request.post(`${preview.origin}/__gaia/call`, {
    headers: { 'Content-Type': 'application/json', 'x-gaia-token': preview.token, Origin: preview.origin, Host: 'attacker.example:80' },
    data: body,
  });
  expect(rebound.status()).toBe(421);
});

test('another site open in the same browser cannot call the core', async ({ page, preview }) => {
  // A page on a different origin (another loopback port counts) tries a simple and a preflighted call.
  await page.goto('about:blank');
  const results = await page.evaluate(async (origin) => {
    const out: string[] = [];
    for (const headers of [{ 'Content-Type': 'text/plain' }, { 'Content-Type': 'application/json', 'x-gaia-token': 'guess' }] as Record<string, string>[]) {
      try {
        const res = await fetch(`${origin}/__gaia/call`, { method: 'POST', headers, body: JSON.stringify({ channel: 'gaia:app.info', request: {} }) });
        out.push(String(res.status));
      } catch {
        out.push('blocked');
      }
    }
    return out;
  }, preview.origin);
  expect(results).toEqual(['blocked', 'blocked']);
});

test('a page whose chunk is slow says it is loading, after a moment; one loaded while the app was idle is drawn with no fallback', async ({ page, preview }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/KeysPage-[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  // Each "Loading …" fallback as it is inserted, and whether it could be seen then.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { fallbacks: string[] }).fallbacks = seen;
    new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node instanceof HTMLParagraphElement && /^Loading .*…$/.test(node.textContent ?? '')) seen.push(getComputedStyle(node).visibility);
    }).observe(document, { childList: true, subtree: true });
  });
  const fallbacks = () => page.evaluate(() => (window as unknown as { fallbacks: string[] }).fallbacks.splice(0));
  await openApp(page, preview);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await fallbacks();

  await nav.getByRole('button', { name: 'Keys', exact: true }).click();
  // Slow: it says so, but was not there to be seen the moment it was drawn.
  await expect(page.getByText('Loading Keys…')).toBeVisible();
  expect(await fallbacks()).toEqual(['hidden']);
  release();
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
  await expect(page.getByText('Loading Keys…')).toHaveCount(0);

  // Settings was never opened, but its chunk came while the app was idle: no fallback at all.
  const settingsLoaded = () =>
    page.evaluate(() => new Promise<boolean>((resolve) => requestIdleCallback(() => resolve(performance.getEntriesByType('resource').some((e) => /\/SettingsPage-[^/]*\.js$/.test(e.name))))));
  await expect.poll(settingsLoaded).toBe(true);
  await nav.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  expect(await fallbacks()).toEqual([]);
});
