/**
 * The first run, as a newcomer meets it: the Node version check in front of every npm
 * script, `npm start` without an Electron binary, npm's install-script policy, the CI
 * workflow (checked by a linter, as it cannot run here), and the keyring command the
 * no-D-Bus message tells a user to run — the app's, and the command line's own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyringSessionCommand } from '../../main/core/platform/keychain/index';
import { shellCommand } from '../../main/core/platform/shell-word';
import { startSimulator } from '../gaia-sim';
import { connectedHome, requireBuiltCli } from '../support/cli-process';
import { ambientOrPrivateKeyring, useBus } from '../support/keyring-session';
import { nodeProblem } from '../../scripts/check-node.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
  allowScripts: Record<string, boolean>;
};
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

describe('the Node version check', () => {
  it('says in one line what is needed, and lets Node 24 through', () => {
    const line = nodeProblem('v20.11.0', pkg.engines.node);
    expect(line).toMatch(/^Gaia Desktop needs Node 24 or newer, and this is Node v20\.11\.0: install Node 24 /);
    expect(line).not.toContain('\n');
    expect(nodeProblem('v24.0.0', pkg.engines.node)).toBeNull();
    expect(nodeProblem('v25.1.0', pkg.engines.node)).toBeNull();
  });

  it('runs first in every npm script, and before npm install', () => {
    for (const [name, command] of Object.entries(pkg.scripts)) {
      expect(command, name).toMatch(/^node scripts\/check-node\.mjs( &&|$)/);
    }
    expect(pkg.scripts.preinstall).toBe('node scripts/check-node.mjs');
  });

  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p) && Number(/^v(\d+)/.exec(execFileSync(p, ['--version'], { encoding: 'utf8' }))![1]) < 24);
  it.skipIf(!oldNode)('stops an older Node with that line (a real older Node on this machine)', () => {
    const r = spawnSync(oldNode!, [path.join(ROOT, 'scripts/check-node.mjs')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/needs Node 24 or newer, and this is Node v\d+/);
  });
});

describe('npm start without an Electron binary', () => {
  it('says in one paragraph what is missing, what the download said, and the two ways on', async () => {
    // A checkout whose electron package has no binary yet, and whose download can only fail:
    // its mirror is a closed port on loopback, its cache an empty folder.
    const root = tempDir('gaia-start-');
    mkdirSync(path.join(root, 'scripts'));
    for (const f of ['start.mjs', 'electron-binary.mjs']) cpSync(path.join(ROOT, 'scripts', f), path.join(root, 'scripts', f));
    const electronPkg = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    mkdirSync(path.join(root, 'node_modules/electron'), { recursive: true });
    for (const f of ['package.json', 'install.js', 'checksums.json', 'index.js']) cpSync(path.join(electronPkg, f), path.join(root, 'node_modules/electron', f));
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_PATH: path.join(ROOT, 'node_modules'),
      ELECTRON_MIRROR: `http://127.0.0.1:${closed}/`,
      electron_config_cache: tempDir('gaia-electron-cache-'),
    };
    delete env.GAIA_ELECTRON;
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/start.mjs')], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    const paragraph = r.stderr.trim();
    expect(paragraph.split('\n'), 'one paragraph').toHaveLength(1);
    expect(paragraph).toMatch(/^Gaia Desktop cannot start in Electron on this machine: Electron’s binary is not downloaded yet/);
    // The first line of the real download error, not a guess about it.
    expect(paragraph).toMatch(/downloading it from \S+ failed: \S.*(ECONNREFUSED|fetch failed|connect)/);
    // Where it tried, so a proxy or mirror problem can be told from a typo.
    expect(paragraph).toContain(env.ELECTRON_MIRROR);
    expect(paragraph).toContain('`npm run demo`');
    expect(paragraph).toContain('`npm run preview`');
    expect(paragraph).not.toMatch(/\n\s+at /);

    // A host with no address: said as such, not as Electron's bare "fetch failed".
    const offline = spawnSync(process.execPath, [path.join(root, 'scripts/start.mjs')], {
      env: { ...env, ELECTRON_MIRROR: 'https://gaia-no-such-host.invalid/' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(offline.status).toBe(1);
    expect(offline.stderr).toMatch(/gaia-no-such-host\.invalid cannot be reached from here \(ENOTFOUND/);
  });
});

describe('npm install-scripts', () => {
  it('allowScripts covers exactly the packages with install scripts: esbuild runs, the rest are refused', () => {
    expect(pkg.allowScripts).toEqual({ esbuild: true, 'electron-winstaller': false, 'es5-ext': false });
  });

  // npm lists what is not covered. In a checkout whose node_modules is a link (as in these
  // worktrees) npm sees every package as a link and lists them all, so ask npm's own
  // arborist about the tree the link points to, with this package.json's policy.
  it('npm finds nothing left to review', async () => {
    const modules = path.join(ROOT, 'node_modules');
    if (!lstatSync(modules).isSymbolicLink()) {
      const out = execFileSync('npm', ['install-scripts', 'ls', '--json'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
      expect(JSON.parse(out)).toEqual({ allowScripts: [] });
      return;
    }
    const npmRoot = path.dirname(realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()));
    const npmDir = path.resolve(npmRoot, '..');
    const require = createRequire(path.join(npmDir, 'package.json'));
    const Arborist = require('@npmcli/arborist');
    const { collectUnreviewedScripts } = require('@npmcli/arborist/lib/unreviewed-scripts.js');
    const tree = await new Arborist({ path: path.dirname(realpathSync(modules)) }).loadActual();
    const pending = async (policy: Record<string, boolean> | null) =>
      ((await collectUnreviewedScripts({ tree, policy, includeWhenIgnored: true })) as Array<{ node: { name: string } }>).map((u) => u.node.name).sort();
    expect(await pending(null)).toEqual(Object.keys(pkg.allowScripts).sort());
    expect(await pending(pkg.allowScripts)).toEqual([]);
  });
});

describe('the CI workflow', () => {
  const workflow = path.join(ROOT, '.github/workflows/ci.yml');
  const validate = (file: string) => spawnSync(path.join(ROOT, 'node_modules/.bin/action-validator'), [file], { encoding: 'utf8', shell: process.platform === 'win32' });

  it('passes the workflow linter (action-validator)', () => {
    const r = validate(workflow);
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('the linter does catch a broken workflow', () => {
    const broken = path.join(tempDir('gaia-ci-'), 'ci.yml');
    writeFileSync(broken, readFileSync(workflow, 'utf8').replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest'));
    expect(validate(broken).status).not.toBe(0);
  });

  it('tests on the three OSes with npm ci && npm test, packages, uploads, and releases a tag with the README’s signing secrets', () => {
    const text = readFileSync(workflow, 'utf8');
    for (const os of ['ubuntu-latest', 'macos-latest', 'windows-latest']) expect(text).toContain(os);
    expect(text).toMatch(/run: npm ci\n/);
    expect(text).toMatch(/xvfb-run -a npm test/);
    expect(text).toMatch(/run: npm run package/);
    expect(text).toMatch(/actions\/upload-artifact/);
    expect(text).toMatch(/gh release create/);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const signing = readme.slice(readme.indexOf('### Signing'), readme.indexOf('### Electron fuses'));
    const named = [...new Set(signing.match(/\b(CSC|WIN_CSC|APPLE|GAIA_WIN)_[A-Z_]+\b/g))];
    expect(named.length).toBeGreaterThan(5);
    for (const name of named) expect(text, name).toMatch(new RegExp(`\\b${name}:`));
  });
});

const keyringTools = process.platform === 'linux' && has('dbus-run-session') && has('gnome-keyring-daemon') && has('bash');
describe.skipIf(!keyringTools)('the no-D-Bus message’s command', () => {
  it('really starts the app’s command in a D-Bus session with an unlocked keyring (password read once, no Ctrl-D)', () => {
    const home = tempDir('gaia-keyring-cmd-');
    const keyringModule = createRequire(import.meta.url).resolve('@napi-rs/keyring');
    writeFileSync(
      path.join(home, 'probe.cjs'),
      `const { Entry } = require(${JSON.stringify(keyringModule)});
       const e = new Entry('gaia-desktop-first-run-test', 'probe', { linux: { store: 'secret-service' } });
       e.setPassword('s3cret'); const back = e.getPassword(); e.deleteCredential();
       console.log(back === 's3cret' ? 'KEYCHAIN OK' : 'KEYCHAIN WRONG');`,
    );
    // The message's own text, with the app's command swapped for the probe.
    const command = keyringSessionCommand('node probe.cjs');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: home, XDG_DATA_HOME: path.join(home, 'data'), HOME: home };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.GAIA_TEST_KEYRING;
    const r = spawnSync('bash', ['-c', command], { cwd: home, env, input: 'a keyring password\n', encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout + r.stderr).toContain('KEYCHAIN OK');
  });

  it('the command line without D-Bus: exit 8, the command as it was run inside dbus-run-session, and that command really runs', async () => {
    requireBuiltCli();
    // A connection whose key is in a throwaway keyring, over a data dir whose name needs quoting.
    const keyring = await ambientOrPrivateKeyring();
    const restoreBus = useBus(keyring.address);
    const sim = await startSimulator({ datasets: 'demo' });
    try {
      const home = await connectedHome(sim);
      temps.push(home.dataDir);
      const dataDir = path.join(tempDir('gaia-cli-nobus-'), "Bob's data");
      cpSync(home.dataDir, dataDir, { recursive: true });
      const args = ['--data-dir', dataDir, '--keychain-service', home.keychainService, 'datasets'];
      const scratch = tempDir('gaia-cli-nobus-home-');
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: scratch, XDG_DATA_HOME: path.join(scratch, 'data'), HOME: scratch, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
      delete env.DBUS_SESSION_BUS_ADDRESS;
      delete env.GAIA_TEST_KEYRING;
      delete env.npm_lifecycle_event;

      const r = spawnSync(process.execPath, ['out/main/cli.js', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(8);
      expect(r.stderr).toMatch(/cannot reach your session’s message bus \(D-Bus\)/);
      expect(r.stderr).toContain(`Run \`${shellCommand(['node', 'out/main/cli.js', ...args])}\` again`);
      expect(r.stderr).toContain(keyringSessionCommand(shellCommand(['node', 'out/main/cli.js', ...args])));
      expect(r.stderr).not.toMatch(/Quit Gaia Desktop|choose to keep keys/);
      expect(r.stderr).toMatch(/not keys a running Gaia Desktop keeps for its session only/);

      // The message's own command, as a user would paste it: the CLI runs and reaches a keychain
      // (a new, empty one, so the key is not there: exit 3, not the keychain's 8).
      const suggested = /dbus-run-session -- bash -c '(?:[^']|'\\'')*'/.exec(r.stderr)?.[0];
      expect(suggested).toBeDefined();
      const again = spawnSync('bash', ['-c', suggested!], { cwd: ROOT, env, input: 'a keyring password\n', encoding: 'utf8', timeout: 60_000 });
      expect(again.stderr).not.toMatch(/D-Bus|keychain \(/);
      expect(again.status, again.stderr).toBe(3);
      expect(again.stderr).toMatch(/“Sim” has no API key stored/);
    } finally {
      await sim.stop();
      restoreBus();
      await keyring.stop();
    }
  }, 100_000);
});

describe('npm run demo, when its port is taken', () => {
  it('says so and how to pick another, without a stack trace', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const { port } = busy.address() as net.AddressInfo;
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: tempDir('gaia-demo-port-') };
      delete env.DBUS_SESSION_BUS_ADDRESS;
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--preview', '--port', String(port), '--data-dir', tempDir('gaia-demo-data-')], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim()).toBe(`npm run demo: port ${port} is in use (another preview or demo running?): stop it, or run \`npm run demo -- --port 0\` for any free port.`);
    } finally {
      busy.close();
    }
  }, 100_000);
});

describe('npm run sim, given a bad option or a taken port', () => {
  const sim = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'test/gaia-sim/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('says what it takes, without a stack trace', () => {
    const r = sim(['--port', 'abc']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe('npm run sim: --port takes a number from 0 to 65535 (0: any free port), not "abc"');
    const unknown = sim(['--bogus']);
    expect(unknown.status, unknown.stderr).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^npm run sim: Unknown option '--bogus'\. Usage: npm run sim -- \[--port 8443\]/);
  }, 100_000);

  it('says the port is in use and how to pick another', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const { port } = busy.address() as net.AddressInfo;
    try {
      const r = sim(['--port', String(port)]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim()).toBe(`npm run sim: port ${port} on 127.0.0.1 is in use (another simulator running?): stop it, or run \`npm run sim -- --port 0\` for any free port.`);
    } finally {
      busy.close();
    }
  }, 100_000);
});
