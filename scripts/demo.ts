/**
 * `npm run demo`: the Gaia simulator plus the app, with a ready "Demo (local simulator)"
 * connection — the one-command way to see every feature without a Cohesity account.
 *
 *   npm run demo -- [--pace MS] [--preview] [--port N] [--data-dir DIR] [--datasets N]
 *
 * The simulator, the core holding the demo's connection and the server of the app all live
 * in this one process, so where no keychain is usable the key kept "for this session only"
 * is really there for the app, and it never leaves this process (no argv, env, file or
 * log). Only where an Electron binary exists and the keychain works does the demo start
 * Electron instead: the key is then in the keychain under a demo-only service, and is
 * removed from it when the demo ends.
 *
 * The app opens on Ask, with datasets chosen and one of their suggested questions typed,
 * and answers stream at a human pace (--pace: milliseconds per word, 0 for all at once).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { productName, version } from '../package.json';
import { createCore, type Core } from '../main/core/core';
import { checkBusAnswers, createKeychain } from '../main/core/platform/keychain/index';
import type { Channel, Envelope, Request, Response } from '../preload/contract';
import { previewPorts, startPreviewServer } from '../main/preview/server';
import { startSimulator } from '../test/gaia-sim';
import { findElectron } from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');
const DEMO_DATASETS = ['Travel & Expenses', 'Finance Reports'];
const PROFILE_NAME = 'Demo (local simulator)';

const fail = (message: string): never => {
  process.stderr.write(`npm run demo: ${message}\n`);
  process.exit(2);
};

const { values } = parseArgs({
  options: {
    pace: { type: 'string', default: '35' },
    preview: { type: 'boolean', default: false },
    port: { type: 'string', default: '5183' },
    'data-dir': { type: 'string' },
    'keychain-service': { type: 'string', default: `${productName} Demo` },
    datasets: { type: 'string' },
  },
  strict: true,
});
const pace = Number(values.pace);
if (!Number.isFinite(pace) || pace < 0 || pace > 2000) fail(`--pace takes milliseconds per word from 0 to 2000, not "${values.pace}"`);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port takes a number from 0 to 65535, not "${values.port}"`);
// The realistic catalog by default; --datasets N for a scale demo of N generated ones.
const datasets = values.datasets === undefined ? 'enterprise' : Number(values.datasets);
if (datasets !== 'enterprise' && (!Number.isInteger(datasets) || datasets < 1)) fail(`--datasets takes a whole number, not "${values.datasets}"`);

const keychainService = values['keychain-service'];
// Leftovers go on a service the demo owns; the app's own holds the user's real keys.
if (keychainService === productName) fail(`--keychain-service must not be the app's own service ("${productName}"): the demo clears its service when it starts`);

/**
 * Removes what an earlier demo left under its service. Ctrl+C in the README's private-bus
 * recipe stops the bus and its keyring together with the demo, so that demo could not
 * remove its keys; they are removed here, the next time the demo starts.
 */
async function clearLeftovers(): Promise<number> {
  const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
  // With no session bus there is no keyring this run could reach, and asking would only wait.
  if (process.platform === 'linux') {
    if (!bus) return 0;
    const answer = await checkBusAnswers(bus, AbortSignal.timeout(2000));
    if (answer === 'unreachable' || answer === 'silent') return 0;
  }
  const quiet = { addSecret: () => undefined, warn: () => undefined, info: () => undefined };
  const leftovers = createKeychain({ service: keychainService, log: quiet });
  try {
    return await leftovers.clearService();
  } catch {
    // No usable keychain: nothing could have been left in it that this run can reach.
    return 0;
  } finally {
    await leftovers.close();
  }
}
const leftoversRemoved = await clearLeftovers();

