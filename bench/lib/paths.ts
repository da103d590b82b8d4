import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
/** Where `npm run bench` builds the app (bench/vite.config.ts; GAIA_BENCH_OUT moves it). */
export const BENCH_OUT = path.resolve(ROOT, process.env.GAIA_BENCH_OUT ?? 'node_modules/.cache/gaia-bench/out');
export const PREVIEW_ENTRY = path.join(BENCH_OUT, 'main/preview.js');
export const RENDERER_DIR = path.join(BENCH_OUT, 'renderer');
export const CHROMIUM = process.env.GAIA_CHROMIUM ?? '/usr/bin/chromium';
/** The flags playwright.config.ts gives Chromium (no network on these machines). */
export const CHROMIUM_ARGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
