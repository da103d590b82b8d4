/**
 * 4. Size and start.
 * Size: the JavaScript index.html loads before the first paint — its module script(s)
 * and modulepreload links — each gzipped at level 9, summed. Floor: React 19 + ReactDOM
 * rendering one element, minified by esbuild, gzipped the same way.
 * Start: spawn the built preview → the first frame in which the app shell shows its
 * "Version" label, in Chromium, on the system clock: index.html's static copy of the
 * shell holds it (inert); a second, informative figure is the first frame of the live
 * shell (its label outside [inert], once React has drawn it with app.info's answer).
 * Floor: plain Node serving a static page that already holds such a label, opened the
 * same way.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import { build } from 'esbuild';
import { PAGE_HELPERS } from './lib/browser';
import { ROOT, RENDERER_DIR } from './lib/paths';
import { startPreview } from './lib/preview';
import { ratioOf, type Row } from './lib/report';
import { clockNow, summarize } from './lib/stats';

const START_RUNS = 5;
const gz = (data: Buffer | string) => gzipSync(data, { level: 9 }).length;
const KB = 1024;

export async function bundleSize(): Promise<Row> {
  const html = readFileSync(path.join(RENDERER_DIR, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  if (!scripts.length) throw new Error('index.html loads no module script');
  const files = scripts.map((src) => {
    const file = path.join(RENDERER_DIR, src.replace(/^\.?\//, ''));
    const data = readFileSync(file);
    return { file: path.relative(RENDERER_DIR, file), bytes: data.length, gzip: gz(data) };
  });
  const total = files.reduce((s, f) => s + f.gzip, 0) / KB;
  const floorJs = (
    await build({
      entryPoints: [path.join(ROOT, 'bench/browser/floor-entry.tsx')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      write: false,
      logLevel: 'silent',
    })
  ).outputFiles[0].contents;
  const floor = gz(Buffer.from(floorJs)) / KB;
  const value = summarize([total]);
  const baseline = { what: 'React 19 + ReactDOM rendering one element (esbuild, minified)', ...summarize([floor]) };
  return {
    id: 'size.initial-js',
    section: '4',
    figure: 'renderer initial JavaScript, gzip -9',
    unit: 'KB',
    value,
    baseline,
    ratio: ratioOf(value, baseline),
    target: '≤ 160 KB',
    status: total <= 160 ? 'met' : 'MISSED',
    note: `The module script(s) and modulepreloads of index.html (${files.map((f) => `${f.file}: ${(f.bytes / KB).toFixed(0)} KB, ${(f.gzip / KB).toFixed(1)} KB gzipped`).join('; ')}); KB = 1024 bytes; deterministic, measured once. The preview's transport is part of the first chunk (no chunk loaded before the first render).`,
    extra: { files },
  };
}

async function paintOfVersion(browser: Browser, open: () => Promise<{ url: string; spawnedAt: number; listeningAt: number; stop(): Promise<void> }>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PAGE_HELPERS);
  await page.addInitScript(`(() => {
    const b = window.__bench;
    const check = () => {
      const labels = document.querySelectorAll('[aria-label="Version"]');
      if (b.versionAt === undefined && labels.length) {
        b.versionAt = null;
        b.afterPaint((t) => { b.versionAt = performance.timeOrigin + t; });
      }
      if (b.liveAt === undefined && [...labels].some((l) => !l.closest('[inert]'))) {
        b.liveAt = null;
        b.afterPaint((t) => { b.liveAt = performance.timeOrigin + t; });
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true });
  })();`);
  const server = await open();
  try {
    await page.goto(server.url);
    const handle = await page.waitForFunction(
      () => {
        const b = (window as unknown as { __bench: { versionAt?: number | null; liveAt?: number | null } }).__bench;
        return b.versionAt && b.liveAt ? { versionAt: b.versionAt, liveAt: b.liveAt } : null;
      },
      null,
      { timeout: 30_000, polling: 'raf' },
    );
    const { versionAt, liveAt } = (await handle.jsonValue()) as { versionAt: number; liveAt: number };
    return { total: versionAt - server.spawnedAt, live: liveAt - server.spawnedAt, listening: server.listeningAt - server.spawnedAt };
  } finally {
    await context.close();
    await server.stop();
  }
}

function startFloor(): Promise<{ url: string; spawnedAt: number; listeningAt: number; stop(): Promise<void> }> {
  const spawnedAt = clockNow();
  const child = spawn(process.execPath, [path.join(ROOT, 'bench/lib/floor-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Open: (\S+)/.exec(out);
      if (m)
        resolve({
          url: m[1],
          spawnedAt,
          listeningAt: clockNow(),
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    });
    child.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
  });
}

export async function startToPaint(browser: Browser): Promise<Row[]> {
  const app: Array<{ total: number; live: number; listening: number }> = [];
  const floor: Array<{ total: number; live: number; listening: number }> = [];
  for (let i = 0; i < START_RUNS; i++) {
    for (const which of i % 2 ? ['app', 'floor'] : ['floor', 'app']) {
      if (which === 'app') app.push(await paintOfVersion(browser, startPreview));
      else floor.push(await paintOfVersion(browser, startFloor));
    }
  }
  const value = summarize(app.map((r) => r.total));
  const baseline = { what: 'plain Node serving a static page with the label', ...summarize(floor.map((r) => r.total)) };
  const listening = summarize(app.map((r) => r.listening));
  const live = summarize(app.map((r) => r.live));
  return [
    {
      id: 'start.first-paint',
      section: '4',
      figure: 'preview start → app shell painted with its "Version" label',
      unit: 'ms',
      value,
      baseline,
      ratio: ratioOf(value, baseline),
      target: 'ratio ≤ 2',
      status: (ratioOf(value, baseline) ?? Infinity) <= 2 ? 'met' : 'MISSED',
      note: `Spawn of node out/main/preview.js (fresh data dir) → first frame showing the shell's Version label in an open Chromium (a new browser context per run); ${START_RUNS} runs each, alternating. The label painted is index.html's static copy of the shell (rendered at build time, inert until React replaces it): start.live-shell is when the live one is. Of that, spawn → listening: median ${listening.median?.toFixed(0)} ms.`,
      extra: { app, floor },
    },
    {
      id: 'start.live-shell',
      section: '4',
      figure: 'preview start → the live shell’s first commit painted (interactive)',
      unit: 'ms',
      value: live,
      baseline,
      ratio: ratioOf(live, baseline),
      target: null,
      status: 'info',
      note: `The same runs as start.first-paint: spawn → the first frame whose Version label is outside any [inert] element, i.e. React's rail with its handlers (its label then also says where it runs), against the same floor. No target: it shows what the static shell's earlier paint does not buy.`,
    },
  ];
}
