/**
 * `npm run demo`: the Gaia simulator plus the app, with a ready "Demo (local simulator)"
 * profile — the one-command way to see every feature without a Cohesity account.
 * Runs Electron where its binary is present, otherwise the browser preview.
 *
 *   npm run demo -- [--datasets 100000] [--port N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../main/core/core';
import type { ShellPorts } from '../main/core/ports';
import { startSimulator } from '../test/gaia-sim';
import { findElectron } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { datasets: { type: 'string' }, port: { type: 'string', default: '5183' } } });

const sim = await startSimulator({ datasets: values.datasets ? Number(values.datasets) : 'demo' });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gaia-demo-'));
const keychainService = 'Gaia Desktop Demo';

// Connect once with the real core, exactly as the Connect form would, so the app opens ready.
const ports: ShellPorts = {
  shell: 'preview',
  versions: { electron: null, chrome: null },
  openExternal: async () => undefined,
  writeClipboard: async () => false,
  clearClipboardIfUnchanged: async () => undefined,
  setOpenAtLogin: () => undefined,
};
const core = await createCore({ dataDir, keychainService, appName: 'Gaia Desktop', version: 'demo', ports });
const status = (await core.dispatch('gaia:keychain.status', {})) as { ok: true; value: { available: boolean; problem: { message: string } | null } };
if (!status.value.available) {
  process.stdout.write(`No usable keychain (${status.value.problem?.message}); the demo keeps its key for this session only.\n`);
  await core.dispatch('gaia:keychain.useSessionOnly', {});
}
const connected = await core.dispatch('gaia:profiles.connect', { name: 'Demo (local simulator)', baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
await core.close();
if (!connected.ok) {
  process.stderr.write(`The demo could not connect to its simulator: ${connected.error.message}\n`);
  await sim.stop();
  process.exit(1);
}

process.stdout.write(
  [
    `Gaia simulator: ${sim.baseUrl}`,
    `  CA file:       ${sim.caFile}`,
    `  demo key:      (stored in the keychain for the demo profile)`,
    `  read-only key: use "Connect" with this to see a 403 on writes — ${sim.readKey}`,
    `Data dir:        ${dataDir}`,
    '',
  ].join('\n'),
);

const electron = findElectron();
const args = [`--data-dir=${dataDir}`, `--keychain-service=${keychainService}`];
const child =
  'path' in electron
    ? spawn(electron.path, [root, ...args], { stdio: 'inherit' })
    : spawn(process.execPath, [path.join(root, 'out/main/preview.js'), '--port', values.port!, '--data-dir', dataDir, '--keychain-service', keychainService], { stdio: 'inherit' });
if (!('path' in electron)) process.stdout.write(`(no Electron binary: ${electron.why} — starting the browser preview)\n`);

const stop = async () => {
  child.kill('SIGTERM');
  await sim.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', () => void stop());
