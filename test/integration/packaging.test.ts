/**
 * Packaging, as far as it can be checked on a machine that cannot download Electron:
 *
 * 1. electron-builder.yml itself: every Electron fuse set explicitly to its release value,
 *    the targets, installers and hooks the releases need, and a complete icon set.
 * 2. A real `electron-builder --linux dir` run, through scripts/package.mjs (what
 *    `npm run package` runs), against a stand-in Electron folder instead of the real
 *    download, with the network switched off where the machine allows it. The stand-in's
 *    executable is a small shell script that carries Electron's fuse wire (the sentinel
 *    @electron/fuses looks for, then one byte per fuse), so the fuses are really flipped and
 *    can be read back. Then the produced app.asar is opened with @electron/asar: the
 *    bundles are there, the keyring's native binary is unpacked next to it, and nothing
 *    else — no tests, no sources or source maps, no simulator keys or certificates, no
 *    devDependencies.
 * 3. The same run with the one test-build switch (--test-build), which must differ from the
 *    release in the inspect fuse only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringPackageFor } from '../../scripts/after-pack.mjs';
import notarize, { NOTARIZE_ENV, notarizeSkipReason } from '../../scripts/notarize.mjs';
import { configOverrides, testBuildOverrides } from '../../scripts/package.mjs';
import signWindows, { windowsSigningMode } from '../../scripts/sign-windows.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const config = yaml.load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** The release value of every fuse electron-builder 26 knows (FuseOptionsV1). */
const RELEASE_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};
/** Position of each fuse on the wire (@electron/fuses' FuseV1Options). */
const WIRE_INDEX: Record<keyof typeof RELEASE_FUSES, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};
const FUSE_ON = 0x31; // '1'
const FUSE_OFF = 0x30; // '0'

const pngSize = (file: string) => {
  const png = readFileSync(file);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
};

