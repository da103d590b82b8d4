/**
 * Electronegativity (Doyensec's Electron security scanner) over the app's sources —
 * main/, preload/, renderer/, package.json — and the built index.html, with zero
 * findings. A finding that does not apply is suppressed in ONE place,
 * test/security/electronegativity-allow.json, with its reason; an entry there that no
 * longer matches anything fails too, so the list cannot rot.
 *
 * A canary file with known-bad webPreferences is scanned alongside, and its findings
 * must appear: that proves the tool really parsed our TypeScript and ran its checks
 * (a scanner that silently scanned nothing would otherwise "pass").
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer, ROOT } from '../support/build-renderer';

interface Finding {
  id: string;
  file: string;
  line: number;
  column: number;
  sample: string;
  description: string;
  severity: string;
  confidence: string;
  manualReview: boolean;
}
interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Finding[];
}
interface AllowList {
  excludedChecks: Array<{ check: string; reason: string }>;
  findings: Array<{ check: string; file: string; sample: string; reason: string }>;
}

const ALLOW_FILE = path.join(ROOT, 'test/security/electronegativity-allow.json');
const RUNNER = path.join(ROOT, 'test/support/run-electronegativity.mjs');
const CANARY_DIR = '__canary__';
const CANARY = `import { BrowserWindow } from 'electron';
type Prefs = Electron.WebPreferences;
const insecure: Prefs = {};
export const canary: BrowserWindow = new BrowserWindow({
  webPreferences: { contextIsolation: false, sandbox: false, webSecurity: false, allowRunningInsecureContent: true },
});
export { insecure };
`;
const CANARY_CHECKS = ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'INSECURE_CONTENT_JS_CHECK'];

const allow = JSON.parse(readFileSync(ALLOW_FILE, 'utf8')) as AllowList;
let stage = '';
let result: ScanResult;

const show = (f: Finding) =>
  `  ${f.id} (${f.severity}/${f.confidence}) ${f.file}:${f.line}:${f.column}\n      ${f.sample.trim().slice(0, 200)}\n      ${f.description}`;

beforeAll(async () => {
  const built = await buildRenderer();
  stage = mkdtempSync(path.join(os.tmpdir(), 'gaia-electronegativity-'));
  for (const dir of ['main', 'preload', 'renderer']) cpSync(path.join(ROOT, dir), path.join(stage, dir), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(stage, 'package.json'));
  mkdirSync(path.join(stage, 'out/renderer'), { recursive: true });
  cpSync(path.join(built, 'index.html'), path.join(stage, 'out/renderer/index.html'));
  rmSync(path.dirname(built), { recursive: true, force: true });
  mkdirSync(path.join(stage, CANARY_DIR));
  writeFileSync(path.join(stage, CANARY_DIR, 'canary.ts'), CANARY);

  const out = path.join(stage, 'result.json');
  const run = spawnSync(process.execPath, [RUNNER, stage, out, allow.excludedChecks.map((c) => c.check).join(',')], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, LANG: 'en-US' },
  });
  if (run.status !== 0) throw new Error(`Electronegativity did not run (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
  result = JSON.parse(readFileSync(out, 'utf8')) as ScanResult;
}, 120_000);

afterAll(() => {
  if (stage) rmSync(stage, { recursive: true, force: true });
});

describe('Electronegativity', () => {
  it('ran its checks and parsed every file', () => {
    expect(result.atomicChecks).toBeGreaterThanOrEqual(30);
    expect(result.globalChecks).toBeGreaterThanOrEqual(4);
    const fatal = result.errors.filter((e) => !e.tolerable);
    expect(fatal.map((e) => `${e.file}: ${e.message}`), 'files the scanner could not parse are files it did not check').toEqual([]);
  });

  it('finds the canary’s insecure webPreferences (the scan really sees our TypeScript)', () => {
    const found = new Set(result.issues.filter((f) => f.file.startsWith(`${CANARY_DIR}/`)).map((f) => f.id));
    for (const check of CANARY_CHECKS) expect(found.has(check), `${check} on the canary`).toBe(true);
  });

  it('saw the CSP of the built page (no "No CSP has been detected")', () => {
    expect(result.issues.filter((f) => f.id === 'CSP_GLOBAL_CHECK' && f.file === 'N/A').map(show)).toEqual([]);
  });

  it('reports nothing that is not listed, with its reason, in electronegativity-allow.json', () => {
    const entries = allow.findings;
    for (const entry of entries) expect(entry.reason.length, `a reason for ${entry.check} in ${entry.file}`).toBeGreaterThan(40);
    const used = new Set<number>();
    const unexplained: Finding[] = [];
    for (const finding of result.issues) {
      if (finding.file.startsWith(`${CANARY_DIR}/`)) continue;
      const index = entries.findIndex((e) => e.check === finding.id && e.file === finding.file && finding.sample.includes(e.sample));
      if (index === -1) unexplained.push(finding);
      else used.add(index);
    }
    const stale = entries.filter((_, i) => !used.has(i)).map((e) => `  ${e.check} ${e.file} "${e.sample}"`);
    const problems: string[] = [];
    if (unexplained.length > 0)
      problems.push(
        `Electronegativity reported ${unexplained.length} finding(s). Fix the code, or — only if it truly does not apply — ` +
          `add {check, file, sample, reason} to test/security/electronegativity-allow.json:\n${unexplained.map(show).join('\n')}`,
      );
    if (stale.length > 0) problems.push(`Allow-list entries that match no finding any more — remove them:\n${stale.join('\n')}`);
    expect(problems, problems.join('\n\n')).toEqual([]);
  });

  it('every excluded check has a reason', () => {
    for (const c of allow.excludedChecks) expect(c.reason.length, c.check).toBeGreaterThan(40);
  });
});
