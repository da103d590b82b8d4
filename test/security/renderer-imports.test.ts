/**
 * No code the renderer can reach imports Node, Electron or main/. Independent of the
 * ESLint rule (which a config change or an eslint-disable comment could switch off):
 * this reads the files with the TypeScript compiler and follows local imports.
 *
 * The checker is first run on a fixture tree holding every forbidden form, each of
 * which it must report — so this test fails if the checker ever goes blind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/build-renderer';
import { scanRendererImports, type ImportViolation } from '../support/renderer-imports';

const show = (v: ImportViolation) => `  ${v.file}:${v.line} imports '${v.specifier}' — ${v.why}\n      via ${v.chain.join(' → ')}`;

describe('the renderer imports nothing of Node, Electron or main/', () => {
  it('holds for the real renderer, through every file it reaches', () => {
    const scan = scanRendererImports(ROOT);
    expect(scan.violations, `\n${scan.violations.map(show).join('\n')}`).toEqual([]);
    // The scan really walked: the renderer's entry, its features, and the shared bridge and contract it imports.
    expect(scan.files).toEqual(expect.arrayContaining(['renderer/main.tsx', 'renderer/api.ts', 'preload/bridge.ts', 'preload/contract.ts']));
    expect(scan.files.some((f) => f.startsWith('renderer/features/'))).toBe(true);
    // …and it never wandered into the Electron preload or main.
    expect(scan.files.filter((f) => f === 'preload/index.ts' || f.startsWith('main/'))).toEqual([]);
  });
});

describe('the import checker itself', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gaia-imports-fixture-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const files: Record<string, string> = {
    'package.json': JSON.stringify({ dependencies: { zod: '*', undici: '*', '@napi-rs/keyring': '*' } }),
    'main/secret.ts': 'export const secret = 1;\n',
    'main/core/worker.ts': 'export {};\n',
    'shared/util.ts': "import { execSync } from 'child_process';\nexport const run = execSync;\n",
    'shared/clean.ts': "export const clean = 1;\n",
    'renderer/ok.tsx': "import { z } from 'zod';\nimport { clean } from '../shared/clean';\nimport './styles.css';\nexport const ok = [z, clean];\n",
    'renderer/styles.css': 'body{}\n',
    'renderer/a-default.ts': "import fs from 'fs';\nexport default fs;\n",
    'renderer/b-node-prefix.ts': "import { readFile } from 'node:fs/promises';\nexport { readFile };\n",
    'renderer/c-type-only.ts': "import type { IpcRenderer } from 'electron';\nexport type X = IpcRenderer;\n",
    'renderer/d-reexport.ts': "export * from 'electron/renderer';\n",
    'renderer/e-dynamic.ts': "export const load = () => import('node:child_process');\n",
    'renderer/f-require.js': "const os = require('os');\nmodule.exports = os;\n",
    'renderer/g-import-equals.ts': "import p = require('path');\nexport const sep = p.sep;\n",
    'renderer/h-main.ts': "import { secret } from '../main/secret';\nexport { secret };\n",
    'renderer/i-main-dynamic.ts': "export const k = () => import('../main/secret.ts');\n",
    'renderer/j-computed.ts': "export const any = (name: string) => import(name);\n",
    'renderer/k-transitive.ts': "import { run } from '../shared/util';\nexport { run };\n",
    'renderer/l-node-only-package.ts': "import { fetch } from 'undici';\nexport { fetch };\n",
    'renderer/m-worker.ts': "export const w = new Worker(new URL('../main/core/worker.ts', import.meta.url));\n",
    'renderer/n-types.d.ts': '/// <reference types="node" />\n',
    'renderer/o-glob.ts': "export const all = import.meta.glob('../main/**/*.ts');\n",
    'renderer/p-window-require.ts': "export const e = (window as unknown as { require(m: string): unknown }).require('electron');\n",
    'renderer/q-scoped-electron.ts': "import { Fuses } from '@electron/fuses';\nexport { Fuses };\n",
    'renderer/r-typeof-import.ts': "export type Fs = typeof import('fs');\n",
    'renderer/s-subpath-builtin.ts': "import { setTimeout } from 'timers/promises';\nexport { setTimeout };\n",
    'renderer/t-keyring.ts': "export const k = import('@napi-rs/keyring');\n",
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }

  const scan = scanRendererImports(root);
  const reported = (file: string) => scan.violations.filter((v) => v.file === file);

  const expected: Array<[string, string]> = [
    ['renderer/a-default.ts', 'fs'],
    ['renderer/b-node-prefix.ts', 'node:fs/promises'],
    ['renderer/c-type-only.ts', 'electron'],
    ['renderer/d-reexport.ts', 'electron/renderer'],
    ['renderer/e-dynamic.ts', 'node:child_process'],
    ['renderer/f-require.js', 'os'],
    ['renderer/g-import-equals.ts', 'path'],
    ['renderer/h-main.ts', '../main/secret'],
    ['renderer/i-main-dynamic.ts', '../main/secret.ts'],
    ['renderer/j-computed.ts', '(computed)'],
    ['shared/util.ts', 'child_process'],
    ['renderer/l-node-only-package.ts', 'undici'],
    ['renderer/m-worker.ts', '../main/core/worker.ts'],
    ['renderer/n-types.d.ts', 'node'],
    ['renderer/o-glob.ts', '../main/**/*.ts'],
    ['renderer/p-window-require.ts', 'electron'],
    ['renderer/q-scoped-electron.ts', '@electron/fuses'],
    ['renderer/r-typeof-import.ts', 'fs'],
    ['renderer/s-subpath-builtin.ts', 'timers/promises'],
    ['renderer/t-keyring.ts', '@napi-rs/keyring'],
  ];
  for (const [file, specifier] of expected) {
    it(`reports ${file} (${specifier})`, () => {
      expect(reported(file).map((v) => v.specifier)).toContain(specifier);
    });
  }

  it('names the chain for a violation reached through another file', () => {
    expect(reported('shared/util.ts')[0]?.chain).toEqual(['renderer/k-transitive.ts', 'shared/util.ts']);
  });

  it('does not report what is allowed (an isomorphic package, a clean local file, a stylesheet)', () => {
    expect(reported('renderer/ok.tsx')).toEqual([]);
    expect(reported('shared/clean.ts')).toEqual([]);
    expect(scan.violations).toHaveLength(expected.length);
  });
});