describe('electron-builder.yml', () => {
  it('sets every Electron fuse explicitly, to its release value', () => {
    expect(config.electronFuses).toEqual(RELEASE_FUSES);
    // A fuse electron-builder learns about later must be decided here too, not inherited.
    const scheme = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties).filter((name) => name !== 'resetAdHocDarwinSignature');
    expect(Object.keys(config.electronFuses).sort()).toEqual(known.sort());
  });

  it('has one switch for test builds, which turns only the inspect fuse on', () => {
    const test = testBuildOverrides() as { electronFuses: Record<string, boolean> };
    expect(test.electronFuses).toEqual({ enableNodeCliInspectArguments: true });
    expect({ ...config.electronFuses, ...test.electronFuses }).toEqual({ ...RELEASE_FUSES, enableNodeCliInspectArguments: true });
    expect(configOverrides()).toEqual({});
  });

  it('packages only the built app and package.json, with the keyring binary unpacked', () => {
    const files = config.files as string[];
    expect(files.filter((pattern) => !pattern.startsWith('!'))).toEqual(['package.json', 'out/**']);
    expect(files).toEqual(expect.arrayContaining(['!**/*.map', '!**/.env', '!**/*.{pem,key,crt,cer,p12,pfx}']));
    expect(config.asarUnpack).toEqual(['**/node_modules/@napi-rs/keyring*/**/*.node', 'out/main/keychain-worker.mjs']);
    expect(config.npmRebuild).toBe(false);
    expect(existsSync(path.join(ROOT, config.afterPack))).toBe(true);
    expect(config.artifactName).toBe('${name}-${version}-${os}-${arch}.${ext}');
    expect(config.publish).toBeNull(); // no feed until one is configured: the updater stays off
  });

  it('builds macOS dmg and zip for x64 and arm64, hardened, with entitlements and a notarization hook', () => {
    expect(config.appId).toMatch(/^[a-z][\w-]*(\.[a-z][\w-]*)+$/);
    expect(config.productName).toBe('Gaia Desktop');
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(path.join(ROOT, config.mac.entitlements), 'utf8');
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(entitlements).not.toContain('disable-library-validation');
    expect(config.mac.notarize).toBe(false); // our hook does it, from the environment
    expect(existsSync(path.join(ROOT, config.afterSign))).toBe(true);
  });

  it('builds a per-user Windows installer with a choice of folder, and signs through a hook', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(existsSync(path.join(ROOT, config.win.signtoolOptions.sign))).toBe(true);
  });

  it('builds a Linux AppImage and a deb that depends on libsecret and recommends gnome-keyring', () => {
    expect(config.linux.target).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
    expect(['Office', 'Utility']).toContain(config.linux.category);
    expect(config.linux.executableName).toBe('gaia-desktop');
    expect(config.deb.depends).toContain('libsecret-1-0');
    expect(config.deb.recommends).toEqual(['gnome-keyring']);
  });

  it('has a complete icon set', () => {
    expect(readFileSync(path.join(ROOT, config.mac.icon)).subarray(0, 4).toString('latin1')).toBe('icns');
    const ico = readFileSync(path.join(ROOT, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1); // an icon resource
    const icoSizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(icoSizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(path.join(ROOT, config.linux.icon, `${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
  });
});

describe('signing and notarization hooks skip cleanly without credentials', () => {
  it('notarization names what is missing, and only acts on macOS builds', async () => {
    expect(notarizeSkipReason({ electronPlatformName: 'linux' }, {})).toBe('not a macOS build (linux)');
    expect(notarizeSkipReason({ electronPlatformName: 'darwin' }, {})).toBe(`${NOTARIZE_ENV.join(', ')} not set`);
    expect(notarizeSkipReason({ electronPlatformName: 'darwin' }, { APPLE_ID: 'a@example.com', APPLE_TEAM_ID: 'ABCDE12345' })).toBe('APPLE_APP_SPECIFIC_PASSWORD not set');
    await expect(notarize({ electronPlatformName: 'win32', appOutDir: '/nowhere', packager: { appInfo: { productFilename: 'Gaia Desktop' } } })).resolves.toBeUndefined();
  });

  it('Windows signing skips with no certificate or command, and runs a configured command on the file', async () => {
    expect(windowsSigningMode({})).toEqual({ mode: 'none', why: 'neither GAIA_WIN_SIGN_COMMAND nor WIN_CSC_LINK is set' });
    expect(windowsSigningMode({ WIN_CSC_LINK: 'c.pfx', WIN_CSC_KEY_PASSWORD: 'pw' })).toEqual({ mode: 'certificate', pfx: 'c.pfx', password: 'pw' });
    const saved = { ...process.env };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-sign-'));
    const exe = path.join(dir, 'Gaia Desktop.exe');
    writeFileSync(exe, 'MZ');
    try {
      for (const name of ['GAIA_WIN_SIGN_COMMAND', 'WIN_CSC_LINK', 'CSC_LINK']) delete process.env[name];
      await signWindows({ path: exe });
      expect(readFileSync(exe, 'utf8')).toBe('MZ');
      process.env.GAIA_WIN_SIGN_COMMAND = `"${process.execPath}" -e "require('fs').appendFileSync(process.argv[1], '+signed')" "{file}"`;
      await signWindows({ path: exe });
      expect(readFileSync(exe, 'utf8')).toBe('MZ+signed');
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------
// A real package, from a stand-in Electron.

const KEYRING = keyringPackageFor('linux', 'x64')[0];
const canPackage =
  process.platform !== 'linux' || process.arch !== 'x64'
    ? `the stand-in packaging run builds linux-x64 and needs a linux-x64 machine (this is ${process.platform}-${process.arch})`
    : !existsSync(path.join(ROOT, 'node_modules', KEYRING))
      ? `${KEYRING} is not installed`
      : null;
/** Runs the build in its own network namespace where the machine allows it (Linux, root), proving it downloads nothing. */
const offline = process.platform === 'linux' && spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' }).status === 0;

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The stand-in for Electron's linux-x64 zip: every fuse starts at the opposite of its release value, so each must be flipped. */
function makeStandInElectron(dir: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  const wire = Buffer.alloc(8);
  for (const [name, index] of Object.entries(WIRE_INDEX)) wire[index] = RELEASE_FUSES[name as keyof typeof RELEASE_FUSES] ? FUSE_OFF : FUSE_ON;
  const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX', 'latin1');
  const script = Buffer.from('#!/bin/sh\necho "stand-in for Electron: nothing to run"\nexit 0\n# fuse wire: ', 'latin1');
  writeFileSync(path.join(dir, 'electron'), Buffer.concat([script, sentinel, Buffer.from([Number(FuseVersion.V1), wire.length]), wire, Buffer.from('\n')]));
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'version'), '45.4.1');
  writeFileSync(path.join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>');
  writeFileSync(path.join(dir, 'locales', 'en-US.pak'), '');
}

/** Every package reachable from package.json's dependencies: what may be in the asar. */
function productionClosure(): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    let dir = from;
    let manifest: string | null = null;
    while (!manifest) {
      const candidate = path.join(dir, 'node_modules', name, 'package.json');
      if (existsSync(candidate)) manifest = candidate;
      else if (dir === ROOT || dir === path.dirname(dir)) return; // an optional dependency for another OS
      else dir = path.dirname(dir);
    }
    const key = path.relative(ROOT, path.dirname(manifest));
    if (seen.has(key)) return;
    seen.add(key);
    const json = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const dep of Object.keys({ ...json.dependencies, ...json.optionalDependencies })) visit(dep, path.dirname(manifest));
  };
  for (const dep of Object.keys(pkg.dependencies)) visit(dep, ROOT);
  return new Set([...seen].map((dir) => dir.split(path.sep).join('/')));
}

describe.skipIf(canPackage !== null)(`a Linux package built from a stand-in Electron${canPackage ? ` (skipped: ${canPackage})` : ''}`, () => {
  let work: string;
  const builds: Record<'release' | 'test', { code: number | null; output: string; appDir: string }> = {} as never;

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'out/main/index.js')) || !existsSync(path.join(ROOT, 'out/preload/index.cjs')) || !existsSync(path.join(ROOT, 'out/renderer/index.html'))) {
      const vite = await run(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--app', '--logLevel', 'warn'], process.env);
      expect(vite.code, vite.output).toBe(0);
    }
    work = mkdtempSync(path.join(os.tmpdir(), 'gaia-package-'));
    makeStandInElectron(path.join(work, 'electron'));
    const env: NodeJS.ProcessEnv = { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_BUILDER_OFFLINE: 'true' };
    for (const name of ['CSC_LINK', 'WIN_CSC_LINK', 'GAIA_WIN_SIGN_COMMAND', 'GH_TOKEN', 'GITHUB_TOKEN', 'DEBUG']) delete env[name];
    for (const variant of ['release', 'test'] as const) {
      const out = path.join(work, variant);
      const args = [path.join(ROOT, 'scripts/package.mjs'), '--dir', `--electron-dist=${path.join(work, 'electron')}`, `--output=${out}`, ...(variant === 'test' ? ['--test-build'] : [])];
      const result = offline ? await run('unshare', ['-n', process.execPath, ...args], env) : await run(process.execPath, args, env);
      builds[variant] = { ...result, appDir: path.join(out, 'linux-unpacked') };
    }
  }, 170_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const asarOf = (variant: 'release' | 'test' = 'release') => path.join(builds[variant].appDir, 'resources', 'app.asar');
  const entries = () => listPackage(asarOf(), { isPack: false }).map((entry) => entry.replace(/\\/g, '/'));
  const files = () => entries().filter((entry) => 'size' in statFile(asarOf(), entry.slice(1)));

  it('electron-builder succeeds', () => {
    expect(builds.release.code, builds.release.output).toBe(0);
    expect(existsSync(asarOf()), builds.release.output).toBe(true);
    expect(existsSync(path.join(builds.release.appDir, 'gaia-desktop'))).toBe(true);
  });

  it.skipIf(!offline)(`downloads nothing: it ran with the network switched off${offline ? '' : ' (skipped: cannot unshare the network here)'}`, () => {
    expect(builds.release.code, builds.release.output).toBe(0);
  });

  it('contains the main, preload and renderer bundles, and package.json without devDependencies', () => {
    const all = entries();
    for (const file of ['/out/main/index.js', '/out/main/keychain-worker.mjs', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json']) expect(all).toContain(file);
    expect(all.some((entry) => /^\/out\/renderer\/assets\/.+\.js$/.test(entry))).toBe(true);
    // Every chunk the main bundle imports is there.
    const mainJs = extractFile(asarOf(), 'out/main/index.js').toString('utf8');
    for (const [, chunk] of mainJs.matchAll(/(?:from|import\s*\()\s*["']\.\/(chunks\/[^"']+)["']/g)) expect(all).toContain(`/out/main/${chunk}`);
    const packed = JSON.parse(extractFile(asarOf(), 'package.json').toString('utf8'));
    expect(packed).toMatchObject({ name: pkg.name, main: 'out/main/index.js', dependencies: pkg.dependencies });
    expect(packed.devDependencies).toBeUndefined();
    expect(packed.scripts).toBeUndefined();
  });

  it('unpacks the keyring’s native binary and the keychain worker next to the asar, and nothing else', () => {
    const unpackedDir = path.join(asarOf() + '.unpacked', 'node_modules', KEYRING);
    const binaries = readdirSync(unpackedDir).filter((name) => name.endsWith('.node'));
    expect(binaries).toEqual(['keyring.linux-x64-gnu.node']);
    expect(statFile(asarOf(), `node_modules/${KEYRING}/${binaries[0]}`)).toMatchObject({ unpacked: true });
    expect(readdirSync(path.join(asarOf() + '.unpacked', 'node_modules'))).toEqual(['@napi-rs']);
    expect(readdirSync(path.join(asarOf() + '.unpacked', 'node_modules', '@napi-rs'))).toEqual([KEYRING.split('/')[1]]);
    // The worker thread's script, where main/electron/index.ts points it.
    expect(statFile(asarOf(), 'out/main/keychain-worker.mjs')).toMatchObject({ unpacked: true });
    expect(readdirSync(asarOf() + '.unpacked').sort()).toEqual(['node_modules', 'out']);
    expect(readdirSync(path.join(asarOf() + '.unpacked', 'out'))).toEqual(['main']);
    expect(readdirSync(path.join(asarOf() + '.unpacked', 'out', 'main'))).toEqual(['keychain-worker.mjs']);
  });

  it('holds nothing from test/, no sources, no source maps, no .env, no keys or certificates', () => {
    const all = entries();
    const leaks = all.filter(
      (entry) =>
        /^\/(test|main|preload|renderer|scripts|build|docs|release|\.ci)(\/|$)/.test(entry) ||
        /gaia-sim|\.map$|\.(ts|mts|cts|tsx)$|(^|\/)\.env(\.|$)|\.(pem|key|crt|cer|p12|pfx)$/.test(entry) ||
        entry === '/out/main/preview.js',
    );
    expect(leaks).toEqual([]);
    // No key or certificate inside any file either (a whole PEM block: a marker alone, as in
    // an error message that explains the format, is fine), and our bundles point to no source map.
    const pemBlock = /-----BEGIN ([A-Z ]*(?:PRIVATE KEY|CERTIFICATE))-----[A-Za-z0-9+/=\s\\]{40,}-----END \1-----/;
    const pemInside = files().filter((file) => pemBlock.test(extractFile(asarOf(), file.slice(1)).toString('latin1')));
    expect(pemInside).toEqual([]);
    const mapped = files().filter((file) => file.startsWith('/out/') && extractFile(asarOf(), file.slice(1)).toString('utf8').includes('sourceMappingURL='));
    expect(mapped).toEqual([]);
  });

  it('holds only production dependencies: no devDependency, no build or test tool', () => {
    // By package name, not by folder: electron-builder hoists a nested dependency
    // (cross-spawn/node_modules/which) to the top when nothing else there claims the name.
    const allowed = new Set([...productionClosure()].map((dir) => `node_modules/${dir.split('node_modules/').pop()}`));
    const packed = entries()
      .map((entry) => /^\/(node_modules\/(?:@[^/]+\/[^/]+|[^@/][^/]*))$/.exec(entry)?.[1])
      .filter((name): name is string => Boolean(name));
    expect(packed.length).toBeGreaterThan(0);
    expect(packed.filter((name) => !allowed.has(name))).toEqual([]);
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => !allowed.has(`node_modules/${name}`));
    expect(devOnly.filter((name) => packed.includes(`node_modules/${name}`))).toEqual([]);
    for (const tool of ['vite', 'react', 'react-dom', '@playwright/test', 'playwright', 'electron', 'electron-builder', 'vitest', 'typescript', 'eslint', 'tsx', '@electron/asar']) {
      expect(packed).not.toContain(`node_modules/${tool}`);
    }
  });

  it('flips every fuse on the executable to its release value', async () => {
    const wire = await getCurrentFuseWire(path.join(builds.release.appDir, 'gaia-desktop'));
    for (const [name, index] of Object.entries(WIRE_INDEX)) {
      expect({ [name]: wire[index] }).toEqual({ [name]: RELEASE_FUSES[name as keyof typeof RELEASE_FUSES] ? FUSE_ON : FUSE_OFF });
    }
  });

  it('a test build differs from the release only in the inspect fuse', async () => {
    expect(builds.test.code, builds.test.output).toBe(0);
    const release = await getCurrentFuseWire(path.join(builds.release.appDir, 'gaia-desktop'));
    const test = await getCurrentFuseWire(path.join(builds.test.appDir, 'gaia-desktop'));
    const differing = Object.entries(WIRE_INDEX).filter(([, index]) => release[index] !== test[index]).map(([name]) => name);
    expect(differing).toEqual(['enableNodeCliInspectArguments']);
    expect(test[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FUSE_ON);
    expect(listPackage(asarOf('test'), { isPack: false }).length).toBe(entries().length);
  });
});
