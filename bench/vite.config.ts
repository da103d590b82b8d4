/**
 * The app's own Vite config (../vite.config.ts), building into a private folder so a
 * benchmark never serves files that a concurrent `npm test` or `npm start` is rebuilding
 * in out/. Nothing else differs: same plugins, same environments, same minification —
 * but for two more entries in main, bench-core.js (lib/shipped-core.ts) and bench-bare.js
 * (lib/bare.ts): the core and the bare client that the in-process rows run, built as the
 * app's main is.
 */
import path from 'node:path';
import type { UserConfig } from 'vite';
import base from '../vite.config.ts';

/** GAIA_BENCH_OUT moves it (helpers share node_modules, and so this folder). */
export const BENCH_OUT = path.resolve(process.env.GAIA_BENCH_OUT ?? 'node_modules/.cache/gaia-bench/out');

const config = base as UserConfig;
const env = config.environments ?? {};
const outDir = (name: string) => path.join(BENCH_OUT, name);
const mainRollup = env.main?.build?.rollupOptions;

export default {
  ...config,
  build: { ...config.build, outDir: outDir('renderer') },
  environments: {
    client: { ...env.client, build: { ...env.client?.build, outDir: outDir('renderer') } },
    main: {
      ...env.main,
      build: {
        ...env.main?.build,
        outDir: outDir('main'),
        rollupOptions: {
          ...mainRollup,
          input: {
            ...(mainRollup?.input as Record<string, string>),
            'bench-core': path.resolve(import.meta.dirname, 'lib/shipped-core.ts'),
            'bench-bare': path.resolve(import.meta.dirname, 'lib/bare.ts'),
          },
        },
      },
    },
    preload: { ...env.preload, build: { ...env.preload?.build, outDir: outDir('preload') } },
  },
} satisfies UserConfig;
