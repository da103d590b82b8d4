/**
 * One build for all three parts, with plain Vite's environments (`vite build --app`):
 *   - renderer: the React app (client environment);
 *   - main: the Electron shell, the preview server and the keychain's worker thread, for
 *     Node (dependencies stay external and ship in node_modules);
 *   - preload: one CommonJS file with its dependencies bundled, because a sandboxed
 *     preload can require nothing but electron.
 * No Electron-specific build plugin is needed, so nothing here tries to start Electron.
 */
import { builtinModules } from 'node:module';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path, { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import react from '@vitejs/plugin-react';
import { build as esbuild } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './main/core/platform/csp.ts';
import pkg from './package.json' with { type: 'json' };

/** Writes the one CSP into index.html, so the page is protected even before headers apply. */
const cspMeta = (): Plugin => ({
  name: 'gaia-csp-meta',
  transformIndexHtml: (html) =>
    html.replace(
      '<meta charset="UTF-8" />',
      // frame-ancestors only works as a header (which both shells send); in a meta tag it is ignored with a warning.
      `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replace(/; frame-ancestors [^;]+/, '')}" />`,
    ),
});

/**
 * V8's compile hint for the chunks the first screen runs (the entry and React): nearly every
 * function in them is called before the first frame, and with the hint V8 compiles them on
 * the thread that streams the script in, instead of one by one on the page's thread the
 * first time each is called (most of React's first render). A magic comment, so it must be
 * the file's first line: added once the chunk is final.
 */
const compileHints = (): Plugin => ({
  name: 'gaia-compile-hints',
  applyToEnvironment: (env) => env.name === 'client',
  generateBundle: {
    // After Vite's own additions to the entry (its preload map goes on top).
    order: 'post',
    handler(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && (chunk.isEntry || chunk.name === 'react')) chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
      }
    },
  },
});

