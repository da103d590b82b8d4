/**
 * `npm start`: runs the built app in Electron. Where the Electron binary is missing, it
 * tries Electron's own download once; where that fails (no network, a proxy), it says in
 * one paragraph what is missing, what the download said, and the two ways on without it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let found = findElectron();
let downloadError = null;
if (!('path' in found) && !process.env.GAIA_ELECTRON) {
  process.stdout.write('Electron is not downloaded yet; fetching it once…\n');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], { encoding: 'utf8', timeout: 120_000 });
  if (result.status === 0) found = findElectron();
  else {
    const said = `${result.error?.message ?? ''}\n${result.stderr ?? ''}`.split('\n').map((l) => l.trim()).find(Boolean);
    downloadError = said ?? (result.signal ? `it was stopped after 120 s (${result.signal})` : `it exited with code ${result.status}`);
  }
}
if (!('path' in found)) {
  // Where @electron/get fetched from, and its own switches for a proxy or a mirror, so a failed download has a next step.
  const from = process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/';
  // Electron's installer prints only "fetch failed"; whether the host has an address at all is the usual answer.
  if (downloadError && /fetch failed/i.test(downloadError)) {
    const host = new URL(from).hostname;
    await lookup(host).then(
      () => undefined,
      (err) => (downloadError = `${host} cannot be reached from here (${err.code ?? err.message}; no network, or DNS blocked)`),
    );
  }
  const download = downloadError
    ? `, and downloading it from ${from} failed: ${downloadError.replace(/\.$/, '')} (behind a proxy, set ELECTRON_GET_USE_PROXY=true with HTTPS_PROXY; for a mirror, ELECTRON_MIRROR)`
    : '';
  process.stderr.write(
    `\nGaia Desktop cannot start in Electron on this machine: ${found.why}${download}. ` +
      'Two ways on without Electron, both the same app in your browser: `npm run demo` runs it against a built-in Gaia simulator ' +
      '(no account needed), and `npm run preview` runs it for your own Gaia. ' +
      '(Or set GAIA_ELECTRON to an Electron 45 binary you already have.)\n\n',
  );
  process.exit(1);
}
const child = spawn(found.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
