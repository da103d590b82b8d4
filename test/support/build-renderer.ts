/**
 * Builds the renderer exactly as `npm run build` does (the same vite.config.ts, its CSP
 * plugin included), into a temporary folder, so the security tests check what ships
 * without depending on — or disturbing — the shared out/ folder.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBuilder } from 'vite';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function buildRenderer(): Promise<string> {
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'gaia-renderer-')), 'renderer');
  const builder = await createBuilder(
    {
      configFile: path.join(ROOT, 'vite.config.ts'),
      logLevel: 'error',
      environments: { client: { build: { outDir, emptyOutDir: true } } },
    },
    null,
  );
  try {
    await builder.build(builder.environments.client);
  } catch (err) {
    throw new Error(`The renderer does not build, so what ships cannot be checked: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return outDir;
}