const ESBUILD_COMMON = { bundle: true, write: false, jsx: 'automatic', define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent' } as const;

/** One renderer file and what it imports, as one classic script for the page. */
async function bundleForPage(entry: string): Promise<string> {
  const out = await esbuild({ ...ESBUILD_COMMON, entryPoints: [resolve(entry)], format: 'iife', platform: 'browser', target: 'chrome120', minify: true });
  return out.outputFiles[0].text;
}

/**
 * Imports a renderer file in this (Node) process, its packages taken from node_modules as
 * Node loads them (react-dom/server's Node build: its browser build schedules with a
 * MessageChannel, which kept the build from exiting). Written next to node_modules for a
 * moment so those imports resolve; a name of this process's own, as node_modules is shared.
 */
async function importInNode<T>(entry: string): Promise<T> {
  const out = await esbuild({ ...ESBUILD_COMMON, entryPoints: [resolve(entry)], format: 'esm', platform: 'node', target: 'node24', packages: 'external' });
  const file = resolve(`node_modules/.cache/gaia-build-${process.pid}-${path.basename(entry)}.mjs`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, out.outputFiles[0].contents);
  try {
    return (await import(pathToFileURL(file).href)) as T;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Replaces `marker` in the page, once; a page without it is a build error, not a page without the step. */
function insertAt(html: string, marker: string, text: string): string {
  if (!html.includes(marker)) throw new Error(`index.html has no ${marker}`);
  return html.replace(marker, text);
}

/**
 * The app shell's static copy (renderer/static-shell.tsx) rendered into <div id="root">, so
 * the first frame shows the rail and its Version label before any script has run. Rendered
 * from the live shell's own components with react-dom/server, here, at build time.
 */
const staticShell = (): Plugin => ({
  name: 'gaia-static-shell',
  apply: 'build',
  async transformIndexHtml(html) {
    const { staticShellMarkup } = await importInNode<typeof import('./renderer/static-shell.tsx')>('renderer/static-shell.tsx');
    return insertAt(html, '<div id="root"></div>', `<div id="root">${staticShellMarkup({ name: pkg.productName, version: pkg.version })}</div>`);
  },
});

/** Where renderer/theme-early.ts lands (assets/, like every script the page loads). */
const THEME_EARLY_FILE = 'assets/theme-early.js';

/**
 * renderer/theme-early.ts as a classic script in <head>, before the style sheet and the
 * app's module, so the theme remembered from the last run is set before the first paint.
 * A file of the page's own origin, so `script-src 'self'` allows it (no inline script).
 */
const themeEarly = (): Plugin => ({
  name: 'gaia-theme-early',
  apply: 'build',
  applyToEnvironment: (env) => env.name === 'client',
  async generateBundle() {
    this.emitFile({ type: 'asset', fileName: THEME_EARLY_FILE, source: await bundleForPage('renderer/theme-early.ts') });
  },
  transformIndexHtml: (html) => insertAt(html, '<title>', `<script src="./${THEME_EARLY_FILE}"></script>\n    <title>`),
});

const nodeBuiltins = ['electron', /^electron\//, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig({
  root: resolve('renderer'),
  base: './',
  plugins: [react(), cspMeta(), staticShell(), themeEarly(), compileHints()],
  // What the static shell's Version label says, for the live rail until app.info answers, so the label never blinks out.
  define: { __GAIA_BUILD__: JSON.stringify({ name: pkg.productName, version: pkg.version }) },
  // Only the renderer imports it (through Radix); see the file for why.
  resolve: { alias: { 'react-style-singleton': resolve('renderer/shims/react-style-singleton.ts') } },
  build: { outDir: resolve('out/renderer'), emptyOutDir: true, sourcemap: false },
  environments: {
    client: {
      build: {
        outDir: resolve('out/renderer'),
        rollupOptions: { input: resolve('renderer/index.html') },
        rolldownOptions: {
          // React and the Markdown pipeline get chunks of their own (each under Vite's 500 kB
          // warning). Other libraries go with the code that uses them: one eager "vendor" chunk
          // made every page's libraries (the palette's, the table's) part of the first screen.
          output: {
            codeSplitting: {
              groups: [
                { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
                {
                  name: 'markdown',
                  test: /node_modules[\\/](react-markdown|remark-[^\\/]+|rehype-[^\\/]+|micromark[^\\/]*|mdast-[^\\/]+|hast-[^\\/]+|unist-[^\\/]+|unified|vfile[^\\/]*|property-information|decode-named-character-reference|character-entities[^\\/]*|markdown-table|zwitch|longest-streak|ccount|devlop|bail|trough|is-plain-obj|comma-separated-tokens|space-separated-tokens|html-url-attributes|estree-util-[^\\/]+|style-to-[^\\/]+|inline-style-parser|trim-lines|escape-string-regexp)[\\/]/,
                  priority: 20,
                },
              ],
            },
          },
        },
      },
    },
    main: {
      consumer: 'server',
      // zod is bundled: as a package it is ~100 files for Node's loader to read one by one,
      // and the contract's checks are the first thing the preview's core loads at start.
      resolve: { noExternal: ['zod'] },
      build: {
        outDir: resolve('out/main'),
        emptyOutDir: true,
        ssr: true,
        target: 'node24',
        sourcemap: false,
        rollupOptions: {
          input: {
            index: resolve('main/electron/index.ts'),
            preview: resolve('main/preview/index.ts'),
            cli: resolve('main/cli/index.ts'),
            // The keychain's worker thread is started from a file of its own; .mjs, so it is ESM wherever it lands.
            'keychain-worker': resolve('main/core/platform/keychain/worker.ts'),
          },
          output: {
            format: 'es',
            entryFileNames: (chunk) => (chunk.name === 'keychain-worker' ? '[name].mjs' : '[name].js'),
            chunkFileNames: 'chunks/[name]-[hash].js',
            // zod and the contract are chunks of their own, so the preview can load its core in
            // steps (main/preview/index.ts) and answer the page's requests between them.
            codeSplitting: {
              groups: [
                { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 20 },
                { name: 'contract', test: /preload[\\/](contract|names)\.ts$/, priority: 10 },
              ],
            },
          },
        },
      },
    },
    preload: {
      consumer: 'server',
      resolve: { noExternal: true, external: ['electron'] },
      build: {
        outDir: resolve('out/preload'),
        emptyOutDir: true,
        ssr: true,
        target: 'chrome140',
        sourcemap: false,
        rollupOptions: {
          input: { index: resolve('preload/index.ts') },
          external: nodeBuiltins,
          output: { format: 'cjs', entryFileNames: '[name].cjs' },
        },
      },
    },
  },
  builder: {},
});
