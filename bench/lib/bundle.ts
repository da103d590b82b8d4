/** Bundles a browser entry of bench/browser/ into one IIFE string (esbuild, as shipped code would be: minified). */
import { build } from 'esbuild';
import path from 'node:path';
import { ROOT } from './paths';

export async function bundleBrowserEntry(name: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(ROOT, 'bench/browser', name)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
