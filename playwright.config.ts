import { defineConfig } from '@playwright/test';

/**
 * Two suites: the browser end-to-end tests drive Debian's Chromium through the preview
 * (the real renderer against the real main core), and the _electron suite launches the
 * built app wherever an Electron binary exists.
 */
export const CHROMIUM = process.env.GAIA_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  // One retry in CI, where a 2-core machine runs everything at once; a test that needed it is reported as flaky.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: process.env.GAIA_PW_JSON ?? 'test-results/playwright.json' }]],
  use: {
    launchOptions: {
      executablePath: CHROMIUM,
      // Chromium's background services would try to reach Google; this machine has no network.
      args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'off',
  },
  projects: [
    { name: 'e2e', testDir: 'test/e2e' },
    { name: 'electron', testDir: 'test/electron' },
    // Not part of npm test: retakes the README's screenshots (docs/*.png).
    { name: 'screens', testDir: 'test/screens' },
  ],
});
