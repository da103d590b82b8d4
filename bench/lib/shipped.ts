/**
 * Loads what `npm run bench` built into BENCH_OUT/main for the in-process rows:
 * bench-core.js (shipped-core.ts: the core as shipped) and bench-bare.js (bare.ts: the
 * floor), both plain built JavaScript, so neither side is measured through tsx.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_OUT } from './paths.ts';

export const SHIPPED_DIR = path.join(BENCH_OUT, 'main');

function load<T>(name: string): Promise<T> {
  const file = path.join(SHIPPED_DIR, name);
  if (!existsSync(file)) return Promise.reject(new Error(`${file} is missing: run the bench through npm run bench, which builds it`));
  return import(pathToFileURL(file).href) as Promise<T>;
}

export const shippedCore = () => load<typeof import('./shipped-core')>('bench-core.js');
export const shippedBare = () => load<typeof import('./bare')>('bench-bare.js');
