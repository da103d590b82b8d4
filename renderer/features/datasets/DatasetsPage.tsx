/**
 * Datasets: which datasets the user can ask, how healthy they are, what they are about.
 * The list comes from every page of GET /datasets (cached per profile, shown offline
 * with its age), row by row as its pages arrive; search, health filter and sort run
 * locally over precomputed keys and orders — on what has arrived, and the count says so
 * — so 500,000 datasets stay responsive; "Search in Gaia directly" hands the name and
 * health to Gaia instead, for tenants too big to list.
 *
 * One selection: a click selects that row (Ctrl/⌘+click adds or removes one, Shift+click
 * a range, the checkboxes toggle), the last row clicked is the active one, and the
 * details follow it. "Ask these" asks the selection.
 */
import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { RefreshCw, Search } from 'lucide-react';
import type { AppErrorInfo, DatasetHealth, DatasetList, Profile } from '../../../preload/contract';
import { useNavigation } from '../../navigation';
import { useSession } from '../../session';
import { useCommand, useFind } from '../../ui/commands';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { DatasetDetails } from './DatasetDetails';
import { DatasetTable } from './DatasetTable';
import { formatCount, formatExact, formatRelative, HEALTH_LABEL } from './format';
import { indexOfName, visibleRows, type HealthFilter, type Sort, type SortKey } from './rows';
import { datasetsStore, useDatasets, type Loading } from './store';
import { useFirstKeystrokes } from './useFirstKeystrokes';
import { useNextKeystroke } from './useNextKeystroke';
import './datasets.css';

/** Gaia's ask takes at most this many datasets. */
const MAX_ASK = 1000;
const SERVER_SEARCH_DELAY_MS = 400;
const SERVER_HINT = 'Finds datasets without loading the whole list';
const HEALTH_ORDER: DatasetHealth[] = ['healthy', 'indexing', 'warning', 'failed', 'unknown'];
/** Kinds that mean "no network", as opposed to Gaia answering badly. */
const OFFLINE_KINDS = new Set<AppErrorInfo['kind']>(['dns', 'connection-refused', 'connection-reset', 'timeout', 'network', 'proxy', 'stream-dropped']);

interface UiState {
  profileId: string;
  query: string;
  health: HealthFilter;
  sort: Sort;
  selected: ReadonlySet<string>;
  activeName: string | null;
  detailsOpen: boolean;
  serverMode: boolean;
}

/** What the page looked like when the user left it, so coming back finds it as it was. */
let remembered: UiState | null = null;
const freshUi = (profileId: string): UiState => ({
  profileId,
  query: '',
  health: 'all',
  sort: { key: 'name', dir: 'asc' },
  selected: new Set(),
  activeName: null,
  detailsOpen: false,
  serverMode: false,
});

/** The time, updated every `intervalMs` — and at once whenever `key` changes (e.g. a new list arrived). */
function useNow(intervalMs: number, enabled = true, key?: unknown): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    const first = setTimeout(() => setNow(Date.now()), 0);
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [intervalMs, enabled, key]);
  return now;
}

export function DatasetsPage() {
  const { list, active, error } = useSession();
  if (!list && !error) {
    return (
      <>
        <h1>Datasets</h1>
        <p className="ds-muted" role="status">
          Loading…
        </p>
      </>
    );
  }
  if (!active) return <NotConnected />;
  return <DatasetsView key={active.id} profile={active} />;
}

function NotConnected({ error }: { error?: AppErrorInfo }) {
  const { go } = useNavigation();
  return (
    <>
      <h1>Datasets</h1>
      <EmptyState
        title="Not connected"
        action={
          <button type="button" className="primary" onClick={() => go('connections')}>
            Go to Connections
          </button>
        }
      >
        <p>{error ? `${error.message} ${error.action}` : 'Connect to Gaia to see the datasets you can ask.'}</p>
      </EmptyState>
    </>
  );
}

