/**
 * `npm test`: every check, in order — build, typecheck, lint, static security checks,
 * unit and integration tests (Vitest), browser end-to-end tests (Playwright + Debian
 * Chromium via the preview), the _electron suite — and one closing line
 * `N passed, N failed, N skipped` over all of them.
 *
 * On Linux the whole run happens inside a private D-Bus session with its own unlocked
 * gnome-keyring in a temporary folder, so keychain tests use a real keychain and never
 * the user's own; on macOS and Windows they use the OS keychain under throwaway names.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

// Linux only: macOS and Windows runs use the OS's own keychain, under throwaway service names.
if (process.platform === 'linux' && process.env.GAIA_TEST_KEYRING !== '1') {
  if (!has('dbus-run-session') || !has('gnome-keyring-daemon')) {
    console.error('npm test needs a private keyring: apt-get install -y dbus gnome-keyring libglib2.0-bin libsecret-tools (Debian/Ubuntu).');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const keyringHome = mkdtempSync(path.join(os.tmpdir(), 'gaia-keyring-'));
  const inner = [
    `export XDG_DATA_HOME='${keyringHome}' XDG_RUNTIME_DIR='${keyringHome}' GAIA_TEST_KEYRING=1`,
    'echo -n gaia-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
    `exec '${process.execPath}' '${fileURLToPath(import.meta.url)}' "$@"`,
  ].join('\n');
  const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner, 'sh', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  rmSync(keyringHome, { recursive: true, force: true });
  process.exit(run.status ?? 1);
}

const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
// The names of failed tests, repeated under the summary: CI may keep only a log's tail.
const failedNames = [];

function step(name, cmd, args, { env = {}, count } = {}) {
  process.stdout.write(`\n=== ${name}\n`);
  const started = Date.now();
  const run = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let c = count?.(run.status) ?? null;
  if (!c) c = run.status === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  // A runner that crashed without reporting a failure still failed (unless it reported a skip).
  if (run.status !== 0 && c.failed === 0 && c.skipped === 0) c.failed = 1;
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
  lines.push(`${name.padEnd(28)} ${String(c.passed).padStart(4)} passed ${String(c.failed).padStart(3)} failed ${String(c.skipped).padStart(3)} skipped  (${seconds}s)`);
}

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);

step('build', bin('vite'), ['build', '--app', '--logLevel', 'warn']);
step('typecheck', bin('tsc'), ['-b']);
step('lint', bin('eslint'), ['--max-warnings', '0', '.']);
step('dependency audit', process.execPath, [path.join(root, 'scripts/audit.mjs')], {
  count: (status) => (status === 3 ? { passed: 0, failed: 0, skipped: 1 } : null),
});

const vitestJson = path.join(results, 'vitest.json');
rmSync(vitestJson, { force: true });
step('unit + integration (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], {
  count: () => {
    const r = readJson(vitestJson);
    for (const file of r?.testResults ?? []) {
      const where = path.relative(root, file.name);
      for (const t of file.assertionResults ?? []) if (t.status === 'failed') failedNames.push(`vitest: ${where} › ${[...(t.ancestorTitles ?? []), t.title].join(' › ')}`);
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) failedNames.push(`vitest: ${where} (${(file.message ?? 'failed to run').split('\n')[0]})`);
    }
    return r && { passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0), skipped: r.numPendingTests + r.numTodoTests };
  },
});

const chromium = process.env.GAIA_CHROMIUM ?? '/usr/bin/chromium';
const playwrightCount = (file) => () => {
  const r = readJson(file);
  if (r?.stats.flaky) console.log(`${r.stats.flaky} flaky: passed only on their retry (see the list above)`);
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) if (t.status === 'unexpected') failedNames.push(`playwright: ${spec.file}:${spec.line} › ${[...titles, spec.title].join(' › ')}`);
    }
    for (const child of suite.suites ?? []) walk(child, child.title && !child.title.endsWith('.ts') ? [...titles, child.title] : titles);
  };
  for (const suite of r?.suites ?? []) walk(suite, []);
  return r && { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
};
if (!existsSync(chromium)) {
  console.error(`\nBrowser tests need Chromium: apt-get install -y chromium (or set GAIA_CHROMIUM).`);
  totals.failed += 1;
  lines.push('browser e2e (playwright)       0 passed   1 failed   0 skipped  (no Chromium)');
} else {
  const e2eJson = path.join(results, 'e2e.json');
  rmSync(e2eJson, { force: true });
  step('browser e2e (playwright)', bin('playwright'), ['test', '--project', 'e2e'], { env: { GAIA_PW_JSON: e2eJson }, count: playwrightCount(e2eJson) });
}
const electronJson = path.join(results, 'electron.json');
rmSync(electronJson, { force: true });
step('electron (_electron)', bin('playwright'), ['test', '--project', 'electron'], { env: { GAIA_PW_JSON: electronJson }, count: playwrightCount(electronJson) });

console.log('\n=== summary');
for (const line of lines) console.log(line);
if (failedNames.length) console.log(`\nfailed:\n${failedNames.map((n) => `  ${n}`).join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
