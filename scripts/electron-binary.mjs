/**
 * Finds the Electron binary without triggering electron's lazy download (requiring the
 * `electron` package would try to fetch it). Answers the path, or why there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {{ path: string } | { why: string }} */
export function findElectron() {
  const explicit = process.env.GAIA_ELECTRON;
  if (explicit) return existsSync(explicit) ? { path: explicit } : { why: `GAIA_ELECTRON points at ${explicit}, which does not exist` };
  const pkg = path.join(root, 'node_modules/electron');
  if (!existsSync(pkg)) return { why: 'the electron package is not installed (run npm install)' };
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { why: 'Electron’s binary is not downloaded yet' };
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkg, 'dist');
  const binary = path.join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { why: `the Electron binary is missing at ${binary}` };
}
