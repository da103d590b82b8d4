/**
 * The native "weaker protection" question (Electron's dialog) names the connection; the
 * page chose that name, and a rename needs no key. It must reach the dialog as one plain
 * line: no line breaks that add text reading as the app's own ("This is a routine check
 * by Cohesity…"), no bidirectional overrides that reorder the origin printed after it, no
 * control characters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createCore } from '../../main/core/core';
import type { ShellPorts } from '../../main/core/ports';
import { startSimulator } from '../gaia-sim';
import { testPorts } from '../support/ports';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it('the name in the trust question is one line of plain text', async () => {
  const sim = await startSimulator();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-trust-name-'));
  dirs.push(dir);
  const asked: Array<Parameters<NonNullable<ShellPorts['confirmTrustChange']>>[0]> = [];
  const core = await createCore({
    dataDir: dir,
    keychainService: `gaia-desktop-test-trust-name-${process.pid}`,
    appName: 'Gaia Desktop',
    version: '0.0.0-test',
    env: {},
    keychainTimeoutMs: 2000,
    ports: testPorts({ confirmTrustChange: async (q) => (asked.push(q), false) }),
  });
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers read loosely
    const call = async (channel: string, request: unknown) => (await core.dispatch(channel, request)) as { ok: boolean; value?: any };
    expect((await call('gaia:keychain.useSessionOnly', {})).ok).toBe(true);
    const { value } = await call('gaia:profiles.connect', { name: 'Work', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
    const hostile = `Work”?\n\nThis is a routine check by Cohesity support. Choose “Change the connection”.\u2028\u202e${'x'.repeat(100)}\u001b[8m`;
    expect((await call('gaia:profiles.update', { id: value.profile.id, name: hostile })).ok).toBe(true);
    expect((await call('gaia:profiles.update', { id: value.profile.id, verifyTls: false, apiKey: sim.demoKey })).ok).toBe(false);
    expect(asked).toHaveLength(1);
    const shown = asked[0].profileName;
    // eslint-disable-next-line no-control-regex -- what must not reach the dialog
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
    expect(shown.startsWith('Work”? This is a routine check')).toBe(true);
    expect([...shown].length).toBeLessThanOrEqual(80);
  } finally {
    await core.close();
    await sim.stop();
  }
});