const sim = await startSimulator({ datasets, faults: pace > 0 ? { streamPace: { msPerWord: pace } } : {} });
const dataDir = path.resolve(values['data-dir'] ?? mkdtempSync(path.join(os.tmpdir(), 'gaia-demo-')));
const print = (line: string) => process.stdout.write(`${line}\n`);
/** Quotes a word for a POSIX shell only when it needs it, so a printed command can be pasted as is. */
const shellWord = (word: string) => (/^[A-Za-z0-9_./:=@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

const openCore = () =>
  createCore({
    dataDir,
    keychainService,
    appName: productName,
    version,
    ports: previewPorts(print),
    // The demo's own options, so the keychain message's command starts this same demo again.
    launch: { how: 'preview', command: ['npm', 'run', 'demo', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].map(shellWord).join(' ') },
    // Settings → Local assistants shows a snippet that starts this checkout's command line over the demo's data and keychain service.
    launcher: { command: process.execPath, args: [path.join(root, 'out/main/cli.js'), '--data-dir', dataDir, '--keychain-service', keychainService] },
  });

async function call<C extends Channel>(core: Core, channel: C, request: Request<C>): Promise<Response<C>> {
  const result = (await core.dispatch(channel, request)) as Envelope<Response<C>>;
  if (!result.ok) throw new Error(`${result.error.message} ${result.error.action}`);
  return result.value;
}

let core = await openCore();
const keychain = await call(core, 'gaia:keychain.status', {});
if (!keychain.available) await call(core, 'gaia:keychain.useSessionOnly', {});

// Connect exactly as the Connect form would, then leave the app as a user would have
// left it: on Ask, datasets chosen, one of their suggested questions typed.
let profileId: string;
try {
  const { profile } = await call(core, 'gaia:profiles.connect', { name: PROFILE_NAME, baseUrl: sim.baseUrl, apiKey: sim.demoKey, caPem: sim.caPem });
  profileId = profile.id;
  const listed = await call(core, 'gaia:datasets.list', { requestId: `demo-${Date.now()}` });
  const chosen = DEMO_DATASETS.flatMap((name) => listed.datasets.filter((d) => d.name === name));
  const picked = chosen.length ? chosen : listed.datasets.filter((d) => d.health === 'healthy').slice(0, 2);
  const topics = picked.length ? (await call(core, 'gaia:datasets.topics', { id: picked[0].id })).topics : [];
  const question = topics.flatMap((t) => t.suggestedQuestions)[0] ?? '';
  await call(core, 'gaia:composer.save', { datasetNames: picked.map((d) => d.name), llmId: null, languageCode: null });
  await call(core, 'gaia:settings.update', { resume: { page: 'ask', profileId, conversationId: null, draft: question } });
} catch (err) {
  await core.close();
  await sim.stop();
  fail(`it could not set up its connection to the simulator: ${err instanceof Error ? err.message : String(err)}`);
  throw err;
}

const electron = findElectron();
const inElectron = 'path' in electron && keychain.available && !values.preview;
const keyWhere = keychain.available
  ? `in the keychain (${keychain.backend}, service "${keychainService}"), removed when the demo stops`
  : `in this process's memory only, for this session: no usable keychain here (${keychain.problem?.message ?? 'unknown reason'})`;

// `on`, not `once`: Ctrl+C reaches this process twice (from the terminal and again from the
// tsx parent), and a second signal with no listener left would end the process mid-cleanup,
// leaving the demo key in the keychain. Later signals are ignored while it cleans up.
const stopped = new Promise<void>((resolve) => {
  process.on('SIGINT', () => resolve());
  process.on('SIGTERM', () => resolve());
});

let openLine: string;
let finish: () => Promise<void>;
if (inElectron) {
  // Electron runs its own core on the same folder; it reads the key from the keychain.
  await core.close();
  const child = spawn(electron.path, [root, `--data-dir=${dataDir}`, `--keychain-service=${keychainService}`], { stdio: 'inherit' });
  openLine = 'Gaia Desktop is starting in Electron.';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => process.kill(process.pid, 'SIGTERM'));
  finish = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    core = await openCore();
  };
} else {
  const server = await startPreviewServer({ core, rendererDir: path.join(root, 'out/renderer'), port }).catch(async (err: NodeJS.ErrnoException) => {
    await call(core, 'gaia:profiles.forgetKey', { id: profileId }).catch(() => undefined);
    await core.close();
    await sim.stop();
    // A folder made for this run holds nothing worth keeping when the demo never started.
    if (!values['data-dir']) rmSync(dataDir, { recursive: true, force: true });
    if (err.code === 'EADDRINUSE') fail(`port ${port} is in use (another preview or demo running?): stop it, or run \`npm run demo -- --port 0\` for any free port.`);
    throw err;
  });
  const why = values.preview ? '--preview' : 'path' in electron ? 'no usable keychain for Electron to read the key from' : `no Electron binary: ${electron.why}`;
  openLine = `Open: ${server.url}   (the app in your browser; ${why})`;
  finish = () => server.close();
}