/**
 * "12,400 of about 100,000 datasets", with a bar: the rows of a list still loading that are
 * on screen — the rows the health filter counts, so the two agree in every frame. Not the
 * core's own count (`loaded`), which runs ahead of the pages still on their way here. Null
 * before a refresh's first page: the previous list is still the one shown.
 */
export function arrivedText(loading: Loading): string | null {
  const got = loading.received;
  if (loading.purpose === 'refresh' && got === 0) return null;
  if (loading.expected !== null && loading.expected > 0) return `${formatCount(got)} of about ${formatCount(Math.max(loading.expected, got))} datasets`;
  return `${formatCount(got)} ${got === 1 ? 'dataset' : 'datasets'} so far`;
}

function LoadingStatus({ loading, onCancel, inline, extra }: { loading: Loading; onCancel(): void; inline: boolean; extra?: ReactNode }) {
  const retrying = loading.retry !== null;
  const now = useNow(250, retrying);
  const what = loading.purpose === 'server' ? 'Searching in Gaia…' : loading.purpose === 'refresh' ? 'Refreshing…' : 'Loading…';
  const seconds = loading.retry ? Math.max(0, Math.ceil((loading.retry.until - now) / 1000)) : 0;
  const got = loading.received;
  const pct = loading.expected ? Math.min(100, Math.round((got / Math.max(loading.expected, got, 1)) * 100)) : null;
  const arrived = arrivedText(loading);
  return (
    <div className={`ds-loading${inline ? ' ds-inline' : ''}`} role="status">
      <span className="ds-spinner" aria-hidden="true" />
      <span>
        {what} {loading.purpose !== 'server' && arrived}
      </span>
      {loading.purpose !== 'server' && (
        <span
          className={`ds-arrival${pct === null ? ' ds-arrival-unknown' : ''}`}
          role="progressbar"
          aria-label="Datasets loaded"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct ?? undefined}
          aria-valuetext={arrived ?? 'Waiting for the first page'}
        >
          <span className="ds-arrival-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
        </span>
      )}
      {loading.retry && (
        <span className="ds-retry">
          {loading.retry.reason === 'rate limited' ? 'Rate limited' : `Gaia is busy (${loading.retry.reason})`}, retrying {seconds > 0 ? `in ${seconds} s` : 'now'}…
        </span>
      )}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {extra}
    </div>
  );
}

