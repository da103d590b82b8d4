/**
 * Builds Gaia Desktop's installers with electron-builder, from electron-builder.yml.
 *
 *   npm run package          this OS's installers (macOS dmg+zip, Windows nsis, Linux AppImage+deb)
 *   npm run package:all      macOS, Windows and Linux from one machine (in practice: a Mac)
 *   npm run package:test     this OS's installers as a *test build* (see below)
 *
 * Options (after `--`): --dir builds the unpacked folder only (the quickest check);
 * --electron-dist=DIR packages a local Electron folder instead of downloading one (offline
 * build machines; the packaging test's stand-in); --output=DIR writes there instead of
 * release/ (test builds: release/test-build/).
 *
 * Release and test builds differ by ONE switch, --test-build: a test build keeps Electron's
 * enableNodeCliInspectArguments fuse on, because Playwright's _electron drives the app
 * through --inspect; every other fuse, and everything else, is the release's. Never ship
 * a test build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What a test build changes in electron-builder.yml: the one fuse, and where it goes. */
export function testBuildOverrides() {
  return {
    electronFuses: { enableNodeCliInspectArguments: true },
    directories: { output: 'release/test-build' },
    artifactName: '${name}-${version}-${os}-${arch}-test-build.${ext}',
  };
}

/** electron-builder's config on top of electron-builder.yml (which it always loads). */
export function configOverrides({ testBuild = false, electronDist, output } = {}) {
  const config = testBuild ? testBuildOverrides() : {};
  if (electronDist) config.electronDist = path.resolve(electronDist);
  if (output) config.directories = { ...config.directories, output: path.resolve(output) };
  return config;
}

const option = (argv, name) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

async function main(argv) {
  const testBuild = argv.includes('--test-build');
  const all = argv.includes('--all');
  const dirOnly = argv.includes('--dir');
  const { build, Platform } = await import('electron-builder');

  if (!existsSync(path.join(root, 'out/main/index.js'))) {
    const vite = spawnSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--app', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (vite.status !== 0) process.exit(vite.status ?? 1);
  }

  const platforms = all ? [Platform.MAC, Platform.WINDOWS, Platform.LINUX] : [Platform.current()];
  const targets = new Map();
  for (const platform of platforms) {
    for (const [k, v] of platform.createTarget(dirOnly ? ['dir'] : undefined)) targets.set(k, v);
  }
  if (testBuild) console.log('Test build: enableNodeCliInspectArguments stays on (for Playwright). Do not ship it.');
  const config = configOverrides({ testBuild, electronDist: option(argv, 'electron-dist'), output: option(argv, 'output') });
  const artifacts = await build({ projectDir: root, targets, config, publish: 'never' });
  for (const file of artifacts) console.log(path.relative(root, file));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
