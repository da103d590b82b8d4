/**
 * 1b. 100,000 datasets fetched in pages of 99 (1,011 requests) through a real core, each
 * run in a fresh child process: wall time of the gaia:datasets.list call, and the
 * process's peak RSS (getrusage ru_maxrss, i.e. the kernel's high-water mark, including
 * the cache file write that follows the answer). Baseline: a bare undici client in the
 * same kind of process fetching and parsing the same pages. Both sides are built
 * JavaScript from the same Vite build (see lib/shipped.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ratioOf, type Row } from './lib/report';
import type { SimProcess } from './lib/sim';
import { ROOT } from './lib/paths';
import { summarize } from './lib/stats';

// Single runs swing by a third on both sides (2.4–3.4 s idle): a median of 3 followed one
// unlucky run across the line; 5 alternated pairs cost ~10 s more.
export const RUNS_100K = 5;

interface ChildResult {
  mode: string;
  count: number;
  wallMs: number;
  cacheWrittenMs: number | null;
  rssBeforeMB: number;
  peakRssMB: number;
  peakRssSampledMB: number;
  peakHeapSampledMB: number;
}

function runChild(mode: 'core' | 'bare', sim: SimProcess): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // Plain Node (its own type stripping for the child's few lines), not tsx: tsx's loader
    // held some 30 MB more for the core's modules than for the bare client's one.
    const child = spawn(process.execPath, ['--expose-gc', path.join(ROOT, 'bench/datasets-100k-child.ts'), mode, JSON.stringify({ baseUrl: sim.baseUrl, caPem: sim.caPem, demoKey: sim.demoKey })], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`100k ${mode} child exited with ${code}: ${out}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult);
    });
  });
}

export async function datasets100k(sim: SimProcess, runs = RUNS_100K): Promise<Row[]> {
  await sim.faults({});
  const core: ChildResult[] = [];
  const bare: ChildResult[] = [];
  for (let i = 0; i < runs; i++) {
    for (const mode of i % 2 ? (['core', 'bare'] as const) : (['bare', 'core'] as const)) {
      const r = await runChild(mode, sim);
      if (r.count !== 100_000) throw new Error(`100k ${mode}: got ${r.count} datasets`);
      (mode === 'core' ? core : bare).push(r);
    }
  }
  const wall = summarize(core.map((r) => r.wallMs / 1000));
  const wallBase = { what: 'bare undici, same pages, parsed into one array', ...summarize(bare.map((r) => r.wallMs / 1000)) };
  const rss = summarize(core.map((r) => r.peakRssMB));
  const rssBase = { what: 'bare undici child holding the parsed pages', ...summarize(bare.map((r) => r.peakRssMB)) };
  const extra = {
    core: core.map(({ wallMs, cacheWrittenMs, rssBeforeMB, peakRssMB, peakHeapSampledMB }) => ({ wallMs, cacheWrittenMs, rssBeforeMB, peakRssMB, peakHeapSampledMB })),
    bare: bare.map(({ wallMs, rssBeforeMB, peakRssMB, peakHeapSampledMB }) => ({ wallMs, rssBeforeMB, peakRssMB, peakHeapSampledMB })),
  };
  return [
    {
      id: 'client.datasets-100k.wall',
      section: '1',
      figure: '100,000 datasets (1,011 pages) through the core: wall time',
      unit: 's',
      value: wall,
      baseline: wallBase,
      ratio: ratioOf(wall, wallBase),
      target: 'ratio ≤ 1.25',
      status: (ratioOf(wall, wallBase) ?? Infinity) <= 1.25 ? 'met' : 'MISSED',
      note: `gaia:datasets.list {refresh:true} through a real core's dispatch, one fresh child process per run (${runs} runs each, alternating); time of the call, until the answer.`,
      extra,
    },
    {
      id: 'client.datasets-100k.peak-rss',
      section: '1',
      figure: '100,000 datasets through the core: peak RSS of the process',
      unit: 'MB',
      value: rss,
      baseline: rssBase,
      ratio: ratioOf(rss, rssBase),
      target: 'ratio ≤ 1.20',
      status: (ratioOf(rss, rssBase) ?? Infinity) <= 1.2 ? 'met' : 'MISSED',
      note: `Peak RSS = getrusage ru_maxrss of that child (plain Node 24, no tsx: the core or the bare client as built JavaScript — bench-core.js or bench-bare.js, one Vite build, each child loading only its own), which includes writing the 100k cache file after the answer; its RSS before the call was ~${Math.round(core[0].rssBeforeMB)} MB. Sampled heap peaks are in the JSON.`,
    },
  ];
}
