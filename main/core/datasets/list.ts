/**
 * The dataset list as the app shows it: every page of GET /datasets, with progress, a
 * cancel per request, and the last full list per profile kept (in memory and in the
 * data dir) so the list shows at once — and still shows, marked, when Gaia cannot be
 * reached.
 *
 * - Without `refresh`, a cached list is answered as it is (`source: 'cache'`).
 * - With `refresh` (or no cache yet), every page is fetched again. Progress goes out on
 *   gaia:datasets.progress (throttled; a rate-limit wait is sent at once, so the UI can
 *   say "rate limited, retrying in 4 s").
 * - When the network fails (DNS, refused, timeout, TLS, a proxy, a busy Gaia…) and a
 *   cached list exists, that list is answered with `error` set: the UI says "offline —
 *   showing the list fetched 3 hours ago". A refused key (401/403) is never hidden so.
 * - Server-side filters bypass the cache both ways: they are not answered from it, and
 *   their (partial) result is never stored as "the list".
 *
 * 100,000 datasets go through here: nothing below touches each dataset beyond copying
 * the array.
 */
import { isKindIn, type AppErrorInfo, type DatasetList, type DatasetSummary, type EventPayload, type ValidRequest } from '../../../preload/contract';
import { appError, toErrorInfo } from '../errors';
import type { DatasetCache } from './cache';
import type { DatasetQuery, GaiaClient } from '../gaia/client';
import type { Log } from '../platform/log';

type ListRequest = ValidRequest<'gaia:datasets.list'>;
type Progress = EventPayload<'gaia:datasets.progress'>;

export interface ListTarget {
  /** The profile the list belongs to; its cache is keyed on the id. */
  profile: { id: string; baseUrl: string; securityContext?: string | null };
  client: Pick<GaiaClient, 'listAllDatasets'>;
}

export interface DatasetListerDeps {
  cache: DatasetCache;
  log: Pick<Log, 'info' | 'warn'>;
  now?: () => number;
  /** Least time between two progress events (a retry wait is always sent at once). */
  progressIntervalMs?: number;
}

export interface DatasetLister {
  list(target: ListTarget, request: ListRequest, emit: (payload: Progress) => void): Promise<DatasetList>;
  /** Aborts the list call with this requestId; false when none is running. */
  cancel(requestId: string): boolean;
  /** Resolves when cache writes started so far have finished (tests, shutdown). */
  settled(): Promise<void>;
}

interface Memo {
  key: string;
  fetchedAt: number;
  datasets: DatasetSummary[];
}

/** Cancels remembered for list calls that had not arrived yet. */
const MAX_EARLY_CANCELS = 64;

/** A memo is only good for the same profile talking to the same place. */
const memoKey = (p: ListTarget['profile']) => `${p.id}\n${p.baseUrl}\n${p.securityContext ?? ''}`;

function hasServerFilter(server: ListRequest['server']): server is NonNullable<ListRequest['server']> {
  return Boolean(server && (server.namePrefix || server.nameContains || (server.statuses && server.statuses.length > 0)));
}

