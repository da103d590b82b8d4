/**
 * `npm run cli -- <command>` (plain Node 24): `node out/main/cli.js <command>`. The
 * installed app runs the same program from its own binary (main/index.ts).
 */
import { productName, version } from '../../package.json';
import { defaultDataDir } from '../core/platform/data-dir';
import { runCliProcess } from './run';

void runCliProcess(process.argv.slice(2), { dataDir: defaultDataDir(productName), keychainService: productName, appName: productName, version }, (code) => process.exit(code));
