/**
 * `npm run preview`: the real main-process core in Node, the real renderer in any
 * browser, for machines without a display or an Electron binary.
 *
 *   node out/main/preview.js [--port N] [--data-dir DIR] [--keychain-service NAME]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { productName, version } from '../../package.json';
import { createCore } from '../core/core';
import { defaultDataDir } from '../core/platform/data-dir';
import type { ShellPorts } from '../core/ports';
import { startPreviewServer } from './server';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5183' },
      'data-dir': { type: 'string' },
      'keychain-service': { type: 'string', default: productName },
      'renderer-dir': { type: 'string', default: path.join(here, '../renderer') },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);

  // The preview has no OS clipboard or browser of its own to drive; the page does those.
  const ports: ShellPorts = {
    shell: 'preview',
    versions: { electron: null, chrome: null },
    openExternal: async (url) => {
      process.stdout.write(`open in your browser: ${url}\n`);
    },
    writeClipboard: async () => false,
    clearClipboardIfUnchanged: async () => undefined,
    setOpenAtLogin: () => undefined,
  };

  const core = await createCore({
    dataDir: path.resolve(values['data-dir'] ?? defaultDataDir(productName)),
    keychainService: values['keychain-service'],
    keychainWorker: path.join(here, 'keychain-worker.mjs'),
    appName: productName,
    version,
    ports,
    echoLog: values.verbose,
  });
  const server = await startPreviewServer({ core, rendererDir: values['renderer-dir'], port });
  process.stdout.write(`Gaia Desktop preview is running.\nOpen: ${server.url}\nData: ${core.services.options.dataDir}\n`);

  const stop = async () => {
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`preview failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
