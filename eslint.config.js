// Lint, plus the house rules as errors: the renderer imports nothing of Node, Electron or
// main, and only types from the contract; main/core never imports electron or a shell, and
// its gaia/ and platform/ never import a feature folder; the preview never imports electron;
// the preload imports only electron and the contract.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const electronBan = [
  { name: 'electron', message: 'Only main/electron talks to Electron: main/core is plain Node (the shell hands it what it needs through ports.ts), and the preview runs without Electron.' },
  { name: 'electron-updater', message: 'Updates are the Electron shell\'s business (main/electron/updater.ts).' },
];
const shellBan = { group: ['**/electron/**', '**/preview/**', '**/renderer/**'], message: 'main/core knows neither shell nor the page: the shells call the core, never the other way round.' };
const featureBan = { group: ['**/app/**', '**/connections/**', '**/datasets/**', '**/ask/**', '**/keys/**'], message: 'gaia/ and platform/ serve the feature folders and never import from them: move what both need down here.' };
const restrict = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

/** The contract's types, yes; its values would build every zod schema at the renderer's start. */
const contractTypesOnly = [
  'error',
  {
    patterns: [
      {
        group: ['**/preload/contract', './contract'],
        allowTypeImports: true,
        message: 'The renderer (and what it bundles from preload/) takes types from the contract; names come from preload/names, GaiaError from preload/gaia-error (the schemas are main\'s to check).',
      },
    ],
  },
];

/** One entry per folder (flat config replaces a rule rather than merging it, so each entry carries the whole list). */
function mainLayers() {
  return [
    { files: ['main/core/**/*.ts'], rules: restrict(electronBan, [shellBan]) },
    { files: ['main/core/gaia/**/*.ts'], rules: restrict(electronBan, [shellBan, featureBan]) },
    {
      files: ['main/core/platform/**/*.ts'],
      rules: restrict(electronBan, [shellBan, featureBan, { group: ['**/gaia/**'], message: 'platform/ is below the Gaia client: it never imports it.' }]),
    },
    { files: ['main/preview/**/*.ts'], rules: restrict(electronBan, [{ group: ['**/electron/**'], message: 'The preview is plain Node: it shares the core with the Electron shell, not the shell itself.' }]) },
    { files: ['main/electron/**/*.ts'], rules: restrict([], [{ group: ['**/preview/**'], message: 'The Electron shell does not use the browser preview.' }]) },
  ];
}

export default tseslint.config(
  { ignores: ['out/**', '.tsbuild/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty-pattern': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeModules, 'electron'].map((name) => ({ name, message: 'The renderer knows nothing of Node or Electron: go through window.gaia.' })),
          patterns: [{ group: ['**/main/**', '../main/*', '../../main/*'], message: 'The renderer never imports from main/: use the contract.' }],
        },
      ],
      '@typescript-eslint/no-restricted-imports': contractTypesOnly,
    },
  },
  // main/: two shells over one core. The core knows neither shell; the shells know each other not.
  // Inside the core, gaia/ and platform/ serve the feature folders and never reach back into them.
  ...mainLayers(),
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: nodeModules.map((name) => ({ name, message: 'The sandboxed preload has no Node.' })), patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'The preload imports only electron and the contract.' }] },
      ],
    },
  },
  // What the renderer bundles from preload/ (and the preload itself) builds no schema either.
  { files: ['preload/bridge.ts', 'preload/names.ts', 'preload/gaia-error.ts', 'preload/index.ts'], rules: { '@typescript-eslint/no-restricted-imports': contractTypesOnly } },
);
