/**
 * The core as the command line and the MCP server run it: the same createCore the app
 * and the preview use, with no window — nothing to open links in, no clipboard — and
 * every question marked with where it came from, so the app's history can say so.
 */
import type { AskOrigin } from '../../preload/contract';
import { createCore, type Core } from '../core/core';
import type { ShellPorts } from '../core/ports';

export interface CoreLocation {
  dataDir: string;
  keychainService: string;
  appName: string;
  version: string;
  /** The built keychain worker (out/main/keychain-worker.mjs) when running from a bundle; from source, worker.ts. */
  keychainWorker?: string;
}

export function startHeadlessCore(where: CoreLocation, origin: AskOrigin): Promise<Core> {
  const ports: ShellPorts = {
    shell: 'cli',
    versions: { electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
    openExternal: async () => undefined,
    writeClipboard: async () => false,
    clearClipboardIfUnchanged: async () => undefined,
    setOpenAtLogin: () => undefined,
  };
  return createCore({ ...where, ports, origin });
}
