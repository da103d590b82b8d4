/**
 * Where the preview's start goes: one Chromium trace from page.goto to the first frame with
 * the shell's Version label (and the live shell's), split by main-thread bucket (bench/lib/trace.ts), with each
 * resource's network timing. Run after `npm run bench` has built: `tsx bench/trace-start.ts`.
 */
import { launchChromium, PAGE_HELPERS } from './lib/browser';
import { startPreview } from './lib/preview';
import { selfTimes, type TraceEvent } from './lib/trace';

const browser = await launchChromium();
for (let run = 0; run < Number(process.env.RUNS ?? 3); run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PAGE_HELPERS);
  await page.addInitScript(`(() => {
    const b = window.__bench;
    const check = () => {
      const labels = document.querySelectorAll('[aria-label="Version"]');
      if (b.versionAt === undefined && labels.length) {
        b.versionAt = null;
        b.afterPaint((t) => { b.versionAt = t; });
      }
      // The live shell's label (outside index.html's inert static copy), as start.live-shell.
      if (b.liveAt === undefined && [...labels].some((l) => !l.closest('[inert]'))) {
        b.liveAt = null;
        b.afterPaint((t) => { b.liveAt = t; });
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true });
  })();`);
  const server = await startPreview();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'loading', 'toplevel'] });
  await page.goto(server.url);
  await page.waitForFunction(() => { const b = (window as unknown as { __bench: { versionAt?: number | null; liveAt?: number | null } }).__bench; return (b.versionAt && b.liveAt) || null; }, null, { timeout: 30_000, polling: 'raf' });
  const info = await page.evaluate(() => ({
    versionAt: (window as unknown as { __bench: { versionAt: number } }).__bench.versionAt,
    liveAt: (window as unknown as { __bench: { liveAt: number } }).__bench.liveAt,
    nav: performance.getEntriesByType('navigation').map((e) => { const n = e as PerformanceNavigationTiming; return { req: n.requestStart, resp: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd }; })[0],
    res: performance.getEntriesByType('resource').map((e) => { const r = e as PerformanceResourceTiming; return `${r.name.replace(/^.*\//, '').slice(0, 40).padEnd(40)} ${r.startTime.toFixed(0).padStart(5)} → ${r.responseEnd.toFixed(0).padStart(5)}`; }),
    marks: performance.getEntriesByType('mark').map((m) => `${m.name} ${m.startTime.toFixed(0)}`),
  }));
  const buf = await browser.stopTracing();
  const events = (JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  // The renderer main thread that ran the app's scripts (not about:blank's).
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const count = (m: TraceEvent) => events.filter((x) => x.pid === m.pid && x.tid === m.tid && x.ph === 'X').reduce((s, x) => s + (x.dur ?? 0), 0);
  const main = mains.sort((a, b) => count(b) - count(a))[0];
  const mine = events.filter((e) => e.pid === main?.pid && e.tid === main?.tid);
  const from = Math.min(...mine.filter((e) => e.ph === 'X').map((e) => e.ts));
  const to = Math.max(...mine.filter((e) => e.ph === 'X').map((e) => e.ts + (e.dur ?? 0)));
  const self = selfTimes(mine, from, to);
  const top = Object.entries(self.names).sort((a, b) => b[1] - a[1]).slice(0, 18).map(([n, us]) => `${n} ${(us / 1000).toFixed(1)}`);
  const buckets = Object.entries(self).filter(([k]) => k !== 'names').map(([k, v]) => `${k} ${((v as number) / 1000).toFixed(1)}`);
  console.log(`run ${run}: version painted at ${info.versionAt.toFixed(0)} ms after navigation start, the live shell's at ${info.liveAt.toFixed(0)} ms; nav`, info.nav);
  console.log('  resources:\n   ' + info.res.join('\n   '));
  console.log('  main thread (ms):', buckets.join(', '), `over ${((to - from) / 1000).toFixed(0)} ms`);
  console.log('  top:', top.join(' · '));
  // Long script events in time order, for the shape of the critical path.
  const t0 = mine.find((e) => e.name === 'ParseHTML')?.ts ?? from;
  const big = mine.filter((e) => e.ph === 'X' && (e.dur ?? 0) > 3000 && /EvaluateScript|FunctionCall|v8.compile|ParseHTML|Layout|Paint|UpdateLayoutTree|TimerFire|RunMicrotasks|v8.run|FireIdleCallback|ParseAuthorStyleSheet|CompileScript|v8.parseOnBackground/.test(e.name));
  console.log('  timeline:', big.map((e) => `${e.name}@${((e.ts - t0) / 1000).toFixed(0)}+${((e.dur ?? 0) / 1000).toFixed(0)}${e.args?.data && (e.args.data as { url?: string }).url ? '(' + String((e.args.data as { url?: string }).url).replace(/^.*\//, '').slice(0, 20) + ')' : ''}`).join(' '));
  await context.close();
  await server.stop();
}
await browser.close();
