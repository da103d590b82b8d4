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
 * - With `pages`, fetched datasets go out on gaia:datasets.page as they arrive (the first
 *   page at once, then batched like progress), each batch checked against the contract
 *   on its way out; the answer then carries only their count, so a list crosses once.
 * - A refresh that brings back the list already on disk does not rewrite the file
 *   (unless the file's time is more than REWRITE_AFTER_MS old): the common refresh costs
 *   no disk write, and no log line unless it was slow. The file is still written
 *   atomically whenever it is written.
 *
 * 100,000 datasets go through here: nothing below touches each dataset beyond copying
 * the array and, on a refresh, one field-by-field comparison with the list held.
 */
import { isKindIn, type AppErrorInfo, type DatasetList, type DatasetSummary, type EventPayload, type ValidRequest } from '../../../preload/contract';
import { appError, toErrorInfo } from '../errors';
import type { DatasetCache } from './cache';
import { isFromPlace, placeOf, type PlacedProfile } from './place';
import type { DatasetQuery, GaiaClient } from '../gaia/client';
import type { Log } from '../platform/log';

type ListRequest = ValidRequest<'gaia:datasets.list'>;
type Progress = EventPayload<'gaia:datasets.progress'>;
type Page = EventPayload<'gaia:datasets.page'>;
/** Sends one batch of datasets; false when it failed the contract check and was not sent. */
export type PageSink = (payload: Page) => boolean | void;

/** An unchanged list is still rewritten when the file's time is older than this, so its age stays roughly right after a restart. */
export const REWRITE_AFTER_MS = 5 * 60_000;

export interface ListTarget {
  /** The profile the list belongs to; its cache is keyed on the id. */
  profile: PlacedProfile;
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
  list(target: ListTarget, request: ListRequest, emit: (payload: Progress) => void, sendPage?: PageSink): Promise<DatasetList>;
  /** Aborts the list call with this requestId; false when none is running. */
  cancel(requestId: string): boolean;
  /** Resolves when cache writes started so far have finished (tests, shutdown). */
  settled(): Promise<void>;
}

interface Memo {
  key: string;
  fetchedAt: number;
  datasets: DatasetSummary[];
  /** The fetchedAt of the file on disk (null: not written yet). */
  writtenAt: number | null;
}

/** A list that took this long is logged even when it came back unchanged. */
export const SLOW_LIST_MS = 1000;

/** Cancels remembered for list calls that had not arrived yet. */
const MAX_EARLY_CANCELS = 64;

/** A memo is only good for the same profile talking to the same place. */
const memoKey = placeOf;

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Field by field: the contract's DatasetSummary has no nested objects beyond a string list. */
export function sameDatasets(a: readonly DatasetSummary[], b: readonly DatasetSummary[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.id !== y.id ||
      x.name !== y.name ||
      x.description !== y.description ||
      x.numObjects !== y.numObjects ||
      x.numQueries !== y.numQueries ||
      x.health !== y.health ||
      x.progress !== y.progress ||
      x.lastIndexedAt !== y.lastIndexedAt ||
      !sameStrings(x.dataSources, y.dataSources)
    )
      return false;
  }
  return true;
}

/** The list call was cancelled: the one wording. */
const cancelled = () => appError('aborted', 'Loading the dataset list was cancelled.', 'Refresh when you are ready.');

function hasServerFilter(server: ListRequest['server']): server is NonNullable<ListRequest['server']> {
  return Boolean(server && (server.namePrefix || server.nameContains || (server.statuses && server.statuses.length > 0)));
}

function queryOf(server: NonNullable<ListRequest['server']>): DatasetQuery {
  const query: DatasetQuery = {};
  const { namePrefix, nameContains, statuses } = server;
  if (namePrefix) query.namePrefix = namePrefix;
  if (nameContains) query.nameContains = nameContains;
  if (statuses?.length) query.statuses = statuses;
  return query;
}

/**
 * One list call's progress and page batches. A class, not closures made on every call:
 * the common refresh (one page, nothing changed) is mostly this bookkeeping.
 */
class ListRun {
  /** Datasets not sent yet, and when the last batch went: the first page goes at once. */
  private batch: DatasetSummary[] = [];
  private sentCount = 0;
  private lastBatchAt = -Infinity;
  private lastSent = 0;
  lastLoaded = -1;
  private retrying = false;
  pagesSoFar = 0;
  loadedSoFar = 0;

  constructor(
    private readonly requestId: string,
    private readonly emit: (payload: Progress) => void,
    private readonly sendPage: PageSink | null,
    private readonly now: () => number,
    private readonly interval: number,
  ) {}

  flush() {
    if (!this.sendPage || this.batch.length === 0) return;
    this.sendBatch(this.batch);
    this.batch = [];
  }

  private sendBatch(datasets: DatasetSummary[]) {
    if (datasets.length === 0) return;
    const payload: Page = { requestId: this.requestId, offset: this.sentCount, datasets };
    if (this.sendPage!(payload) === false) {
      throw appError('invalid-response', 'Gaia sent a dataset list the app could not check.', 'Try again. If it keeps happening, copy diagnostics from Settings and report it.');
    }
    this.sentCount += datasets.length;
    this.lastBatchAt = this.now();
  }