print(
  [
    'Gaia Desktop demo, against a local Gaia simulator (no Cohesity account needed).',
    openLine,
    `  Gaia base URL:  ${sim.baseUrl}`,
    `  CA file:        ${sim.caFile}`,
    `  Demo key:       ${keyWhere}`,
    `  Read-only key:  ${sim.readKey}   (to try: Connections → add a connection with the base URL, this key and the CA file; writes get 403)`,
    `  Data:           ${dataDir}${values['data-dir'] ? '' : ' (a new folder; it is left in place when the demo stops)'}`,
    keychain.available
      ? `  Command line:   npm run -s cli -- datasets --data-dir ${shellWord(dataDir)} --keychain-service ${shellWord(keychainService)}   (while the demo runs)`
      : '  Command line:   cannot use a key kept for this session only (it is in this process); to try it, start the demo with a keychain (the Connections page says how here)',
    ...(leftoversRemoved > 0 ? [`  Leftovers:      removed ${leftoversRemoved} demo key${leftoversRemoved === 1 ? '' : 's'} an earlier demo left in the keychain`] : []),
    `  Streaming:      ${pace > 0 ? `${pace} ms per word (--pace)` : 'all at once (--pace 0)'}`,
    'Press Ctrl+C to stop.',
  ].join('\n'),
);

await stopped;
print('Stopping…');
await finish();
// The demo's keys do not outlive the demo: its own, and any the user stored while trying it
// (the keychain service is the demo's alone).
const demoProfiles = await call(core, 'gaia:profiles.list', {}).then(
  (r) => r.profiles.map((p) => p.id),
  () => [profileId],
);
const forgotten = await Promise.all(
  [...new Set([profileId, ...demoProfiles])].map((id) =>
    call(core, 'gaia:profiles.forgetKey', { id }).then(
      () => true,
      () => false,
    ),
  ),
);
const forgot = forgotten.every(Boolean);
// Ctrl+C reaches the whole process group: under `dbus-run-session` the bus (and the keyring
// on it) stop with the demo, and that is why a key could not be removed, not a broken keychain.
const busGone = !forgot && (await checkBusAnswers(process.env.DBUS_SESSION_BUS_ADDRESS, AbortSignal.timeout(2000)).catch(() => 'unreachable')) === 'unreachable';
await core.close();
await sim.stop();
const clearCommand = `\`secret-tool clear service ${shellWord(keychainService)}\``;
print(
  !keychain.available
    ? `Stopped. The demo key was in memory only and is gone; the data folder stays: ${dataDir}`
    : forgot
      ? `Stopped. The demo's keys (and any you added while trying it) are removed from the keychain; the data folder stays: ${dataDir}`
      : busGone
        ? `Stopped. The keychain's session ended with Ctrl+C (its D-Bus session and keyring stopped together with the demo), so the demo key is still stored in that keyring: the next \`npm run demo\` removes it, or run ${clearCommand} in a session with that keyring. Data: ${dataDir}`
        : `Stopped, but a demo key could not be removed from the keychain: the next \`npm run demo\` removes it, or run ${clearCommand}. Data: ${dataDir}`,
);
process.exit(0);
