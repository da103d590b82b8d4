/**
 * electron-builder afterPack hook: refuses a package whose OS keyring binding is missing.
 *
 * @napi-rs/keyring loads a prebuilt binary from a per-platform optional package, and npm
 * installs only the one for the machine it runs on. Building, say, the x64 macOS app on an
 * arm64 Mac would otherwise produce an app that starts but cannot read or save any API key.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

// electron-builder's Arch enum, by value.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** The optional package that carries the keyring binding for one target. */
export function keyringPackageFor(platform, arch) {
  if (platform === 'darwin' || platform === 'mas') return [`@napi-rs/keyring-darwin-${arch}`];
  if (platform === 'win32') return [`@napi-rs/keyring-win32-${arch}-msvc`];
  if (platform === 'linux') return [`@napi-rs/keyring-linux-${arch === 'armv7l' ? 'arm' : arch}-${arch === 'armv7l' ? 'gnueabihf' : 'gnu'}`];
  return [];
}

/** Where the packaged app's resources are, for a target's output folder. */
function resourcesDir(context) {
  if (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') {
    const app = readdirSync(context.appOutDir).find((name) => name.endsWith('.app'));
    return path.join(context.appOutDir, app ?? '', 'Contents', 'Resources');
  }
  return path.join(context.appOutDir, 'resources');
}

export default async function afterPack(context) {
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  // A universal macOS app is merged from the x64 and arm64 builds, each already checked.
  if (arch === 'universal') return;
  const unpacked = path.join(resourcesDir(context), 'app.asar.unpacked', 'node_modules');
  for (const pkg of keyringPackageFor(context.electronPlatformName, arch)) {
    const dir = path.join(unpacked, pkg);
    const hasBinary = existsSync(dir) && readdirSync(dir).some((name) => name.endsWith('.node'));
    if (!hasBinary) {
      throw new Error(
        [
          `The ${context.electronPlatformName}-${arch} package has no OS keyring binding (${pkg}): the app could not store API keys.`,
          `npm installs only this machine's binding. Build on a ${context.electronPlatformName}-${arch} machine, or add the binding first:`,
          `  npm install --no-save --force ${pkg}@$(node -p "require('@napi-rs/keyring/package.json').version")`,
        ].join('\n'),
      );
    }
  }
}
