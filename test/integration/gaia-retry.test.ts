/**
 * Retries and cancellation against the simulator: which calls are retried, how long
 * they wait (Retry-After in seconds or as a date, else exponential backoff), when they
 * give up, and that every wait and every request can be cancelled.
 */
import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import type { RetryInfo, StreamEvent } from '../../main/core/gaia/client';
import { startSimulator, type Simulator } from '../gaia-sim';
import { caught, capturingLog, recordingClock, simClient, type CapturingLog } from '../support/gaia';

let sim: Simulator;
let log: CapturingLog;

beforeAll(async () => {
  sim = await startSimulator();
  log = capturingLog();
});
afterAll(async () => {
  await sim?.stop();
  log?.dispose();
});
afterEach(() => sim.faults.clear());

const count = (suffix: string, since: number) => sim.requestLog.slice(since).filter((r) => r.rawPath.endsWith(suffix)).length;

function setup(retry: Record<string, unknown> = {}) {
  const clock = recordingClock();
  const client = simClient(sim, log, {}, { retry: { clock, random: () => 0.5, ...retry } });
  const retries: RetryInfo[] = [];
  return { clock, client, retries, onRetry: (i: RetryInfo) => retries.push(i) };
}

describe('retries', () => {
  it('retries a 429 after the Retry-After seconds, telling the caller each time', async () => {
    const { client, retries, onRetry, clock } = setup();
    sim.faults.set({ rateLimit: { count: 2, retryAfter: 3 } });
    const since = sim.requestLog.length;
    const llms = await client.llms({ onRetry });
    expect(llms.length).toBeGreaterThan(0);
    expect(retries).toEqual([
      { attempt: 1, waitMs: 3000, reason: 'rate limited' },
      { attempt: 2, waitMs: 3000, reason: 'rate limited' },
    ]);
    expect(clock.waits).toEqual([3000, 3000]);
    expect(count('/llms', since)).toBe(3);
    await client.close();
  });

  it('honours Retry-After given as an HTTP-date', async () => {
    const { client, retries, onRetry } = setup();
    sim.faults.set({ rateLimit: { count: 1, retryAfter: new Date(Date.now() + 6000).toUTCString() } });
    await client.llms({ onRetry });
    expect(retries).toHaveLength(1);
    expect(retries[0].waitMs).toBeGreaterThan(3500);
    expect(retries[0].waitMs).toBeLessThanOrEqual(6000);
    await client.close();
  });

  it('retries a GET after 503 with exponential backoff', async () => {
    const { client, retries, onRetry } = setup();
    sim.faults.set({ serverError: { count: 3, status: 503 } });
    await client.datasetStats({ onRetry });
    expect(retries.map((r) => r.reason)).toEqual(['server error 503', 'server error 503', 'server error 503']);
    // random() = 0.5 → three quarters of 500, 1000, 2000 ms
    expect(retries.map((r) => r.waitMs)).toEqual([375, 750, 1500]);
    await client.close();
  });

  it('retries a GET whose connection was reset', async () => {
    const { client, retries, onRetry } = setup();
    sim.faults.set({ reset: { count: 1, path: '/llms' } });
    await client.llms({ onRetry });
    expect(retries.map((r) => r.reason)).toEqual(['connection reset']);
    await client.close();
  });

  it('does not retry a POST after a 503: it may have been processed', async () => {
    const { client, retries, onRetry } = setup();
    sim.faults.set({ serverError: { count: 1, status: 503, path: '/ask' } });
    const since = sim.requestLog.length;
    const err = await caught(client.ask({ datasetNames: ['Café Ops'], queryString: 'opening hours' }, { onRetry }));
    expect(err.info.kind).toBe('server-error');
    expect(retries).toEqual([]);
    expect(count('/ask', since)).toBe(1);
    await client.close();
  });

  it('retries a POST after a 429: it was not processed', async () => {
    const { client, retries, onRetry } = setup();
    sim.faults.set({ rateLimit: { count: 1, retryAfter: 2, path: '/ask' } });
    const answer = await client.ask({ datasetNames: ['Café Ops'], queryString: 'opening hours' }, { onRetry });
    expect(answer.responseString).toBeTruthy();
    expect(retries).toEqual([{ attempt: 1, waitMs: 2000, reason: 'rate limited' }]);
    await client.close();
  });

  it('tells a streamed ask that it is retrying', async () => {
    const { client } = setup();
    sim.faults.set({ rateLimit: { count: 1, retryAfter: 4, path: '/ask/stream' } });
    const events: StreamEvent[] = [];
    const result = await client.askStream({ datasetNames: ['Café Ops'], queryString: 'opening hours' }, { onEvent: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'retrying', attempt: 1, waitMs: 4000, reason: 'rate limited' });
    expect(result.queryUid).toBeTruthy();
    await client.close();
  });

  it('stops after the retry count', async () => {
    const { client, clock } = setup({ maxRetries: 5 });
    sim.faults.set({ rateLimit: { retryAfter: 1 } });
    const since = sim.requestLog.length;
    const err = await caught(client.llms());
    expect(err.info.kind).toBe('rate-limited');
    expect(clock.waits).toHaveLength(5);
    expect(count('/llms', since)).toBe(6);
    await client.close();
  });

  it('gives up at once when the wait would pass the total time budget', async () => {
    const { client, clock } = setup({ maxTotalMs: 60_000 });
    sim.faults.set({ rateLimit: { retryAfter: 120 } });
    const err = await caught(client.llms());
    expect(err.info.kind).toBe('rate-limited');
    expect(err.info.retryAfterMs).toBe(120_000);
    expect(clock.waits).toEqual([]);
    await client.close();
  });
});

describe('cancellation', () => {
  it('cancels during a retry wait (real clock)', async () => {
    const client = simClient(sim, log, {}, { retry: { baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 1 } });
    sim.faults.set({ serverError: { status: 503 } });
    const controller = new AbortController();
    const started = Date.now();
    const p = client.llms({ signal: controller.signal, onRetry: () => setTimeout(() => controller.abort(), 30) });
    const err = await caught(p);
    expect(err.info.kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(3000);
    await client.close();
  });

  it('cancels a request in flight, and says cancelled rather than timed out', async () => {
    const client = simClient(sim, log);
    sim.faults.set({ hang: { count: 1 } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const err = await caught(client.llms({ signal: controller.signal }));
    expect(err.info.kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(3000);
    // The client is still usable afterwards.
    expect((await client.llms()).length).toBeGreaterThan(0);
    await client.close();
  });

  it('sends nothing when the signal is already aborted', async () => {
    const client = simClient(sim, log);
    const since = sim.requestLog.length;
    const err = await caught(client.datasetStats({ signal: AbortSignal.abort() }));
    expect(err.info.kind).toBe('aborted');
    expect(sim.requestLog.length).toBe(since);
    await client.close();
  });

  it('cancels listing every dataset between pages', async () => {
    const big = await startSimulator({ datasets: 2000 });
    const client = simClient(big, log);
    const controller = new AbortController();
    const err = await caught(client.listAllDatasets({}, { signal: controller.signal, onPage: (_loaded, pages) => pages === 3 && controller.abort() }));
    expect(err.info.kind).toBe('aborted');
    // A page already asked for may still be answered (an attempt listens for the cancel only
    // from CANCEL_WATCH_MS on: transport.ts); none is asked for after the cancel.
    expect(big.requestLog.length).toBeGreaterThanOrEqual(3);
    expect(big.requestLog.length).toBeLessThanOrEqual(4);
    await client.close();
    await big.stop();
  });
});