  send(loaded: number, pages: number, retry: Progress['retry'], force: boolean) {
    const t = this.now();
    if (!force && t - this.lastSent < this.interval) return;
    this.lastSent = t;
    this.lastLoaded = loaded;
    this.emit({ requestId: this.requestId, loaded, pages, retry });
  }

  page(loaded: number, pages: number, page: DatasetSummary[]) {
    if (this.sendPage) {
      const due = this.now() - this.lastBatchAt >= this.interval;
      // Nothing waiting and due now (the first page, say): the page goes as it came, not copied into the batch first.
      if (due && this.batch.length === 0) this.sendBatch(page);
      else {
        for (const d of page) this.batch.push(d);
        if (due) this.flush();
      }
    }
    this.loadedSoFar = loaded;
    this.pagesSoFar = pages;
    // After a wait, say at once that it is over.
    this.send(loaded, pages, null, this.retrying);
    this.retrying = false;
  }

  retry(info: { attempt: number; waitMs: number; reason: string }) {
    this.retrying = true;
    this.send(this.loadedSoFar, this.pagesSoFar, { attempt: info.attempt, waitMs: info.waitMs, reason: info.reason }, true);
  }

  /** The client's callbacks, as this run's own. */
  readonly onPage = (loaded: number, pages: number, page: DatasetSummary[]) => this.page(loaded, pages, page);
  readonly onRetry = (info: { attempt: number; waitMs: number; reason: string }) => this.retry(info);
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
    // A list that ended on the old server after the connection moved is not this place's.
    if (!stored || !isFromPlace(stored, key)) return null;
    memo = { key, fetchedAt: stored.fetchedAt, datasets: stored.datasets, writtenAt: stored.fetchedAt };
    return memo;
  };

  /** `checked`: every dataset already passed the contract check (as page events). False when the list on disk was already this one. */
  const remember = (profile: ListTarget['profile'], datasets: DatasetSummary[], fetchedAt: number, checked: boolean): boolean => {
    const key = memoKey(profile);
    const held = memo?.key === key ? memo : null;
    if (held && held.writtenAt !== null && fetchedAt - held.writtenAt < REWRITE_AFTER_MS && sameDatasets(held.datasets, datasets)) {
      // Same list as on disk: only its time in memory moves on (and the copy held is kept).
      held.fetchedAt = fetchedAt;
      return false;
    }
    // Counted as written once queued: writes run in order, so the next refresh compares with what the file will hold.
    const entry: Memo = { key, fetchedAt, datasets, writtenAt: fetchedAt };
    memo = entry;
    // The answer does not wait for the disk; a failed write is only logged (it is a cache).
    const write = deps.cache.write(profile.id, datasets, fetchedAt, { checked, place: key }).catch((err: unknown) => {
      entry.writtenAt = null;
      deps.log.warn('the dataset list could not be cached', toErrorInfo(err).message);
    });
    writes.add(write);
    void write.finally(() => writes.delete(write));
    return true;
  };

  return {
    async list(target, request, emit, sendPage) {
      const { profile } = target;
      const filtered = hasServerFilter(request.server);
      // Registered before anything is awaited, so a cancel never slips in unnoticed.
      const controller = new AbortController();
      running.get(request.requestId)?.abort();
      running.set(request.requestId, controller);
      if (cancelledEarly.delete(request.requestId)) controller.abort();
      const started = now();
      let done = false;
      /** Gaia was asked: only then may something be left in flight for the abort below (an abort builds a DOMException and an event). */
      let fetching = false;
      try {
        if (!request.refresh && !filtered) {
          const hit = await cached(profile);
          if (controller.signal.aborted) throw cancelled();
          if (hit) return { datasets: hit.datasets, fetchedAt: hit.fetchedAt, source: 'cache', error: null };
        }
        if (controller.signal.aborted) throw cancelled();
        const paged = request.pages && sendPage ? sendPage : null;
        // The fetch, in line (not a function awaited here): the common refresh is one page, and each async layer was a promise more per call.
        const run = new ListRun(request.requestId, emit, paged, now, interval);
        run.send(0, 0, null, true);
        fetching = true;
        const datasets = await target.client.listAllDatasets(filtered ? queryOf(request.server!) : {}, { signal: controller.signal, onPage: run.onPage, onRetry: run.onRetry });
        run.flush();
        if (run.lastLoaded !== run.loadedSoFar) run.send(run.loadedSoFar, run.pagesSoFar, null, true);
        const pages = run.pagesSoFar;
        const fetchedAt = now();
        const changed = filtered || remember(profile, datasets, fetchedAt, paged !== null);
        // One line for the whole list (its pages are not logged one by one), when it says
        // something: a new or changed list, a filtered one, or a slow one. A quick refresh
        // that brought back the list already held writes nothing, to the log or the cache.
        const took = fetchedAt - started;
        if (changed || took >= SLOW_LIST_MS) {
          deps.log.info(`datasets: ${datasets.length} fetched from Gaia (GET /datasets, ${pages} page${pages === 1 ? '' : 's'}) in ${took} ms${filtered ? ' (filtered on the server)' : changed ? '' : ', unchanged'}`);
        }
        done = true;
        if (paged) return { datasets: [], fetchedAt, source: 'network', error: null, streamed: datasets.length };
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
        // A page asked for ahead of a failure stops with the call.
        if (!done && fetching) controller.abort();
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
