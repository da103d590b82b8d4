/**
 * The bench needs a keychain (connecting a profile stores its key there) but must never
 * touch the user's: like scripts/test.mjs, it re-runs itself inside a private D-Bus
 * session with its own unlocked gnome-keyring in a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Returns when already inside the private session; otherwise runs `argv` inside one and exits with its status. */
export function ensurePrivateKeyring(argv: string[]): void {
  if (process.env.GAIA_BENCH_KEYRING === '1') return;
  if (process.platform !== 'linux') {
    process.env.GAIA_BENCH_KEYRING = '1';
    return; // macOS Keychain / Windows Credential Manager: entries use a throwaway service name.
  }
  if (!has('dbus-run-session') || !has('gnome-keyring-daemon')) {
    console.error('npm run bench needs a private keyring: apt-get install -y dbus gnome-keyring (Debian/Ubuntu).');
    process.exit(1);
  }
  const home = mkdtempSync(path.join(os.tmpdir(), 'gaia-bench-keyring-'));
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const inner = [
    `export XDG_DATA_HOME='${home}' XDG_RUNTIME_DIR='${home}' GAIA_BENCH_KEYRING=1`,
    'echo -n gaia-bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
    `exec ${quoted}`,
  ].join('\n');
  const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], { stdio: 'inherit' });
  rmSync(home, { recursive: true, force: true });
  process.exit(run.status ?? 1);
}
