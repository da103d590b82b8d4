/**
 * `tsx bench/trace-ask.ts [tokens=20000] [out.json]`: one streamed answer in the Ask page
 * (renderer.ts, the same stream and the same measure) under a Chromium trace and a CPU
 * profile of the page: each long task's main-thread self time by kind (script, style,
 * layout, paint, GC) and the JavaScript functions inside the page's long busy stretches
 * — what to look at before changing the streaming answer's path. Build first (`npm run
 * bench -- --only renderer.ask-longtask` does). Not a row of the bench: tracing costs time.
 */
import { writeFileSync } from 'node:fs';
import type { TraceEvent } from './lib/trace';
import { ensurePrivateKeyring } from './lib/keyring';

ensurePrivateKeyring([process.execPath, ...process.execArgv, ...process.argv.slice(1)]);

const { launchChromium, PAGE_HELPERS } = await import('./lib/browser');
const { startPreview } = await import('./lib/preview');
const { startSimProcess } = await import('./lib/sim');
const { ANSWER_CHUNK, ANSWER_GAP_MS, ASK_DATASET, ASK_QUESTION, askInPage, openApp } = await import('./renderer');
const { BUCKETS, selfTimes } = await import('./lib/trace');

const tokens = Number(process.argv[2] ?? 20_000);
// GAIA_TRACE_JS=1 adds a CPU profile of the page (its own overhead is large); without it
// the trace is light enough to compare builds by each task's CPU time (tdur), which a
// busy machine stretches far less than the wall time long tasks are judged by.
const withProfile = process.env.GAIA_TRACE_JS === '1';
const outFile = process.argv[3];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const sim = await startSimProcess('demo');
const preview = await startPreview();
const browser = await launchChromium();
try {
  await preview.connect(sim);
  await sim.faults({ streamMode: 'delta', streamBench: { answerChars: tokens * 4, chunkChars: ANSWER_CHUNK }, streamDelayMs: ANSWER_GAP_MS });
  await preview.call('gaia:composer.save', { datasetNames: [ASK_DATASET], llmId: null, languageCode: null });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(PAGE_HELPERS);
  await openApp(page, preview);
  await page.getByRole('button', { name: 'Ask', exact: true }).first().click();
  const question = page.getByRole('textbox', { name: 'Question' });
  await question.fill(ASK_QUESTION);
  await page.waitForTimeout(500);
  const cdp = await context.newCDPSession(page);
  if (withProfile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  const categories = withProfile ? ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.gc', 'blink', 'toplevel'] : ['disabled-by-default-devtools.timeline', 'toplevel'];
  await browser.startTracing(page, { categories });
  if (withProfile) await cdp.send('Profiler.start');
  const r = await askInPage(page, 1);
  const empty = { nodes: [], samples: [], timeDeltas: [], startTime: 0 };
  const { profile } = withProfile ? ((await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number } }) : { profile: empty };
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  if (outFile) writeFileSync(outFile, JSON.stringify({ trace, profile }));
  console.log(`# ${tokens} tokens: click → done ${((r.doneAt ?? NaN) - r.clickAt).toFixed(0)} ms; ${r.tasks.length} long tasks: ${r.tasks.map((t) => t.duration.toFixed(0)).join(' ')}`);

  // The renderer main thread: the one with the most RunTask time among the page's threads.
  const events = trace.traceEvents;
  const byThread = new Map<string, number>();
  for (const e of events) if (e.name === 'RunTask' && e.dur) byThread.set(`${e.pid}/${e.tid}`, (byThread.get(`${e.pid}/${e.tid}`) ?? 0) + e.dur);
  const mainKey = [...byThread.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const thread = events.filter((e) => `${e.pid}/${e.tid}` === mainKey);
  const during = thread.filter((e) => e.name === 'RunTask' && e.dur !== undefined && e.dur > 0);
  const cpu = during.map((e) => (e as TraceEvent & { tdur?: number }).tdur ?? 0).sort((a, b) => b - a);
  const over = (ms: number) => cpu.filter((t) => t > ms * 1000).length;
  console.log(`main-thread tasks: ${cpu.length}, CPU total ${(cpu.reduce((a, b) => a + b, 0) / 1000).toFixed(0)} ms, longest CPU ${cpu.slice(0, 8).map((t) => (t / 1000).toFixed(1)).join(' ')} ms; CPU > 50 ms: ${over(50)}, > 25 ms: ${over(25)}, > 16 ms: ${over(16)}`);
  if (withProfile) {
  const long = thread.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 30_000).sort((a, b) => a.ts - b.ts);
  const buckets = [...BUCKETS.map(([b]) => b), 'other'];
  console.log(['task ms', ...buckets].join('\t'));
  for (const task of long) {
    const t = selfTimes(thread, task.ts, task.ts + task.dur!);
    console.log([(task.dur! / 1000).toFixed(1), ...buckets.map((b) => ((t[b] ?? 0) / 1000).toFixed(1))].join('\t'));
    const top = Object.entries(t.names).sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(`   ${top.map(([n, v]) => `${n} ${(v / 1000).toFixed(1)}`).join(', ')}`);
  }

  // JavaScript inside busy stretches of the profile (samples not idle, gaps < 2 ms), longer than 30 ms.
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
  const selfIn = new Map<string, number>();
  const inclIn = new Map<string, number>();
  let stretch: Array<[number, number]> = [];
  let busyMs = 0;
  const close = () => {
    const ms = stretch.reduce((a, [, d]) => a + d, 0) / 1000;
    if (ms > 30) {
      busyMs += ms;
      for (const [id, d] of stretch) {
        selfIn.set(label(nodes.get(id)!), (selfIn.get(label(nodes.get(id)!)) ?? 0) + d);
        const seen = new Set<string>();
        for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
          const l = label(nodes.get(x)!);
          if (!seen.has(l)) inclIn.set(l, (inclIn.get(l) ?? 0) + d);
          seen.add(l);
        }
      }
    }
    stretch = [];
  };
  profile.samples.forEach((id, i) => {
    const name = nodes.get(id)!.callFrame.functionName;
    if (name === '(idle)') close();
    else stretch.push([id, profile.timeDeltas[i]]);
  });
  close();
  const show = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${(v / 1000).toFixed(1)}\t${k}`).join('\n');
  console.log(`busy stretches > 30 ms: ${busyMs.toFixed(0)} ms\nself:\n${show(selfIn, 30)}\ninclusive:\n${show(inclIn, 50)}`);
  }
  await context.close();
} finally {
  await browser.close();
  await preview.stop();
  await sim.stop();
}
