/**
 * `npm run cli -- <command>` (plain Node 24): `node out/main/cli.js <command>`. The
 * installed app runs the same program from its own binary (main/index.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { productName, version } from '../../package.json';
import { defaultDataDir } from '../core/platform/data-dir';
import { cliLaunch } from './headless-core';
import { runCliProcess } from './run';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
// `npm run cli` sets npm_lifecycle_event; run directly, the script is named as it was given.
const invokedAs = process.env.npm_lifecycle_event === 'cli' ? ['npm', 'run', '-s', 'cli', '--'] : ['node', path.relative(process.cwd(), process.argv[1]) || process.argv[1]];
void runCliProcess(args, { dataDir: defaultDataDir(productName), keychainService: productName, appName: productName, version, keychainWorker: path.join(here, 'keychain-worker.mjs'), launch: cliLaunch(invokedAs, args, true) }, (code) => process.exit(code));
