/**
 * The one thing the page reads from its own storage before React: the theme remembered from
 * the last run (renderer/theme-early.ts, a classic script in index.html's <head>). Storage is
 * the page's to write, so whatever a hostile page or a tampered profile left there — markup,
 * attribute breakers, prototype names, megabytes, a storage that throws — must set nothing
 * but one of the three themes on <html>, touch nothing else of the document, and never stop
 * the start. Checked on the built script, as it ships.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../support/build-renderer';

let built = '';
let script = '';
beforeAll(async () => {
  built = await buildRenderer();
  script = readFileSync(path.join(built, 'assets/theme-early.js'), 'utf8');
}, 120_000);
afterAll(() => {
  if (built) rmSync(path.dirname(built), { recursive: true, force: true });
});

interface Run {
  error: unknown;
  /** Every property of the document, <html> or its dataset the script read or wrote, beyond the theme's one attribute. */
  touched: string[];
  theme: unknown;
}

/** Runs the built script in a page whose storage answers `stored` (or throws). */
function runWith(storage: { value?: unknown; getItemThrows?: boolean; storageThrows?: boolean }): Run {
  const touched: string[] = [];
  const dataset: Record<string, unknown> = {};
  const watchedDataset = new Proxy(dataset, {
    set: (t, k, v) => ((t[String(k)] = v), k === 'theme' || touched.push(`dataset.${String(k)}=`), true),
    deleteProperty: (t, k) => (delete t[String(k)], k === 'theme' || touched.push(`delete dataset.${String(k)}`), true),
    get: (t, k) => (k === 'theme' || touched.push(`dataset.${String(k)}`), t[String(k)]),
  });
  const html = new Proxy({} as Record<string, unknown>, {
    get: (_t, k) => (k === 'dataset' ? watchedDataset : (touched.push(`html.${String(k)}`), undefined)),
    set: (_t, k) => (touched.push(`html.${String(k)}=`), true),
  });
  const document = new Proxy({} as Record<string, unknown>, {
    get: (_t, k) => (k === 'documentElement' ? html : (touched.push(`document.${String(k)}`), undefined)),
    set: (_t, k) => (touched.push(`document.${String(k)}=`), true),
  });
  const localStorage = {
    getItem: () => {
      if (storage.getItemThrows) throw new Error('SecurityError: storage is off');
      return storage.value ?? null;
    },
    setItem: () => touched.push('localStorage.setItem'),
  };
  const context: Record<string, unknown> = { document };
  Object.defineProperty(context, 'localStorage', {
    get: () => {
      if (storage.storageThrows) throw new Error('SecurityError: access denied');
      return localStorage;
    },
  });
  let error: unknown = null;
  try {
    vm.runInNewContext(script, context, { timeout: 5000 });
  } catch (err) {
    error = err;
  }
  return { error, touched, theme: dataset.theme };
}

describe('theme-early.ts against what storage may hold', () => {
  it('applies a remembered light or dark theme, and nothing for system', () => {
    expect(runWith({ value: 'dark' })).toEqual({ error: null, touched: [], theme: 'dark' });
    expect(runWith({ value: 'light' })).toEqual({ error: null, touched: [], theme: 'light' });
    expect(runWith({ value: 'system' })).toEqual({ error: null, touched: [], theme: undefined });
  });

  it.each([
    ['markup', '<img src=x onerror=alert(1)>'],
    ['a script', '</script><script>alert(1)</script>'],
    ['an attribute breaker', 'dark" onload="alert(1)'],
    ['a CSS breaker', 'dark]; * { background: url(//attacker.example/x) }'],
    ['a near miss', 'Dark'],
    ['padding', ' dark '],
    ['a prototype name', '__proto__'],
    ['another', 'constructor'],
    ['a function name', 'toString'],
    ['JSON', '{"theme":"dark"}'],
    ['nothing', ''],
    ['a NUL', 'dark\u0000'],
    ['10 MB', 'dark'.repeat(2_500_000)],
  ])('sets nothing and stops nothing for %s', (_name, value) => {
    expect(runWith({ value })).toEqual({ error: null, touched: [], theme: undefined });
  });

  it('starts as usual when storage throws, or is not there at all', () => {
    expect(runWith({ getItemThrows: true })).toEqual({ error: null, touched: [], theme: undefined });
    expect(runWith({ storageThrows: true })).toEqual({ error: null, touched: [], theme: undefined });
  });
});