export function createDatasetLister(deps: DatasetListerDeps): DatasetLister {
  const now = deps.now ?? Date.now;
  const interval = deps.progressIntervalMs ?? 100;
  const running = new Map<string, AbortController>();
  const cancelledEarly = new Set<string>();
  const writes = new Set<Promise<void>>();
  // The last full list of one profile, so going back to the page does not re-read a
  // file of 100,000 datasets. Only one: the app shows one profile at a time.
  let memo: Memo | null = null;

  const cached = async (profile: ListTarget['profile']): Promise<Memo | null> => {
    const key = memoKey(profile);
    if (memo?.key === key) return memo;
    const stored = await deps.cache.read(profile.id);
    if (!stored) return null;
    memo = { key, fetchedAt: stored.fetchedAt, datasets: stored.datasets };
    return memo;
  };

  const remember = (profile: ListTarget['profile'], datasets: DatasetSummary[], fetchedAt: number) => {
    memo = { key: memoKey(profile), fetchedAt, datasets };
    // The answer does not wait for the disk; a failed write is only logged (it is a cache).
    const write = deps.cache.write(profile.id, datasets, fetchedAt).catch((err: unknown) => {
      deps.log.warn('the dataset list could not be cached', toErrorInfo(err).message);
    });
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };

  const fetchAll = async (target: ListTarget, request: ListRequest, emit: (payload: Progress) => void, signal: AbortSignal): Promise<DatasetSummary[]> => {
    const { requestId } = request;
    let lastSent = 0;
    let lastLoaded = -1;
    let retrying = false;
    const send = (loaded: number, pages: number, retry: Progress['retry'], force: boolean) => {
      const t = now();
      if (!force && t - lastSent < interval) return;
      lastSent = t;
      lastLoaded = loaded;
      emit({ requestId, loaded, pages, retry });
    };
    let pagesSoFar = 0;
    let loadedSoFar = 0;
    send(0, 0, null, true);
    const query: DatasetQuery = {};
    if (hasServerFilter(request.server)) {
      const { namePrefix, nameContains, statuses } = request.server;
      if (namePrefix) query.namePrefix = namePrefix;
      if (nameContains) query.nameContains = nameContains;
      if (statuses?.length) query.statuses = statuses;
    }
    const datasets = await target.client.listAllDatasets(query, {
      signal,
      onPage: (loaded, pages) => {
        loadedSoFar = loaded;
        pagesSoFar = pages;
        // After a wait, say at once that it is over.
        send(loaded, pages, null, retrying);
        retrying = false;
      },
      onRetry: (info) => {
        retrying = true;
        send(loadedSoFar, pagesSoFar, { attempt: info.attempt, waitMs: info.waitMs, reason: info.reason }, true);
      },
    });
    if (lastLoaded !== loadedSoFar) send(loadedSoFar, pagesSoFar, null, true);
    return datasets;
  };

  return {
    async list(target, request, emit) {
      const { profile } = target;
      const filtered = hasServerFilter(request.server);
      // Registered before anything is awaited, so a cancel never slips in unnoticed.
      const controller = new AbortController();
      running.get(request.requestId)?.abort();
      running.set(request.requestId, controller);
      if (cancelledEarly.delete(request.requestId)) controller.abort();
      const cancelled = () => appError('aborted', 'Loading the dataset list was cancelled.', 'Refresh when you are ready.');
      const started = now();
      try {
        if (!request.refresh && !filtered) {
          const hit = await cached(profile);
          if (controller.signal.aborted) throw cancelled();
          if (hit) return { datasets: hit.datasets, fetchedAt: hit.fetchedAt, source: 'cache', error: null };
        }
        if (controller.signal.aborted) throw cancelled();
        const datasets = await fetchAll(target, request, emit, controller.signal);
        const fetchedAt = now();
        deps.log.info(`datasets: ${datasets.length} fetched in ${fetchedAt - started} ms${filtered ? ' (filtered on the server)' : ''}`);
        if (!filtered) remember(profile, datasets, fetchedAt);
        return { datasets, fetchedAt, source: 'network', error: null };
      } catch (err) {
        if (controller.signal.aborted) throw cancelled();
        const info: AppErrorInfo = toErrorInfo(err);
        // Offline, or Gaia unwell: the cached list is still worth showing, marked with why.
        if (!filtered && isKindIn(info.kind, 'network', 'tls', 'unwell')) {
          const hit = await cached(profile);
          if (hit) {
            deps.log.warn(`datasets: ${info.kind}; answering the list cached at ${new Date(hit.fetchedAt).toISOString()}`);
            return { datasets: hit.datasets, fetchedAt: hit.fetchedAt, source: 'cache', error: info };
          }
        }
        throw err;
      } finally {
        if (running.get(request.requestId) === controller) running.delete(request.requestId);
      }
    },

    cancel(requestId) {
      const controller = running.get(requestId);
      if (!controller) {
        // The cancel may overtake its own list call (two requests in flight at once):
        // remember it, so that call stops as soon as it arrives.
        cancelledEarly.add(requestId);
        if (cancelledEarly.size > MAX_EARLY_CANCELS) cancelledEarly.delete(cancelledEarly.values().next().value!);
        return false;
      }
      controller.abort();
      running.delete(requestId);
      return true;
    },

    async settled() {
      while (writes.size) await Promise.all([...writes]);
    },
  };
}
