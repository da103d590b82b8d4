/**
 * Runs Electronegativity (@doyensec/electronegativity) over one folder and writes its
 * findings as JSON. Used by test/security/electronegativity.test.ts, in a child
 * process of its own because the tool registers globals (`__`), patches console.log and
 * leaves timers behind.
 *
 *   node test/support/run-electronegativity.mjs <folder> <out.json> [ExcludedCheck,...]
 *
 * The tool would fetch translations from S3 and Electron's release list from GitHub;
 * tests never touch the network, so its HTTP client (got) is replaced by one that
 * refuses at once. The checks that need the release list are excluded by the caller.
 */
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';

const [input, output, excluded = ''] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: run-electronegativity.mjs <folder> <out.json> [ExcludedCheck,...]');
  process.exit(2);
}

const toolRequire = createRequire(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'));
const gotFile = toolRequire.resolve('got');
const refuse = () => Promise.reject(new Error('no network in tests'));
const offline = Object.assign(refuse, { head: refuse, get: refuse, post: refuse, __esModule: true });
offline.default = offline;
const stub = new Module(gotFile);
stub.filename = gotFile;
stub.loaded = true;
stub.exports = offline;
toolRequire.cache[gotFile] = stub;

const loaded = toolRequire('@doyensec/electronegativity');
const run = loaded.default ?? loaded;

run({
  input,
  isRelative: true,
  excludeFromScan: excluded ? excluded.split(',') : [],
})
  .then((result) => {
    const issues = result.issues.map((issue) => ({
      id: issue.id,
      file: issue.file,
      line: issue.location?.line ?? 0,
      column: issue.location?.column ?? 0,
      sample: issue.sample ?? '',
      description: issue.description,
      severity: issue.severity?.name ?? '',
      confidence: issue.confidence?.name ?? '',
      manualReview: Boolean(issue.manualReview),
    }));
    fs.writeFileSync(output, JSON.stringify({ globalChecks: result.globalChecks, atomicChecks: result.atomicChecks, errors: result.errors, issues }, null, 2));
    // The tool leaves timers running; the answer is written, so stop here.
    process.exit(0);
  })
  .catch((err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exit(1);
  });
