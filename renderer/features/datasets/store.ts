/**
 * The dataset list of the active profile, held outside React so a load that is under
 * way carries on (and lands) while the user is on another page, and coming back shows
 * the list at once. One list at a time: switching profiles cancels the old load and
 * starts over.
 *
 * Lists come progressively: the core sends datasets as their pages arrive
 * (gaia:datasets.page), and the shown list grows with them — the first page is on
 * screen while the rest are still on their way. The answer then only says how many
 * there were; if some pages went missing on the way (a dropped event stream), the
 * whole list is asked for once more, in one piece, from the core's memory.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { AppErrorInfo, DatasetHealth, DatasetList, EventPayload, Response } from '../../../preload/contract';
import { gaia } from '../../api';
import { toProblem } from '../../ui/errors';
import { appendToTable, buildTable, type Table } from './rows';

type StatusFilter = Exclude<DatasetHealth, 'unknown'>;

export interface ServerFilter {
  nameContains?: string;
  statuses?: StatusFilter[];
}

export interface Loading {
  requestId: string;
  /** What the load is for: the first list, a refresh over a shown list, or a server search. */
  purpose: 'initial' | 'refresh' | 'server';
  loaded: number;
  pages: number;
  /** Datasets on screen so far (as pages arrive). */
  received: number;
  /** How many there were last time, for "12,400 of about 100,000"; null when not known. */
  expected: number | null;
  /** Set while a rate-limit (or busy server) wait is happening; `until` is a local time. */
  retry: { attempt: number; waitMs: number; reason: string; until: number } | null;
}

export interface ListResult {
  list: DatasetList;
  table: Table;
}

export interface DatasetsState {
  profileId: string | null;
  /** The full list (network or cache). */
  full: ListResult | null;
  /** The answer to the last server-side search, and what it asked. */
  server: (ListResult & { filter: ServerFilter }) | null;
  loading: Loading | null;
  /** The last load's failure; a shown list stays as it was. */
  error: AppErrorInfo | null;
  /** The user cancelled the first load. */
  cancelled: boolean;
  /** Aggregate stats (GET /datasets/stats), fetched once per profile. */
  stats: Response<'gaia:datasets.stats'> | { error: AppErrorInfo } | 'loading' | null;
}

/** How long the pages may trail the answer (they travel separately in the preview) before the list is asked for again whole. */
const PAGES_GRACE_MS = 3000;

/** A cached list older than this is refreshed in the background when shown. */
export const STALE_AFTER_MS = 10 * 60_000;

const initial = (profileId: string | null): DatasetsState => ({
  profileId,
  full: null,
  server: null,
  loading: null,
  error: null,
  cancelled: false,
  stats: null,
});

function newRequestId(): string {
  const random = typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  return `ds-${random.replace(/[^A-Za-z0-9_-]/g, '')}`;
}


const sameFilter = (a: ServerFilter, b: ServerFilter) =>
  (a.nameContains ?? '') === (b.nameContains ?? '') && (a.statuses ?? []).join() === (b.statuses ?? []).join();

class DatasetsStore {
  private state: DatasetsState = initial(null);
  private readonly listeners = new Set<() => void>();
  private stopProgress: (() => void) | null = null;
  /** The list growing with the current load's pages, and whether one went missing. */
  private growing: { requestId: string; filter: ServerFilter | null; result: ListResult | null; broken: boolean; waiters: Array<() => void> } | null = null;

