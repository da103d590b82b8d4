/**
 * `tsx bench/trace-keystrokes.ts [datasets=10000] [out.json]`: the bench's search
 * keystrokes (renderer.ts, the same plan and the same measure) under a Chromium
 * performance trace, each one broken into the renderer main thread's script, style,
 * layout, paint, commit and GC — what to look at before changing the keystroke's path.
 * Build first (`npm run bench -- --only renderer.search-keystroke.10k` does). Not a row
 * of the bench: tracing costs time of its own, so its totals run above the bench's.
 */
import { writeFileSync } from 'node:fs';
import type { TraceEvent } from './lib/trace';
import { ensurePrivateKeyring } from './lib/keyring';

ensurePrivateKeyring([process.execPath, ...process.execArgv, ...process.argv.slice(1)]);

const { launchChromium } = await import('./lib/browser');
const { PAGE_HELPERS } = await import('./lib/browser');
const { startPreview } = await import('./lib/preview');
const { startSimProcess } = await import('./lib/sim');
const { keystrokePlan, LIST_PROBE, openApp, simNames, typePlan } = await import('./renderer');
const { bucketOf, selfTimes } = await import('./lib/trace');

const n = Number(process.argv[2] ?? 10_000);
const outFile = process.argv[3];

const sim = await startSimProcess(n);
const preview = await startPreview();
const browser = await launchChromium();
try {
  await preview.connect(sim);
  const warm = await preview.call('gaia:datasets.list', { requestId: `trace-warm-${n}`, refresh: true });
  if (!warm.ok) throw new Error(`datasets.list: ${JSON.stringify(warm.error)}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(PAGE_HELPERS);
  await page.addInitScript(LIST_PROBE(n));
  await openApp(page, preview);
  await page.getByRole('button', { name: 'Datasets', exact: true }).click();
  await page.waitForFunction(() => (window as unknown as { __bench: { list: { paintedAt: number | null } } }).__bench.list.paintedAt !== null, null, { timeout: 120_000 });
  await page.getByRole('searchbox', { name: 'Search datasets by name' }).focus();
  await page.waitForTimeout(500);
  const plan = keystrokePlan(simNames(n));
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8', 'v8.execute', 'disabled-by-default-v8.gc', 'blink', 'cc', 'toplevel'],
  });
  // Each keystroke's window, as the bench measures it, is marked into the trace (a user-timing measure).
  const typed = await typePlanMarked(plan);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  const events = trace.traceEvents;
  if (outFile) writeFileSync(outFile, JSON.stringify(trace));
  // The page's renderer main thread: where the keystroke measures are.
  const marks = events.filter((e) => e.cat.includes('blink.user_timing') && /^ks\d+$/.test(e.name));
  const main = marks[0];
  const threadEvents = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const windows = new Map<number, { from?: number; to?: number }>();
  for (const m of marks) {
    const k = Number(m.name.slice(2));
    const w = windows.get(k) ?? {};
    if (m.ph === 'b' || m.ph === 'B') w.from = m.ts;
    if (m.ph === 'e' || m.ph === 'E') w.to = m.ts;
    if (m.ph === 'X') {
      w.from = m.ts;
      w.to = m.ts + m.dur!;
    }
    windows.set(k, w);
  }
  const buckets = ['script', 'style', 'layout', 'paint', 'commit', 'gc', 'other'];
  const totals: Record<string, number> = {};
  const nameTotals: Record<string, number> = {};
  console.log(`# ${n} datasets, ${plan.length} keystrokes (ms; main-thread self time inside keydown → frame after the count)`);
  console.log(['#', 'key', 'rows', 'measured', ...buckets, 'idle'].join('\t'));
  plan.forEach((p, i) => {
    const w = windows.get(i);
    if (w?.from === undefined || w.to === undefined) return;
    const t = selfTimes(threadEvents, w.from, w.to);
    let busy = 0;
    for (const b of buckets) {
      totals[b] = (totals[b] ?? 0) + (t[b] ?? 0);
      busy += t[b] ?? 0;
    }
    for (const [name, v] of Object.entries(t.names)) nameTotals[name] = (nameTotals[name] ?? 0) + v;
    const span = w.to - w.from;
    console.log([i, p.key, p.expected, (typed.keys[i] ?? NaN).toFixed(1), ...buckets.map((b) => ((t[b] ?? 0) / 1000).toFixed(1)), ((span - busy) / 1000).toFixed(1)].join('\t'));
  });
  console.log(['total', '', '', '', ...buckets.map((b) => ((totals[b] ?? 0) / 1000).toFixed(1))].join('\t'));
  console.log('top event names by self time (ms, all keystrokes):');
  for (const [name, v] of Object.entries(nameTotals).sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${(v / 1000).toFixed(1)}\t${bucketOf(name)}\t${name}`);
  await context.close();

  async function typePlanMarked(p: typeof plan) {
    const r = await typePlan(page, p, (i, keyAt, paintedAt) => page.evaluate(([name, from, to]) => void performance.measure(name, { start: from, end: to }), [`ks${i}`, keyAt, paintedAt] as const));
    return r;
  }
} finally {
  await browser.close();
  await preview.stop();
  await sim.stop();
}
