/**
 * Debian's Chromium (as the e2e tests use it) through Playwright, and the page-side
 * helpers the measurements share.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './paths';
import { clockNow } from './stats';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Chromium's clock against this process's: both read the system clock, so they should
 * agree; this checks by asking the page for performance.timeOrigin + now() between two
 * local readings and keeping the exchange with the shortest round trip.
 */
export async function clockOffset(page: Page, samples = 30): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Infinity };
  for (let i = 0; i < samples; i++) {
    const before = clockNow();
    const theirs = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = clockNow();
    const half = (after - before) / 2;
    if (half < best.uncertaintyMs) best = { offsetMs: theirs - (before + half), uncertaintyMs: half };
  }
  return best;
}

/**
 * Page-side helpers, installed before any of the page's scripts (an init script runs
 * through the DevTools protocol, so the page's CSP does not apply to it):
 *   __bench.afterPaint(cb) — cb(time) once the next frame has been produced;
 *   __bench.longTasks      — every long task since the page started (PerformanceObserver).
 */
export const PAGE_HELPERS = `(() => {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
  const channel = new MessageChannel();
  const queue = [];
  channel.port1.onmessage = () => { const t = performance.now(); const cb = queue.shift(); if (cb) cb(t); };
  /* rAF runs just before the frame is drawn; a message posted from it runs after it. */
  const afterPaint = (cb) => requestAnimationFrame(() => { queue.push(cb); channel.port2.postMessage(0); });
  window.__bench = { longTasks, afterPaint };
})();`;