  readonly subscribe = (listener: () => void) => {
    this.listenForProgress();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = () => this.state;

  private set(patch: Partial<DatasetsState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Subscribed early and kept, so no progress event is missed (the preview's event stream connects lazily). */
  private listenForProgress() {
    if (this.stopProgress) return;
    this.stopProgress = gaia.datasets.onProgress((p: EventPayload<'gaia:datasets.progress'>) => {
      const loading = this.state.loading;
      if (!loading || loading.requestId !== p.requestId) return;
      this.set({
        loading: { ...loading, loaded: p.loaded, pages: p.pages, retry: p.retry ? { ...p.retry, until: Date.now() + p.retry.waitMs } : null },
      });
    });
    gaia.datasets.onPage((p: EventPayload<'gaia:datasets.page'>) => this.onPage(p));
  }

  private onPage(p: EventPayload<'gaia:datasets.page'>) {
    const g = this.growing;
    const loading = this.state.loading;
    if (!g || g.requestId !== p.requestId || !loading || loading.requestId !== p.requestId) return;
    const have = g.result?.table.datasets.length ?? 0;
    if (g.broken || p.offset !== have) {
      g.broken = true;
      return;
    }
    const table = g.result ? appendToTable(g.result.table, p.datasets) : buildTable(p.datasets.slice());
    const list: DatasetList = { datasets: table.datasets, fetchedAt: Date.now(), source: 'network', error: null };
    g.result = { list, table };
    const received = table.datasets.length;
    const patch: Partial<DatasetsState> = { loading: { ...loading, received } };
    if (loading.purpose === 'server') patch.server = { ...g.result, filter: g.filter ?? {} };
    else patch.full = g.result;
    this.set(patch);
    for (const wake of g.waiters.splice(0)) wake();
  }

  /** Resolves once `count` datasets of this load have arrived as pages (false if some went missing or time ran out). */
  private pagesArrived(requestId: string, count: number): Promise<boolean> {
    return new Promise((resolve) => {
      const started = Date.now();
      const check = () => {
        const g = this.growing;
        if (!g || g.requestId !== requestId || g.broken) return resolve(false);
        if ((g.result?.table.datasets.length ?? 0) >= count) return resolve(true);
        if (Date.now() - started > PAGES_GRACE_MS) return resolve(false);
        g.waiters.push(check);
        setTimeout(check, PAGES_GRACE_MS);
      };
      check();
    });
  }

  /** Shows this profile's list: from what is held, else loads it (cache first). */
  attach(profileId: string) {
    if (this.state.profileId !== profileId) {
      this.cancel();
      this.state = initial(profileId);
      void this.load('initial');
      return;
    }
    const { full, loading, error, cancelled } = this.state;
    if (!full && !loading && !error && !cancelled) void this.load('initial');
    else if (full && !loading && full.list.source === 'cache' && !full.list.error && Date.now() - full.list.fetchedAt > STALE_AFTER_MS) void this.load('refresh');
  }

  refresh() {
    void this.load(this.state.full ? 'refresh' : 'initial', true);
  }

  /** Server-side search; an empty filter shows the full list again. `again` asks even when this search is already shown. */
  search(filter: ServerFilter, again = false) {
    const empty = !filter.nameContains && !filter.statuses?.length;
    if (empty) {
      if (this.state.loading?.purpose === 'server') this.cancel();
      if (this.state.server) this.set({ server: null });
      return;
    }
    if (!again && this.state.server && sameFilter(this.state.server.filter, filter) && !this.state.loading) return;
    void this.load('server', true, filter);
  }

  /** Leaves server-side search: back to the full list. */
  leaveServer() {
    if (this.state.loading?.purpose === 'server') this.cancel();
    this.set({ server: null, error: null });
  }

  cancel() {
    const loading = this.state.loading;
    if (!loading) return;
    gaia.datasets.cancel({ requestId: loading.requestId }).catch(() => undefined);
    this.growing = null;
    // A cancelled load leaves the list as it was before it, not half of a new one.
    const before = this.before;
    this.before = null;
    const full = loading.purpose === 'server' ? this.state.full : before?.full ?? null;
    this.set({ loading: null, full, server: loading.purpose === 'server' ? null : this.state.server, cancelled: !full });
  }

  /** What was shown when the current load started, to go back to if it fails or is cancelled. */
  private before: { full: ListResult | null } | null = null;

  private async load(purpose: Loading['purpose'], refresh = false, server?: ServerFilter) {
    const profileId = this.state.profileId;
    if (!profileId) return;
    this.listenForProgress();
    if (this.state.loading) this.cancel();
    const requestId = newRequestId();
    const expected = purpose === 'server' ? null : (this.state.full?.list.datasets.length ?? null);
    this.before = { full: this.state.full };
    this.growing = { requestId, filter: server ?? null, result: null, broken: false, waiters: [] };
    this.set({ loading: { requestId, purpose, loaded: 0, pages: 0, received: 0, expected, retry: null }, error: null, cancelled: false });
    const current = () => this.state.profileId === profileId && this.state.loading?.requestId === requestId;
    try {
      let list = await gaia.datasets.list({ requestId, pages: true, ...(refresh ? { refresh: true } : {}), ...(server ? { server } : {}) });
      if (!current()) return;
      let grown: ListResult | null = null;
      if (list.streamed !== undefined) {
        if (await this.pagesArrived(requestId, list.streamed)) grown = this.growing?.result ?? null;
        if (!current()) return;
        if (!grown && list.streamed > 0) {
          // Some pages did not make it here: the core still has the list; ask for it whole.
          list = await gaia.datasets.list({ requestId: newRequestId(), ...(server ? { server } : {}) });
          if (!current()) return;
        }
      }
      const result: ListResult = grown
        ? { list: { ...list, datasets: grown.table.datasets }, table: grown.table }
        : { list, table: buildTable(list.datasets) };
      this.growing = null;
      this.before = null;
      if (server) {
        this.set({ server: { ...result, filter: server }, loading: null });
        return;
      }
      this.set({ full: result, loading: null });
      // A cached list is shown at once; an old one is then refreshed behind it.
      if (list.source === 'cache' && !list.error && Date.now() - list.fetchedAt > STALE_AFTER_MS) void this.load('refresh', true);
    } catch (err) {
      if (!current()) return;
      const info = toProblem(err);
      this.growing = null;
      const full = purpose === 'server' ? this.state.full : (this.before?.full ?? null);
      this.before = null;
      if (info.kind === 'aborted') {
        this.set({ loading: null, full, cancelled: !full });
        return;
      }
      this.set({ loading: null, full, error: info });
    }
  }

  /** GET /datasets/stats, once per profile. */
  loadStats() {
    const profileId = this.state.profileId;
    if (!profileId || this.state.stats) return;
    this.set({ stats: 'loading' });
    gaia.datasets.stats({}).then(
      (stats) => {
        if (this.state.profileId === profileId) this.set({ stats });
      },
      (err: unknown) => {
        if (this.state.profileId === profileId) this.set({ stats: { error: toProblem(err) } });
      },
    );
  }
}

export const datasetsStore = new DatasetsStore();

/** The list of this profile; attaching starts (or resumes) its load. */
export function useDatasets(profileId: string): DatasetsState {
  const state = useSyncExternalStore(datasetsStore.subscribe, datasetsStore.getSnapshot);
  useEffect(() => {
    datasetsStore.attach(profileId);
  }, [profileId]);
  // Until the effect runs, a state of another profile must not show.
  return state.profileId === profileId ? state : initial(profileId);
}
