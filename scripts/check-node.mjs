// Runs first in every npm script, so an older Node stops with one line instead of failing
// later and obscurely (Electron 45's main process is Node 24, so the tests run on it).
// Plain syntax on purpose: this file has to parse on the old Node it is warning about.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one line to print when `version` (e.g. "v20.11.0") is older than `range` (">=24.0.0"), else null. */
export function nodeProblem(version, range) {
  const want = Number(/(\d+)/.exec(range)[1]);
  const have = Number(/^v?(\d+)/.exec(version)[1]);
  if (have >= want) return null;
  return (
    'Gaia Desktop needs Node ' + want + ' or newer, and this is Node ' + version + ': install Node ' + want + ' from https://nodejs.org ' +
    '(or run `npm install --prefix ~/.cache/gaia-desktop/node' + want + ' node@' + want + '` and put its node_modules/.bin first on PATH), then run the command again.'
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const problem = nodeProblem(process.version, pkg.engines.node);
  if (problem) {
    process.stderr.write(problem + '\n');
    process.exit(1);
  }
}
