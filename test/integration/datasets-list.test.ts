/**
 * The dataset list logic (main/core/datasets/list.ts) with the real client, the real
 * cache in a temp dir, over real TLS against the simulator: paging with progress,
 * cache answers, offline fallback, refused keys, server-side filters, cancel, and the
 * 100,000-dataset corpus.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DatasetList, events, type EventPayload } from '../../preload/contract';
import { createDatasetCache, type DatasetCache } from '../../main/core/datasets/cache';
import { createDatasetLister, type DatasetLister, type ListTarget } from '../../main/core/datasets/list';
import type { GaiaClient } from '../../main/core/gaia/client';
import { startSimulator, type Simulator } from '../gaia-sim';
import { capturingLog, caught, simClient, type CapturingLog } from '../support/gaia';

type Progress = EventPayload<'gaia:datasets.progress'>;

let dir: string;
let cache: DatasetCache;
let log: CapturingLog;
let lister: DatasetLister;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gaia-dsl-'));
  log = capturingLog();
  cache = createDatasetCache({ dataDir: dir, log });
  lister = createDatasetLister({ cache, log, progressIntervalMs: 0 });
});
afterEach(async () => {
  await lister.settled();
  log.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const requestId = (n: string) => `req-${n}-0000`;

function target(sim: Simulator, client: GaiaClient, id = 'p1'): ListTarget {
  return { profile: { id, baseUrl: sim.baseUrl, securityContext: null }, client };
}

function collect(): { events: Progress[]; emit: (p: Progress) => void } {
  const events: Progress[] = [];
  return { events, emit: (p) => events.push(p) };
}

describe('with the demo corpus', () => {
  let sim: Simulator;
  let client: GaiaClient;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => {
    sim.faults.clear();
    client = simClient(sim, log);
  });
  afterEach(async () => {
    await client.close();
  });

  it('fetches every page with progress, caches the list and then answers from the cache', async () => {
    const { events, emit } = collect();
    const before = sim.requestLog.length;
    const first = DatasetList.parse(await lister.list(target(sim, client), { requestId: requestId('a') }, emit));
    expect(first.source).toBe('network');
    expect(first.error).toBeNull();
    expect(first.datasets.map((d) => d.name)).toContain('Legal/Contracts 2024');
    expect(first.datasets.map((d) => d.name)).toContain('財務 レポート');
    // Every page request uses a page size under 100.
    const pages = sim.requestLog.slice(before).filter((r) => r.path.endsWith('/datasets'));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    for (const p of pages) expect(Number(p.query.pageSize)).toBeLessThan(100);
    // Progress: starts at 0, ends with every dataset, and is for this request only.
    expect(events[0]).toEqual({ requestId: requestId('a'), loaded: 0, pages: 0, retry: null });
    expect(events.at(-1)).toMatchObject({ requestId: requestId('a'), loaded: first.datasets.length, pages: pages.length, retry: null });

    await lister.settled();
    expect((await cache.read('p1'))?.datasets).toHaveLength(first.datasets.length);

    const again = collect();
    const count = sim.requestLog.length;
    const second = await lister.list(target(sim, client), { requestId: requestId('b') }, again.emit);
    expect(second.source).toBe('cache');
    expect(second.fetchedAt).toBe(first.fetchedAt);
    expect(second.datasets).toHaveLength(first.datasets.length);
    expect(sim.requestLog.length).toBe(count);
    expect(again.events).toEqual([]);
  });

  it('reads the cache from disk after a restart (a new lister)', async () => {
    await lister.list(target(sim, client), { requestId: requestId('c') }, () => {});
    await lister.settled();
    const restarted = createDatasetLister({ cache, log });
    const count = sim.requestLog.length;
    const list = await restarted.list(target(sim, client), { requestId: requestId('d') }, () => {});
    expect(list.source).toBe('cache');
    expect(sim.requestLog.length).toBe(count);
  });

  it('refresh goes to the network even with a cache', async () => {
    await lister.list(target(sim, client), { requestId: requestId('e') }, () => {});
    const count = sim.requestLog.length;
    const list = await lister.list(target(sim, client), { requestId: requestId('f'), refresh: true }, () => {});
    expect(list.source).toBe('network');
    expect(sim.requestLog.length).toBeGreaterThan(count);
  });

  it('says "rate limited" with the wait while a 429 is retried, then completes', async () => {
    sim.faults.set({ rateLimit: { count: 2, retryAfter: 1, path: '/datasets' } });
    const { events, emit } = collect();
    const list = await lister.list(target(sim, client), { requestId: requestId('g'), refresh: true }, emit);
    expect(list.source).toBe('network');
    expect(list.datasets.length).toBeGreaterThan(30);
    const retries = events.filter((e) => e.retry);
    expect(retries).toHaveLength(2);
    expect(retries[0].retry).toEqual({ attempt: 1, waitMs: 1000, reason: 'rate limited' });
    // After the wait, the next event clears it.
    expect(events.at(-1)!.retry).toBeNull();
  });

  it('server-side filters send the query, skip the cache and never replace it', async () => {
    await lister.list(target(sim, client), { requestId: requestId('h') }, () => {});
    await lister.settled();
    const full = (await cache.read('p1'))!.datasets.length;
    const list = await lister.list(target(sim, client), { requestId: requestId('i'), server: { nameContains: 'office', statuses: ['healthy'] } }, () => {});
    expect(list.source).toBe('network');
    expect(list.datasets.map((d) => d.name).sort()).toEqual(['München Office', 'Tokyo 東京 Office']);
    const sent = sim.requestLog.at(-1)!;
    expect(sent.query.nameSubstring).toBe('office');
    // Gaia's status values are undocumented: the health filter is applied here, not sent.
    expect(sent.query.statuses).toBeUndefined();
    await lister.settled();
    expect((await cache.read('p1'))!.datasets).toHaveLength(full);
  });

  it('a refused key is an error even with a cache (never hidden behind the old list)', async () => {
    await lister.list(target(sim, client), { requestId: requestId('j') }, () => {});
    sim.faults.set({ bodyOverride: { status: 403, body: { message: 'Forbidden' }, path: '/datasets' } });
    const err = await caught(lister.list(target(sim, client), { requestId: requestId('k'), refresh: true }, () => {}));
    expect(err.info.kind).toBe('forbidden');
  });

  it('cancel aborts the call with that requestId', async () => {
    sim.faults.set({ latencyMs: 300 });
    const { events, emit } = collect();
    const pending = lister.list(target(sim, client), { requestId: requestId('l'), refresh: true }, emit);
    await new Promise((r) => setTimeout(r, 50));
    expect(lister.cancel(requestId('other'))).toBe(false);
    expect(lister.cancel(requestId('l'))).toBe(true);
    const err = await caught(pending);
    expect(err.info.kind).toBe('aborted');
    expect(lister.cancel(requestId('l'))).toBe(false);
    expect(events.every((e) => e.loaded === 0)).toBe(true);
    await lister.settled();
    expect(await cache.read('p1')).toBeNull();
  });
});

describe('pages as they arrive', () => {
  type Page = EventPayload<'gaia:datasets.page'>;
  const cacheFile = () => path.join(dir, 'cache', 'datasets-p1.json');

  it('sends the first page at once, then the rest in order, each checked; the answer only counts them', async () => {
    const sim = await startSimulator({ datasets: 1000 });
    const client = simClient(sim, log);
    try {
      const pages: Page[] = [];
      const progress: Progress[] = [];
      // Throttled like the app (100 ms): a slow Gaia, so batches hold several pages.
      sim.faults.set({ latencyMs: 40 });
      const throttled = createDatasetLister({ cache, log });
      const list = await throttled.list(target(sim, client), { requestId: requestId('pg'), pages: true }, (p) => progress.push(p), (p) => {
        pages.push(p);
        return events['gaia:datasets.page'].safeParse(p).success;
      });
      expect(list.streamed).toBe(1000);
      expect(list.datasets).toEqual([]);
      expect(DatasetList.safeParse(list).success).toBe(true);
      // The first batch is the first page alone, sent before the second page was asked for.
      expect(pages[0]).toMatchObject({ requestId: requestId('pg'), offset: 0 });
      expect(pages[0].datasets).toHaveLength(99);
      expect(pages.length).toBeLessThan(11);
      let offset = 0;
      for (const p of pages) {
        expect(p.offset).toBe(offset);
        offset += p.datasets.length;
      }
      expect(offset).toBe(1000);
      expect(new Set(pages.flatMap((p) => p.datasets.map((d) => d.name))).size).toBe(1000);
      await throttled.settled();
      expect((await cache.read('p1'))?.datasets).toHaveLength(1000);
    } finally {
      await client.close();
      await sim.stop();
    }
  });

  it('a page the contract refuses fails the list, and nothing is cached', async () => {
    const sim = await startSimulator();
    const client = simClient(sim, log);
    try {
      const err = await caught(lister.list(target(sim, client), { requestId: requestId('bad'), pages: true }, () => {}, () => false));
      expect(err.info.kind).toBe('invalid-response');
      await lister.settled();
      expect(await cache.read('p1')).toBeNull();
    } finally {
      await client.close();
      await sim.stop();
    }
  });

  it('a refresh that brings back the same list does not rewrite the file, nor log it; a changed list does both', async () => {
    // The demo corpus: the same list every time (generated ones move their times with the clock).
    const sim = await startSimulator();
    const client = simClient(sim, log);
    const listLines = () => log.raw.filter((l) => l.startsWith('datasets: ') && l.includes('fetched from Gaia')).length;
    try {
      const linesBefore = listLines();
      await lister.list(target(sim, client), { requestId: requestId('w1'), refresh: true, pages: true }, () => {}, () => true);
      await lister.settled();
      expect(listLines()).toBe(linesBefore + 1);
      const first = statSync(cacheFile()).mtimeMs;
      await new Promise((r) => setTimeout(r, 30));
      const again = await lister.list(target(sim, client), { requestId: requestId('w2'), refresh: true, pages: true }, () => {}, () => true);
      await lister.settled();
      expect(again.streamed).toBe(36);
      expect(statSync(cacheFile()).mtimeMs).toBe(first);
      expect(listLines()).toBe(linesBefore + 1);
      // The time in memory moved on: a cache answer now says when it was last fetched.
      const cached = await lister.list(target(sim, client), { requestId: requestId('w3') }, () => {});
      expect(cached.fetchedAt).toBe(again.fetchedAt);

      // Gaia's list changes (a dataset is renamed): the file is written again.
      sim.faults.set({ bodyOverride: { status: 200, body: { datasets: [{ name: 'Only one now', id: 'x1' }] }, path: '/datasets' } });
      await lister.list(target(sim, client), { requestId: requestId('w4'), refresh: true, pages: true }, () => {}, () => true);
      await lister.settled();
      expect((await cache.read('p1'))?.datasets.map((d) => d.name)).toEqual(['Only one now']);
      expect(listLines()).toBe(linesBefore + 2);
    } finally {
      await client.close();
      await sim.stop();
    }
  });
});

describe('a 429 in the middle of paging', () => {
  it('waits, says so, and goes on from the same page: every dataset once', async () => {
    const sim = await startSimulator({ datasets: 500 });
    const client = simClient(sim, log);
    try {
      const events: Progress[] = [];
      let armed = false;
      const list = await lister.list(target(sim, client), { requestId: requestId('mid') }, (p) => {
        events.push(p);
        // After the second page, the next two requests are refused with Retry-After: 1.
        if (!armed && p.pages === 2) {
          armed = true;
          sim.faults.set({ rateLimit: { count: 2, retryAfter: 1, path: '/datasets' } });
        }
      });
      expect(list.datasets).toHaveLength(500);
      expect(new Set(list.datasets.map((d) => d.name)).size).toBe(500);
      const retries = events.filter((e) => e.retry);
      expect(retries.map((e) => [e.pages, e.retry!.attempt, e.retry!.waitMs])).toEqual([
        [2, 1, 1000],
        [2, 2, 1000],
      ]);
      expect(events.at(-1)).toMatchObject({ loaded: 500, pages: 6, retry: null });
    } finally {
      await client.close();
      await sim.stop();
    }
  });
});

describe('cancel races', () => {
  it('a cancel that overtakes its list call still stops it, before any request (and while the cache is read)', async () => {
    const sim = await startSimulator();
    const client = simClient(sim, log);
    try {
      expect(lister.cancel(requestId('early'))).toBe(false);
      const count = sim.requestLog.length;
      const err = await caught(lister.list(target(sim, client), { requestId: requestId('early') }, () => {}));
      expect(err.info.kind).toBe('aborted');
      expect(sim.requestLog.length).toBe(count);

      // Cancelled while the cache file is being read: no fetch follows.
      const pending = lister.list(target(sim, client), { requestId: requestId('reading') }, () => {});
      expect(lister.cancel(requestId('reading'))).toBe(true);
      expect((await caught(pending)).info.kind).toBe('aborted');
      await new Promise((r) => setTimeout(r, 100));
      expect(sim.requestLog.length).toBe(count);

      // And the next call with a fresh id runs normally.
      const list = await lister.list(target(sim, client), { requestId: requestId('after') }, () => {});
      expect(list.datasets.length).toBe(36);
    } finally {
      await client.close();
      await sim.stop();
    }
  });
});

describe('offline', () => {
  it('answers the cached list with the network error when Gaia cannot be reached, and fails without a cache', async () => {
    const sim = await startSimulator();
    const client = simClient(sim, log);
    try {
      const online = await lister.list(target(sim, client), { requestId: requestId('m') }, () => {});
      await lister.settled();
      await sim.stop();
      const offline = await lister.list(target(sim, client), { requestId: requestId('n'), refresh: true }, () => {});
      expect(offline.source).toBe('cache');
      expect(offline.fetchedAt).toBe(online.fetchedAt);
      expect(offline.datasets).toHaveLength(online.datasets.length);
      expect(offline.error?.kind).toMatch(/connection-refused|connection-reset|network/);

      // Another profile has no cache: the error itself.
      const err = await caught(lister.list(target(sim, client, 'p2'), { requestId: requestId('o') }, () => {}));
      expect(err.info.kind).toMatch(/connection-refused|connection-reset|network/);

      // Server-side filters never fall back to the full cached list.
      const filtered = await caught(lister.list(target(sim, client), { requestId: requestId('p'), server: { nameContains: 'x' } }, () => {}));
      expect(filtered.info.kind).toMatch(/connection-refused|connection-reset|network/);
    } finally {
      await client.close();
      await sim.stop().catch(() => {});
    }
  });

  it('a fresh lister reads the file cache when offline', async () => {
    const sim = await startSimulator();
    const client = simClient(sim, log);
    try {
      await lister.list(target(sim, client), { requestId: requestId('q') }, () => {});
      await lister.settled();
      await sim.stop();
      const restarted = createDatasetLister({ cache, log });
      const offline = await restarted.list(target(sim, client), { requestId: requestId('r'), refresh: true }, () => {});
      expect(offline.source).toBe('cache');
      expect(offline.error).not.toBeNull();
    } finally {
      await client.close();
    }
  });
});

describe('100,000 datasets', () => {
  it('follows all 1,011 pages, with throttled progress, and the contract accepts the answer', async () => {
    const sim = await startSimulator({ datasets: 100_000 });
    const client = simClient(sim, log);
    const throttled = createDatasetLister({ cache, log });
    try {
      const { events, emit } = collect();
      const list = await throttled.list(target(sim, client), { requestId: requestId('s') }, emit);
      expect(list.datasets).toHaveLength(100_000);
      expect(new Set(list.datasets.map((d) => d.name)).size).toBe(100_000);
      expect(events.at(-1)).toMatchObject({ loaded: 100_000, pages: 1011 });
      // Throttled: far fewer events than pages, but still counting up.
      expect(events.length).toBeLessThan(1011);
      expect(events.length).toBeGreaterThan(2);
      expect(DatasetList.safeParse(list).success).toBe(true);
      await throttled.settled();
      expect((await cache.read('p1'))?.datasets).toHaveLength(100_000);
    } finally {
      await client.close();
      await sim.stop();
    }
  }, 120_000);
});
