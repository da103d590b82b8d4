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
import type { Core, StartingCore } from '../core/core';
import type { CoreOptions } from '../core/services';
import { defaultDataDir } from '../core/platform/data-dir';
import { shellCommand } from '../core/platform/shell-word';
import { MAX_STREAMS, previewPorts, startPreviewServer } from './server';

const here = path.dirname(fileURLToPath(import.meta.url));
/** After the I/O that came in meanwhile has been handled (setImmediate runs after the poll phase). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** With no page, the core loads this long after the preview listens. */
const CORE_AT_LATEST_MS = 250;

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

  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir(productName));
  // Listen first, then load the core once index.html and every file it links have been sent
  // (first-load.ts), or at the first call if that comes sooner. Its steps (zod, the contract,
  // the core) are blocks of 20-130 ms on this thread: begun once index.html had been sent, the
  // contract step held the page's script requests, which come tens of milliseconds later, for
  // up to all of it. Begun after them, it runs while the browser parses and evaluates those
  // scripts. A call that comes before the core is up waits for it here. Without a page, it
  // loads CORE_AT_LATEST_MS after the address is printed (start-up problems are printed as
  // the core finds them, after it).
  let loadCore!: () => void;
  const starting: Promise<StartingCore> = new Promise<void>((resolve) => (loadCore = resolve)).then(async () => {
    // Its cheap part (the contract's checks, settings) loads now, in steps: zod, then the
    // contract zod builds (most of the time), then the core. Each holds this thread for
    // some milliseconds; between them a turn of the event loop answers what the page asked
    // meanwhile (its script files), which one block held until all three had loaded.
    await import('zod');
    await nextTurn();
    await import('../../preload/contract');
    await nextTurn();
    const { startCore } = await import('../core/core');
    // The heavier rest once the page has had its first answers (deferRest).
    return startCore(options, { deferRest: true });
  });
  const core: Pick<Core, 'dispatch' | 'onEvent'> = {
    dispatch: async (channel, request) => {
      loadCore();
      return (await starting).dispatch(channel, request);
    },
    onEvent(listener) {
      let off: (() => void) | null = null;
      let subscribed = true;
      void starting.then((c) => {
        if (subscribed) off = c.onEvent(listener);
      }, () => undefined);
      return () => {
        subscribed = false;
        off?.();
      };
    },
  };
  const options: CoreOptions = {
    dataDir,
    keychainService: values['keychain-service'],
    keychainWorker: path.join(here, 'keychain-worker.mjs'),
    appName: productName,
    version,
    ports: previewPorts((line) => process.stdout.write(`${line}\n`)),
    // With the user's own options (--data-dir, --port, …), so the suggested command starts this same preview.
    launch: { how: 'preview', command: shellCommand(['npm', 'run', 'preview', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])]) },
    echoLog: values.verbose,
    // The snippet in Settings → Local assistants starts this checkout's command line, over this data.
    launcher: { command: process.execPath, args: [path.join(here, 'cli.js'), ...(values['data-dir'] ? ['--data-dir', path.resolve(values['data-dir'])] : []), ...(values['keychain-service'] !== productName ? ['--keychain-service', values['keychain-service']] : [])] },
  };
  // A page that is loading says when (its files sent); the clock only when none comes (loadCore runs once).
  const server = await startPreviewServer({
    core,
    rendererDir: values['renderer-dir'],
    port,
    firstLoad: { filesSent: loadCore },
    onStreamsFull: () =>
      process.stdout.write(
        `A tab was refused live updates: ${MAX_STREAMS} event streams are open already (other tabs of this preview, or a program that has its address). Close other tabs; if none are yours, stop the preview and start it again (a new run has a new address).\n`,
      ),
  });
  process.stdout.write(`Gaia Desktop preview is running.\nOpen: ${server.url}\nData: ${dataDir}\n`);
  const atLatest = setTimeout(loadCore, CORE_AT_LATEST_MS);
  const ready = await (await starting).ready;
  clearTimeout(atLatest);

  const stop = async () => {
    await server.close();
    await ready.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`preview failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
