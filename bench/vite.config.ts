/**
 * The app's own Vite config (../vite.config.ts), building into a private folder so a
 * benchmark never serves files that a concurrent `npm test` or `npm start` is rebuilding
 * in out/. Nothing else differs: same plugins, same environments, same minification.
 */
import path from 'node:path';
import type { UserConfig } from 'vite';
import base from '../vite.config.ts';

/** GAIA_BENCH_OUT moves it (helpers share node_modules, and so this folder). */
export const BENCH_OUT = path.resolve(process.env.GAIA_BENCH_OUT ?? 'node_modules/.cache/gaia-bench/out');

const config = base as UserConfig;
const env = config.environments ?? {};
const outDir = (name: string) => path.join(BENCH_OUT, name);

export default {
  ...config,
  build: { ...config.build, outDir: outDir('renderer') },
  environments: {
    client: { ...env.client, build: { ...env.client?.build, outDir: outDir('renderer') } },
    main: { ...env.main, build: { ...env.main?.build, outDir: outDir('main') } },
    preload: { ...env.preload, build: { ...env.preload?.build, outDir: outDir('preload') } },
  },
} satisfies UserConfig;