function ListError({ error, onRetry }: { error: AppErrorInfo; onRetry(): void }) {
  const { go } = useNavigation();
  if (error.kind === 'not-connected') return <NotConnected error={error} />;
  if (error.kind === 'forbidden') {
    return (
      <EmptyState
        title="No permission to list datasets"
        action={
          <>
            <button type="button" onClick={onRetry}>
              Try again
            </button>{' '}
            <button type="button" onClick={() => go('connections')}>
              Go to Connections
            </button>
          </>
        }
      >
        <p>{error.message}</p>
        <p>Gaia refused to list datasets for this API key. Ask your Gaia administrator for access to the datasets you need, or connect with another key.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <ErrorNotice error={error} onRetry={onRetry} />
      {error.kind === 'unauthorized' && (
        <button type="button" onClick={() => go('connections')}>
          Go to Connections
        </button>
      )}
    </>
  );
}

/** The page's title row: its own memo, so a search keystroke leaves its time and icon alone. */
const PageHeader = memo(function PageHeader({ list, showUpdated, age, loading, onRefresh }: { list: DatasetList | null; showUpdated: boolean; age: string; loading: boolean; onRefresh(): void }) {
  return (
    <header className="ds-header">
      <h1>Datasets</h1>
      {list && showUpdated && (
        <span className="ds-updated">
          {/* Whether it came from Gaia now, from the core's memory or from the data dir, fetchedAt
              is when Gaia sent it. Not "Saved list": nobody saved it, and it read as a list the
              user had kept. Offline has its own banner. */}
          Updated{' '}
          <time dateTime={new Date(list.fetchedAt).toISOString()} title={formatExact(list.fetchedAt)}>
            {age}
          </time>
        </span>
      )}
      <span className="ds-spacer" />
      <button type="button" className="ds-refresh" onClick={onRefresh} disabled={loading} aria-keyshortcuts="F5 Control+R" title="Refresh the list (F5 or Ctrl+R)">
        <RefreshCw size={15} aria-hidden="true" className={loading ? 'ds-spin' : undefined} /> Refresh
      </button>
    </header>
  );
});

function DatasetsView({ profile }: { profile: Profile }) {
  const navigation = useNavigation();
  const state = useDatasets(profile.id);
  const now = useNow(30_000, true, state.full?.list);

  const [ui, setUi] = useState<UiState>(() => (remembered?.profileId === profile.id ? remembered : freshUi(profile.id)));
  useEffect(() => {
    remembered = ui;
  }, [ui]);
  const patch = useCallback((p: Partial<UiState>) => setUi((u) => ({ ...u, ...p })), []);
  const { query, health, sort, selected, activeName, detailsOpen, serverMode } = ui;
  // Not deferred: a keystroke narrows the previous result (rows.ts), well within a frame.
  const deferredQuery = query;
  const deferredHealth = health;

  // Server-side search: the name and health go to Gaia, after a pause in typing.
  useEffect(() => {
    if (!serverMode) return;
    const timer = setTimeout(() => {
      datasetsStore.search({
        nameContains: deferredQuery.trim() || undefined,
        statuses: deferredHealth !== 'all' && deferredHealth !== 'unknown' ? [deferredHealth] : undefined,
      });
    }, SERVER_SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [serverMode, deferredQuery, deferredHealth]);

  const shown = serverMode && state.server ? state.server : state.full;
  const table = shown?.table ?? null;
  const visible = useMemo(() => (table ? visibleRows(table, sort, deferredQuery, deferredHealth) : new Int32Array(0)), [table, sort, deferredQuery, deferredHealth]);

  const activeIndex = useMemo(() => {
    if (!table || activeName === null) return -1;
    const i = indexOfName(table, activeName);
    return i < 0 ? -1 : visible.indexOf(i);
  }, [table, visible, activeName]);
  const activeDataset = table && activeName !== null ? (table.datasets[indexOfName(table, activeName)] ?? null) : null;

  // Stable callbacks for the memoized table, reading the latest values through a ref.
  const latest = useRef({ table, visible });
  useLayoutEffect(() => {
    latest.current = { table, visible };
  }, [table, visible]);
  const lastToggled = useRef<number | null>(null);
  const serverHintId = useId();

  const onToggle = useCallback(
    (index: number, range: boolean) => {
      const { table: t, visible: v } = latest.current;
      if (!t) return;
      // Read now: the updater below runs later, after the ref has moved on.
      const anchor = lastToggled.current;
      setUi((u) => {
        const next = new Set(u.selected);
        const name = t.datasets[v[index]].name;
        const select = !next.has(name);
        const from = range && anchor !== null ? Math.min(anchor, index) : index;
        const to = range && anchor !== null ? Math.max(anchor, index) : index;
        for (let r = from; r <= to && r < v.length; r++) {
          const n = t.datasets[v[r]].name;
          if (select) next.add(n);
          else next.delete(n);
        }
        return { ...u, selected: next, activeName: name };
      });
      lastToggled.current = index;
    },
    [],
  );

  /** A click on a row: selects it alone (Ctrl/⌘ adds or removes it, Shift takes the range) and shows its details. */
  const onRowClick = useCallback((index: number, how: { add: boolean; range: boolean }) => {
    const { table: t, visible: v } = latest.current;
    if (!t || index < 0 || index >= v.length) return;
    if (how.add || how.range) {
      onToggle(index, how.range);
      setUi((u) => ({ ...u, detailsOpen: true }));
      return;
    }
    const name = t.datasets[v[index]].name;
    lastToggled.current = index;
    setUi((u) => ({ ...u, selected: new Set([name]), activeName: name, detailsOpen: true }));
  }, [onToggle]);

  const onToggleAll = useCallback((select: boolean) => {
    const { table: t, visible: v } = latest.current;
    if (!t) return;
    setUi((u) => {
      const next = new Set(u.selected);
      for (let r = 0; r < v.length; r++) {
        const n = t.datasets[v[r]].name;
        if (select) next.add(n);
        else next.delete(n);
      }
      return { ...u, selected: next };
    });
  }, []);

  const onActivate = useCallback((index: number, open: boolean) => {
    const { table: t, visible: v } = latest.current;
    if (!t || index < 0 || index >= v.length) return;
    const name = t.datasets[v[index]].name;
    setUi((u) => ({ ...u, activeName: name, detailsOpen: open ? true : u.detailsOpen }));
  }, []);

  const closeDetails = useCallback(() => patch({ detailsOpen: false }), [patch]);

  const onSort = useCallback(
    (key: SortKey) =>
      setUi((u) => ({
        ...u,
        // Names read A→Z first; numbers and times biggest and newest first.
        sort: u.sort.key === key ? { key, dir: u.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' ? 'asc' : 'desc' },
      })),
    [],
  );

  const refresh = useCallback(() => {
    if (serverMode && state.server) {
      datasetsStore.search({ ...state.server.filter }, true);
      return;
    }
    datasetsStore.refresh();
  }, [serverMode, state.server]);

  const listLoading = Boolean(state.loading && state.loading.purpose !== 'server');
  /** The shown list is still growing as pages arrive. */
  const arriving = listLoading && !serverMode;
  // Once the list is whole: a list still growing would be prepared again for every page.
  useFirstKeystrokes(listLoading ? null : table, sort);
  useNextKeystroke(listLoading ? null : table, sort, deferredQuery, deferredHealth);
  // F5 and Ctrl/⌘+R refresh the list while this page is open.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const isF5 = e.key === 'F5' && !e.ctrlKey && !e.metaKey && !e.altKey;
      const isCtrlR = (e.key === 'r' || e.key === 'R') && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
      if (!isF5 && !isCtrlR) return;
      e.preventDefault();
      // As the button: a list already loading is not started over.
      if (listLoading) return;
      refresh();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [refresh, listLoading]);

  // Ctrl/Cmd+F: the name search (there is none while the list has not loaded).
  const searchRef = useRef<HTMLInputElement>(null);
  useFind(() => {
    searchRef.current?.focus();
    searchRef.current?.select();
  });

  // The palette's dataset: selected alone with its details open. The palette lists the
  // full list, so a search or filter that hides it, or a server search, is left first.
  useCommand('open-dataset', ({ name }) => {
    const t = state.full?.table;
    const i = t ? indexOfName(t, name) : -1;
    if (i < 0) return;
    if (serverMode) datasetsStore.leaveServer();
    const hidden = serverMode || !visible.includes(i);
    setUi((u) => ({ ...u, ...(hidden ? { query: '', health: 'all' as const, serverMode: false } : {}), selected: new Set([name]), activeName: name, detailsOpen: true }));
  });

  const loadStats = useCallback(() => datasetsStore.loadStats(), []);

  const tableWrapRef = useRef<HTMLDivElement>(null);
  // The button goes with the selection, so focus goes on to the rows it was about, not to the page.
  const clearSelection = () => {
    patch({ selected: new Set() });
    tableWrapRef.current?.querySelector<HTMLElement>('[role="grid"]')?.focus();
  };
  const askSelected = () => navigation.ask({ datasetNames: [...selected] });
  const askOne = (name: string, question?: string) => navigation.ask(question ? { datasetNames: [name], question } : { datasetNames: [name] });

  const full = state.full;
  const loading = state.loading;
  const total = full?.list.datasets.length ?? 0;
  const list = full?.list ?? null;
  const age = list ? formatRelative(list.fetchedAt, now, 'long') : '';

  /** Gaia finds the names instead: a listing under way stops (what had arrived before it stays for later). */
  const searchOnServer = () => {
    datasetsStore.cancel();
    patch({ serverMode: true });
  };
  const serverInstead = (
    <button type="button" onClick={searchOnServer}>
      <Search size={15} aria-hidden="true" /> Search in Gaia without loading everything
    </button>
  );

  let body: ReactNode;
  if (!full && !serverMode && loading) {
    body = (
      <div className="ds-center">
        <LoadingStatus loading={loading} onCancel={() => datasetsStore.cancel()} inline={false} extra={serverInstead} />
      </div>
    );
  } else if (!full && !serverMode && state.error) {
    body = <ListError error={state.error} onRetry={() => datasetsStore.refresh()} />;
  } else if (!full && !serverMode) {
    body = (
      <EmptyState
        title={state.cancelled ? 'Loading was cancelled' : 'No list yet'}
        action={
          <>
            <button type="button" className="primary" onClick={() => datasetsStore.refresh()}>
              Load datasets
            </button>{' '}
            {serverInstead}
          </>
        }
      >
        <p>The full dataset list has not been loaded. On a very large tenant, Gaia can find datasets by name and health without loading them all.</p>
      </EmptyState>
    );
  } else if (full && total === 0 && !serverMode) {
    body = (
      <EmptyState
        title="No datasets yet"
        action={
          <button type="button" onClick={refresh}>
            Refresh
          </button>
        }
      >
        <p>
          There are no datasets for <strong>{profile.name}</strong> that this key can see. Datasets are created and indexed by a Gaia administrator in the Gaia console; once one
          exists, it shows here.
        </p>
      </EmptyState>
    );
  } else {
    const filtering = deferredQuery.trim() !== '' || deferredHealth !== 'all';
    body = (
      <>
        <div className="ds-toolbar">
          <span className="ds-search-box">
          <input
            ref={searchRef}
            type="search"
            className="ds-search"
            aria-label="Search datasets by name"
            placeholder={serverMode ? 'Search names in Gaia…' : 'Search by name…'}
            value={query}
            onChange={(e) => patch({ query: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && query) {
                e.preventDefault();
                patch({ query: '' });
              }
            }}
          />
          </span>
          <select aria-label="Filter by indexing health" value={health} onChange={(e) => patch({ health: e.target.value as HealthFilter })}>
            <option value="all">All health{serverMode || !full ? '' : ` (${formatCount(full.list.datasets.length)})`}</option>
            {HEALTH_ORDER.map((h) => (
              <option key={h} value={h}>
                {HEALTH_LABEL[h]}
                {serverMode || !full ? '' : ` (${formatCount(full.table.counts[h])})`}
              </option>
            ))}
          </select>
          {/* The hint is the checkbox's description, not part of its name: shown beside it on a
              wide window, a tooltip on a narrower one, read out by a screen reader at any width. */}
          <span className="ds-server-toggle">
            <label title={SERVER_HINT}>
              <input
                type="checkbox"
                aria-describedby={serverHintId}
                checked={serverMode}
                onChange={(e) => {
                  if (e.target.checked) return searchOnServer();
                  datasetsStore.leaveServer();
                  patch({ serverMode: false });
                }}
              />
              Search in Gaia directly
            </label>
            <span id={serverHintId} className="ds-hint">
              finds datasets without loading the whole list
            </span>
          </span>
          <span className="ds-spacer" />
          {/* One group, so on a narrow window the two wrap together and stay at the right. Shown
              only with a selection, as a desktop app's selection actions are: a greyed "Ask these
              (0)" read as a broken button, and the checkboxes already say rows can be chosen. */}
          {selected.size > 0 && (
            <span className="ds-actions">
              <button type="button" onClick={clearSelection}>
                Clear selection
              </button>
              <button
                type="button"
                className="primary"
                disabled={selected.size > MAX_ASK}
                title={selected.size > MAX_ASK ? `Gaia answers over at most ${formatCount(MAX_ASK)} datasets at once` : undefined}
                onClick={askSelected}
              >
                Ask these ({formatCount(selected.size)})
              </button>
            </span>
          )}
        </div>

        <div className={`ds-main${activeDataset && detailsOpen ? ' ds-with-details' : ''}`}>
          <div className="ds-table-wrap" ref={tableWrapRef}>
            {!table ? (
              <EmptyState title="Search in Gaia directly">
                <p>{loading ? 'Asking Gaia…' : 'Type part of a name, or choose a health, and Gaia finds the matching datasets without loading them all.'}</p>
              </EmptyState>
            ) : (
              <>
                <DatasetTable
                  table={table}
                  visible={visible}
                  sort={sort}
                  onSort={onSort}
                  selected={selected}
                  onToggle={onToggle}
                  onToggleAll={onToggleAll}
                  selectAllLimit={MAX_ASK}
                  activeIndex={activeIndex}
                  onActivate={onActivate}
                  onRowClick={onRowClick}
                  resetKey={`${deferredQuery}|${deferredHealth}|${sort.key}:${sort.dir}|${serverMode}`}
                  onEscape={closeDetails}
                  now={now}
                />
                {/* Over the grid, which stays (with its header, and its rows kept hidden): the keystroke
                    that brings matches back then fills rows in, instead of building the grid again. */}
                {visible.length === 0 && !(serverMode && loading) && (
                  <div className="ds-none">
                    <EmptyState
                      title={filtering ? 'No datasets match' : 'No datasets'}
                      action={
                        filtering ? (
                          <button type="button" onClick={() => patch({ query: '', health: 'all' })}>
                            Clear search and filter
                          </button>
                        ) : undefined
                      }
                    >
                      <p>
                        {deferredQuery.trim() ? `No dataset name contains “${deferredQuery.trim()}”` : 'No dataset'}
                        {deferredHealth !== 'all' ? ` with health “${HEALTH_LABEL[deferredHealth]}”` : ''}
                        {serverMode ? ' in Gaia.' : '.'}
                      </p>
                    </EmptyState>
                  </div>
                )}
              </>
            )}
          </div>
          {activeDataset && detailsOpen && (
            <DatasetDetails
              key={activeDataset.name}
              dataset={activeDataset}
              onClose={closeDetails}
              onAsk={(q) => askOne(activeDataset.name, q)}
              stats={state.stats}
              onNeedStats={loadStats}
              now={now}
              primary={selected.size === 0}
            />
          )}
        </div>
        {table && (
          <p className="ds-count" role="status" aria-live="polite">
            {serverMode && state.server
              ? `${formatCount(visible.length)} ${visible.length === 1 ? 'dataset matches' : 'datasets match'} in Gaia`
              : filtering
                ? `Showing ${formatCount(visible.length)} of ${formatCount(total)} datasets${arriving ? ' loaded so far' : ''}`
                : ((arriving && loading ? arrivedText(loading) : null) ?? `${formatCount(total)} ${total === 1 ? 'dataset' : 'datasets'}`)}
            {selected.size > 0 ? ` · ${formatCount(selected.size)} selected` : ''}
          </p>
        )}
      </>
    );
  }

  const offline = list?.error ?? null;
  return (
    <div className="ds-page">
      <PageHeader list={list} showUpdated={Boolean(list && !offline && !(arriving && loading?.purpose === 'initial'))} age={age} loading={listLoading} onRefresh={refresh} />

      {(full || serverMode) && loading && (
        // No "search in Gaia" button here: the toolbar's switch below does that, and stops this load.
        <LoadingStatus loading={loading} onCancel={() => datasetsStore.cancel()} inline />
      )}

      {list && offline && (
        <div className="ds-banner" role="status" data-kind={offline.kind}>
          <p>
            <strong>{OFFLINE_KINDS.has(offline.kind) || offline.kind.startsWith('tls-') ? 'Offline' : 'Gaia did not answer'}</strong> — showing the list fetched{' '}
            <time dateTime={new Date(list.fetchedAt).toISOString()} title={formatExact(list.fetchedAt)}>
              {age}
            </time>
            .
          </p>
          <p className="ds-muted">
            {offline.message} {offline.action}
          </p>
          <button type="button" onClick={refresh}>
            Try again
          </button>
        </div>
      )}

      {full && state.error && <ErrorNotice error={state.error} onRetry={refresh} />}

      {body}
    </div>
  );
}
