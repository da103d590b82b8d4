/**
 * One run of "100,000 datasets, every page", in a fresh process so its peak RSS is its
 * own: `core` = gaia:datasets.list with refresh through a real core's dispatch (and the
 * cache write that follows it), `bare` = a bare undici client fetching and parsing the
 * same pages into one array. Both are built JavaScript from the same Vite build, loaded the
 * same way: bench-core.js (the core as shipped) or bench-bare.js (the bare client alone). Prints one JSON line.
 *
 *   node bench/datasets-100k-child.ts core|bare '<sim JSON>'   (Node's own type stripping: imports name their .ts)
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { benchCore, connect } from './lib/core.ts';
import { shippedBare } from './lib/shipped.ts';

const mode = process.argv[2];
const sim = JSON.parse(process.argv[3]) as { baseUrl: string; caPem: string; demoKey: string };
const MB = 1024 * 1024;

let peakHeap = 0;
let peakRssSampled = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRssSampled = Math.max(peakRssSampled, m.rss);
};

async function main() {
  let count: number;
  let wallMs: number;
  let rssBefore: number;
  let cacheMs: number | null = null;
  if (mode === 'core') {
    const { core, dataDir } = await benchCore();
    const profile = await connect(core, sim);
    let paged = 0;
    core.onEvent((channel, payload) => {
      if (channel === 'gaia:datasets.page') paged += (payload as { datasets: unknown[] }).datasets.length;
    });
    const cacheFile = path.join(dataDir, 'cache', `datasets-${profile.id}.json`);
    rmSync(cacheFile, { force: true });
    global.gc?.();
    rssBefore = process.memoryUsage().rss;
    const timer = setInterval(sample, 50);
    const t = performance.now();
    const r = await core.dispatch('gaia:datasets.list', { requestId: 'bench-100k-0001', refresh: true, pages: true });
    wallMs = performance.now() - t;
    if (!r.ok) throw new Error(`datasets.list failed: ${JSON.stringify(r.error)}`);
    count = (r.value as { streamed?: number }).streamed ?? -1;
    if (paged !== count) throw new Error(`the core sent ${paged} datasets as page events, and said ${count}`);
    // The list is answered before the cache file is written; the write is part of the core's work.
    while (!existsSync(cacheFile)) await new Promise((res) => setTimeout(res, 5));
    cacheMs = performance.now() - t;
    sample();
    clearInterval(timer);
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  } else {
    const { bareClient } = await shippedBare();
    const bare = bareClient(sim);
    await bare.listAll(1); // a warm connection, as the core's after connecting
    global.gc?.();
    rssBefore = process.memoryUsage().rss;
    const timer = setInterval(sample, 50);
    const t = performance.now();
    const all = await bare.listAll();
    wallMs = performance.now() - t;
    count = all.length;
    sample();
    clearInterval(timer);
    await bare.close();
  }
  const usage = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({
      mode,
      count,
      wallMs,
      cacheWrittenMs: cacheMs,
      rssBeforeMB: rssBefore / MB,
      peakRssMB: (usage.maxRSS * 1024) / MB,
      peakRssSampledMB: peakRssSampled / MB,
      peakHeapSampledMB: peakHeap / MB,
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
