/**
 * Fixtures for the browser end-to-end tests. Every test gets its own preview (fresh data
 * dir, private keychain namespace) and, when it asks for one, its own Gaia simulator.
 * `connected` has already connected a profile to that simulator through the preview's
 * own transport, for tests about what comes after connecting.
 */
import { test as base, type Page } from '@playwright/test';
import type { Profile } from '../../preload/contract';
import { startSimulator, type SimOptions, type Simulator } from '../gaia-sim';
import { startPreview, type PreviewProcess } from './preview-process';

export interface Connected {
  sim: Simulator;
  preview: PreviewProcess;
  profile: Profile;
}

/** Calls a channel the way the renderer does, through the preview's loopback transport. */
export async function callCore(preview: PreviewProcess, channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: { kind: string; message: string } }> {
  const res = await fetch(`${preview.origin}/__gaia/call`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-gaia-token': preview.token, Origin: preview.origin },
    body: JSON.stringify({ channel, request }),
  });
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { kind: string; message: string } };
}

export async function connectProfile(preview: PreviewProcess, sim: Simulator, name = 'Demo (local simulator)'): Promise<Profile> {
  const result = await callCore(preview, 'gaia:profiles.connect', { name, baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
  if (!result.ok) throw new Error(`connect failed: ${JSON.stringify(result.error)}`);
  return (result.value as { profile: Profile }).profile;
}

/**
 * The live shell's Version label: in the rail that React drew, not in index.html's static
 * copy of it (aria-hidden and inert, so getByRole skips it), which is there before any script runs.
 */
export const liveVersion = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByLabel('Version');

/** Opens the app and waits until the shell has talked to the core once. */
export async function openApp(page: Page, preview: PreviewProcess): Promise<void> {
  await page.goto(preview.url);
  await liveVersion(page).waitFor();
}

export const test = base.extend<{ preview: PreviewProcess; simOptions: SimOptions; sim: Simulator; connected: Connected }>({
  preview: async ({}, use) => {
    const preview = await startPreview();
    await use(preview);
    await preview.stop();
  },
  simOptions: [{}, { option: true }],
  sim: async ({ simOptions }, use) => {
    const sim = await startSimulator(simOptions);
    await use(sim);
    await sim.stop();
  },
  connected: async ({ preview, sim }, use) => {
    const profile = await connectProfile(preview, sim);
    await use({ sim, preview, profile });
  },
});

export { expect } from '@playwright/test';
