/**
 * What the renderer can reach: every module specifier in every file under renderer/,
 * followed through local files (so a helper in preload/ or elsewhere that pulls in Node
 * counts too), read with the TypeScript compiler API rather than a regular expression.
 *
 * Forms it reads: import / import type / export … from, import x = require(),
 * import('…') and typeof import('…') types, require('…') and anything.require('…'),
 * new URL('…', import.meta.url) (workers, assets), import.meta.glob('…'), and
 * /// <reference types="…" />. A specifier it cannot read (a computed import()) is a
 * violation too: what cannot be checked cannot be allowed.
 *
 * Refused: Node's built-in modules (with or without node:), electron and everything
 * under it (@electron/*, original-fs), main's Node-only runtime packages, and any file
 * under main/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export interface ImportViolation {
  /** The file holding the import, relative to the root. */
  file: string;
  line: number;
  specifier: string;
  why: string;
  /** How the renderer reached that file: renderer/a.ts → preload/b.ts → … */
  chain: string[];
}

export interface ImportScan {
  violations: ImportViolation[];
  /** Every local file the scan read, relative to the root. */
  files: string[];
}

/** Runtime packages of main that work in a browser too; the rest of package.json's `dependencies` are Node-only. */
export const ISOMORPHIC_DEPENDENCIES = ['zod', 'eventsource-parser'];

const CODE = /\.(?:[cm]?[jt]sx?)$/;

function listCode(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listCode(full));
    else if (CODE.test(name)) out.push(full);
  }
  return out;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

interface Reference {
  specifier: string | null;
  node: ts.Node;
  kind: 'module' | 'url' | 'glob' | 'types';
}

const stringOf = (node: ts.Node | undefined): string | null =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;

function referencesIn(source: ts.SourceFile): Reference[] {
  const refs: Reference[] = [];
  for (const ref of source.typeReferenceDirectives) refs.push({ specifier: ref.fileName, node: source, kind: 'types' });
  for (const ref of source.referencedFiles) refs.push({ specifier: ref.fileName, node: source, kind: 'url' });
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      refs.push({ specifier: stringOf(node.moduleSpecifier), node, kind: 'module' });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      refs.push({ specifier: stringOf(node.moduleReference.expression), node, kind: 'module' });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      refs.push({ specifier: stringOf(node.argument.literal), node, kind: 'module' });
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const first = node.arguments[0];
      if (callee.kind === ts.SyntaxKind.ImportKeyword) {
        refs.push({ specifier: stringOf(first), node, kind: 'module' });
      } else if (
        (ts.isIdentifier(callee) && callee.text === 'require') ||
        (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'require' || (ts.isIdentifier(callee.expression) && callee.expression.text === 'require')))
      ) {
        refs.push({ specifier: stringOf(first), node, kind: 'module' });
      } else if (
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'glob' &&
        ts.isMetaProperty(callee.expression) &&
        callee.expression.keywordToken === ts.SyntaxKind.ImportKeyword
      ) {
        const patterns = first && ts.isArrayLiteralExpression(first) ? [...first.elements] : [first];
        for (const p of patterns) refs.push({ specifier: stringOf(p), node, kind: 'glob' });
      }
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.length === 2) {
      const base = node.arguments[1];
      if (ts.isPropertyAccessExpression(base) && ts.isMetaProperty(base.expression) && base.name.text === 'url') {
        refs.push({ specifier: stringOf(node.arguments[0]), node, kind: 'url' });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

export function compilerOptionsFor(root: string): ts.CompilerOptions {
  const configFile = path.join(root, 'tsconfig.json');
  if (!existsSync(configFile)) return { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, allowImportingTsExtensions: true, noEmit: true, jsx: ts.JsxEmit.ReactJSX };
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, root).options;
}

/**
 * Scans everything reachable from `<root>/renderer`. `nodeOnlyPackages` defaults to
 * package.json's dependencies minus ISOMORPHIC_DEPENDENCIES.
 */
export function scanRendererImports(root: string, nodeOnlyPackages?: string[]): ImportScan {
  const rendererDir = path.join(root, 'renderer');
  const mainDir = path.join(root, 'main');
  const options = compilerOptionsFor(root);
  const pkgFile = path.join(root, 'package.json');
  const deps = existsSync(pkgFile) ? Object.keys((JSON.parse(readFileSync(pkgFile, 'utf8')) as { dependencies?: object }).dependencies ?? {}) : [];
  const nodeOnly = new Set(nodeOnlyPackages ?? deps.filter((d) => !ISOMORPHIC_DEPENDENCIES.includes(d)));
  const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);

  const violations: ImportViolation[] = [];
  const chains = new Map<string, string[]>();
  const queue: string[] = [];
  for (const file of listCode(rendererDir)) {
    chains.set(file, [rel(file)]);
    queue.push(file);
  }

  while (queue.length > 0) {
    const file = queue.shift()!;
    const chain = chains.get(file)!;
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, scriptKind(file));
    for (const ref of referencesIn(source)) {
      const line = source.getLineAndCharacterOfPosition(ref.node.getStart(source)).line + 1;
      const refuse = (why: string) => violations.push({ file: rel(file), line, specifier: ref.specifier ?? '(computed)', why, chain });
      if (ref.specifier === null) {
        refuse('the specifier is computed, so what it loads cannot be checked');
        continue;
      }
      const specifier = ref.specifier.replace(/[?#].*$/, '');
      if (ref.kind === 'types') {
        if (isBuiltin(specifier) || specifier === 'node' || /^(@types\/)?(node|electron)(\/|$)/.test(specifier)) refuse('pulls Node or Electron types into the renderer');
        continue;
      }
      if (specifier.startsWith('node:') || isBuiltin(specifier) || specifier === 'original-fs') {
        refuse("a Node built-in module: the renderer has no Node");
        continue;
      }
      if (/^(electron|@electron\/[^/]+)(\/|$)/.test(specifier)) {
        refuse('Electron: the renderer reaches main only through window.gaia');
        continue;
      }
      const isPath = specifier.startsWith('.') || path.isAbsolute(specifier);
      if (!isPath) {
        if (nodeOnly.has(packageName(specifier))) refuse(`${packageName(specifier)} is one of main's Node-only packages`);
        continue;
      }
      const target = path.resolve(path.dirname(file), specifier);
      if (ref.kind === 'glob') {
        const fixed = target.split(/[*{[]/)[0];
        if (inside(fixed, mainDir) || inside(mainDir, fixed.replace(/[\\/]+$/, ''))) refuse('a glob that reaches into main/');
        continue;
      }
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule?.resolvedFileName;
      const found = resolved ? path.resolve(resolved) : target;
      if (inside(found, mainDir) || inside(target, mainDir)) {
        refuse('a file under main/: the renderer uses the contract, never main’s code');
        continue;
      }
      if (found.split(path.sep).includes('node_modules')) continue;
      if (CODE.test(found) && existsSync(found) && !chains.has(found)) {
        chains.set(found, [...chain, rel(found)]);
        queue.push(found);
      }
    }
  }
  return { violations, files: [...chains.keys()].map(rel).sort() };
}
