/**
 * `npm run cli -- <command>` (plain Node 24): `node out/main/cli.js <command>`. The
 * installed app runs the same program from its own binary (main/electron/index.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { productName, version } from '../../package.json';
import { defaultDataDir } from '../core/platform/data-dir';
import { runCliProcess } from './run';

const here = path.dirname(fileURLToPath(import.meta.url));
// Bundled into out/main/cli.js, beside the keychain's worker, which is a file of its own.
const keychainWorker = path.join(here, 'keychain-worker.mjs');

void runCliProcess(process.argv.slice(2), { dataDir: defaultDataDir(productName), keychainService: productName, appName: productName, version, keychainWorker }, (code) => process.exit(code));
