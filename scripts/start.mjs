/**
 * `npm start`: runs the built app in Electron. Where the Electron binary is missing, it
 * tries electron's own download once; where that cannot work (no network), it says what
 * to do instead of printing a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let found = findElectron();
if (!('path' in found) && !process.env.GAIA_ELECTRON) {
  process.stdout.write('Electron is not downloaded yet; fetching it once…\n');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], { stdio: 'ignore', timeout: 120_000 });
  if (result.status === 0) found = findElectron();
}
if (!('path' in found)) {
  process.stderr.write(
    [
      '',
      'Gaia Desktop cannot start in Electron on this machine:',
      `  ${found.why}, and it could not be downloaded (no network access to Electron's releases?).`,
      '',
      'Use the browser preview instead — the same app, with its core running in Node:',
      '  npm run preview',
      '',
      'Or point GAIA_ELECTRON at an Electron 45 binary you already have.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
const child = spawn(found.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
