/**
 * `npm run bench`: the app against the Gaia simulator on loopback, measured against
 * its floor in the same run. Prints one table and writes it, with every sample summary
 * and note, to bench/results/latest.json. Targets that are missed say MISSED; figures
 * that could not be measured say why, with no number. Nothing here is asserted by
 * `npm test`: the machines are noisy, and this is the measure.
 *
 *   npm run bench                      build (bench/vite.config.ts), then everything (~4 min)
 *   npm run bench -- --only stream     rows whose id starts with one of the given prefixes
 *                                      (client, stream, renderer, size, start); written to
 *                                      bench/results/partial.json instead
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePrivateKeyring } from './lib/keyring';

ensurePrivateKeyring([process.execPath, ...process.execArgv, ...process.argv.slice(1)]);

const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } }, strict: true });
const only = values.only?.flatMap((o) => o.split(',')).filter(Boolean) ?? null;
const wanted = (...ids: string[]) => !only || ids.some((id) => only.some((prefix) => id.startsWith(prefix)));

const { launchChromium } = await import('./lib/browser');
const { notMeasured, table } = await import('./lib/report');
const { startSimProcess } = await import('./lib/sim');
const { ROOT } = await import('./lib/paths');
const { clientOverhead } = await import('./client-overhead');
const { datasets100k } = await import('./datasets-100k');
const { streaming } = await import('./streaming');
const { datasetsFigures, datasetsPlaceholders, askFigure, askFigureId, askFigureName, sizeId } = await import('./renderer');
const { bundleSize, startToPaint } = await import('./size-start');
type Row = import('./lib/report').Row;

const startedAt = new Date();
const loadStart = os.loadavg();
const t0 = performance.now();
const rows: Row[] = [];
const timings: Record<string, { seconds: number; loadAverage1m: number }> = {};

/** Runs one measurement; a failure becomes "not measured" rows that say what broke. */
async function section(name: string, placeholders: Array<[id: string, sec: string, figure: string, unit: string, target: string | null]>, run: () => Promise<Row | Row[]>) {
  if (!wanted(...placeholders.map((p) => p[0]))) return;
  const t = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    const out = await run();
    rows.push(...(Array.isArray(out) ? out : [out]));
  } catch (err) {
    const why = `failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`.slice(0, 300);
    process.stderr.write(`bench: ${name} ${why}\n${err instanceof Error ? err.stack : ''}\n`);
    rows.push(...placeholders.map(([id, sec, figure, unit, target]) => notMeasured(id, sec, figure, unit, target, why)));
  }
  timings[name] = { seconds: (performance.now() - t) / 1000, loadAverage1m: os.loadavg()[0] };
}

const browser = await launchChromium();
const simDemo = await startSimProcess('demo');
const renderer = (n: number) => [`renderer.list-paint.${sizeId(n)}`, `renderer.search-keystroke.${sizeId(n)}`, `renderer.heap.${sizeId(n)}`];
const sim100k = wanted('client.datasets-100k', ...renderer(100_000), 'renderer.first-rows') ? await startSimProcess(100_000) : null;
try {
  await section('client overhead', [['client.datasets-list', '1', 'datasets.list, demo corpus, per call', 'ms', 'ratio ≤ 1.10']], () => clientOverhead(simDemo));
  await section(
    '100,000 datasets through the core',
    [
      ['client.datasets-100k.wall', '1', '100,000 datasets through the core: wall time', 's', 'ratio ≤ 1.25'],
      ['client.datasets-100k.peak-rss', '1', '100,000 datasets through the core: peak RSS', 'MB', 'ratio ≤ 1.20'],
    ],
    () => datasets100k(sim100k!),
  );
  await section(
    'streaming',
    [
      ['stream.latency', '2', 'SSE event → page callback via preview transport', 'ms', 'added p95 ≤ 5 ms'],
      ['stream.throughput', '2', 'SSE throughput, long answer', 'MB/s', 'ratio ≥ 0.8'],
    ],
    () => streaming(simDemo, browser),
  );
  // How cost grows: the same figures at 10,000, 100,000 and 500,000 datasets.
  for (const [n, runs] of [
    [10_000, 3],
    [100_000, 5],
    [500_000, 2],
  ] as const) {
    const placeholders = datasetsPlaceholders(n);
    if (!wanted(...placeholders.map((p) => p[0]))) continue;
    const sim = n === 100_000 ? sim100k! : await startSimProcess(n);
    try {
      await section(`datasets page, ${n.toLocaleString('en')}`, placeholders, () => datasetsFigures(browser, sim, n, runs));
    } finally {
      if (sim !== sim100k) await sim.stop();
    }
  }
  for (const tokens of [5_000, 20_000]) {
    await section(`ask page, ${tokens.toLocaleString('en')} tokens`, [[askFigureId(tokens), '3', askFigureName(tokens), 'ms', 'no long task > 50 ms']], () => askFigure(browser, simDemo, tokens));
  }
  await section('bundle size', [['size.initial-js', '4', 'renderer initial JavaScript, gzip -9', 'KB', '≤ 160 KB']], () => bundleSize());
  await section(
    'start',
    [
      ['start.first-paint', '4', 'preview start → app shell painted', 'ms', 'ratio ≤ 2'],
      ['start.live-shell', '4', 'preview start → the live shell’s first commit painted (interactive)', 'ms', null],
    ],
    () => startToPaint(browser),
  );
} finally {
  const chromium = browser.version();
  await browser.close();
  await simDemo.stop();
  await sim100k?.stop();

  const order = [
    'client.datasets-list',
    'client.datasets-100k.wall',
    'client.datasets-100k.peak-rss',
    'stream.latency',
    'stream.throughput',
    'renderer.first-rows',
    ...[10_000, 100_000, 500_000].flatMap(renderer),
    askFigureId(5_000),
    askFigureId(20_000),
    'size.initial-js',
    'start.first-paint',
    'start.live-shell',
  ];
  rows.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const loadEnd = os.loadavg();
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  const seconds = (performance.now() - t0) / 1000;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const text = table(rows);
  const context = `${startedAt.toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'} · load average ${load(loadStart)} at start, ${load(loadEnd)} at end · Node ${process.version} · Chromium ${chromium} · ${seconds.toFixed(0)} s`;
  process.stdout.write(`\n${text}\n\n${context}\n`);
  const missed = rows.filter((r) => r.status === 'MISSED').map((r) => r.id);
  const notDone = rows.filter((r) => r.status === 'not measured').map((r) => r.id);
  if (missed.length) process.stdout.write(`MISSED: ${missed.join(', ')}\n`);
  if (notDone.length) process.stdout.write(`not measured: ${notDone.join(', ')}\n`);

  const out = path.join(ROOT, 'bench/results', only ? 'partial.json' : 'latest.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const result = {
    startedAt: startedAt.toISOString(),
    seconds,
    machine: { platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model.trim(), memoryGB: os.totalmem() / 1024 ** 3, loadAverageStart: loadStart, loadAverageEnd: loadEnd },
    versions: { node: process.version, chromium },
    git: { commit: git('rev-parse', 'HEAD'), uncommittedFiles: (git('status', '--porcelain') ?? '').split('\n').filter(Boolean).length },
    only,
    timings,
    rows,
    table: text,
  };
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`written: ${path.relative(ROOT, out)}\n`);
}
