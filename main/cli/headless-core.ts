/**
 * The core as the command line and the MCP server run it: the same createCore the app
 * and the preview use, with no window — nothing to open links in, no clipboard — and
 * every question marked with where it came from, so the app's history can say so.
 */
import type { AskOrigin } from '../../preload/contract';
import { createCore, type Core } from '../core/core';
import type { Launch } from '../core/platform/keychain/index';
import { shellCommand } from '../core/platform/shell-word';
import { headlessPorts } from '../core/ports';
import type { CoreOptions } from '../core/services';

/**
 * Where the command line's core keeps its data and keys, as CoreOptions says; `launch` is
 * how this command was run, so a keychain message can say what to type again.
 */
export type CoreLocation = Pick<CoreOptions, 'dataDir' | 'keychainService' | 'appName' | 'version' | 'keychainWorker' | 'launch'>;

/**
 * This command as the user ran it: `invokedAs` (`gaia-desktop`, `npm run -s cli --`) and
 * the command's own words, quoted for a shell.
 */
export const cliLaunch = (invokedAs: readonly string[], args: readonly string[], checkout: boolean): Launch => ({
  how: 'cli',
  command: shellCommand([...invokedAs, ...args]),
  checkout,
});

export function startHeadlessCore(where: CoreLocation, origin: AskOrigin): Promise<Core> {
  const ports = headlessPorts('cli', { versions: { electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null } });
  // where.keychainWorker: the entry point (cli.js, or the installed app) names its built worker.
  return createCore({ ...where, ports, origin });
}
