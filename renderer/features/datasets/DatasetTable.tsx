/**
 * The dataset table: an ARIA grid whose rows are virtualized (only what is on screen
 * is in the DOM, so 100,000 datasets scroll like 30). The grid itself holds focus and
 * points at the active row (aria-activedescendant), so the keyboard works whichever
 * rows happen to be rendered:
 *   ↑ ↓ PageUp PageDown Home End  move · Space  select for asking · Enter  details
 *   Escape  close details · Ctrl/⌘+A  select all shown
 * A click selects the row (Ctrl/⌘+click adds or removes it, Shift+click a range).
 * While pages arrive the rows the user is looking at stay where they are: the row at
 * the top of the view is kept there, wherever arriving rows sort in.
 */
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { memo, useId, useLayoutEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { DatasetSummary } from '../../../preload/contract';
import { formatCount } from './format';
import { RowCells, type RowCellElements } from './rowCells';
import { indexOfName, type Sort, type SortKey, type Table } from './rows';
import { useFixedRows } from './useFixedRows';

export const ROW_HEIGHT = 40;
const HEADER_HEIGHT = 38;

export interface DatasetTableProps {
  table: Table;
  visible: Int32Array;
  sort: Sort;
  onSort(key: SortKey): void;
  selected: ReadonlySet<string>;
  /** Toggles the row at this visible index; with `range`, everything from the last toggled row. */
  onToggle(visibleIndex: number, range: boolean): void;
  /** Checks (or clears) every shown row. */
  onToggleAll(select: boolean): void;
  selectAllLimit: number;
  activeIndex: number;
  onActivate(visibleIndex: number, open: boolean): void;
  /** A click on a row (not its checkbox). */
  onRowClick(visibleIndex: number, how: { add: boolean; range: boolean }): void;
  /** Changes when the user asks for other rows (search, filter, sort): the view goes back to the top. Otherwise new rows join in place. */
  resetKey: string;
  onEscape(): void;
  now: number;
}

const COLUMNS: Array<{ label: string; className: string; sort?: SortKey; title?: string }> = [
  { label: 'Name', className: 'ds-c-name', sort: 'name' },
  { label: 'Objects', className: 'ds-c-num', sort: 'objects', title: 'Protected objects in the dataset' },
  { label: 'Queries', className: 'ds-c-num ds-c-queries', title: 'Questions asked of this dataset' },
  { label: 'Data sources', className: 'ds-c-sources' },
  { label: 'Indexing health', className: 'ds-c-health' },
  { label: 'Last indexed', className: 'ds-c-time', sort: 'lastIndexed' },
];

function ariaSort(sort: Sort, key: SortKey | undefined): 'ascending' | 'descending' | 'none' | undefined {
  if (!key) return undefined;
  if (sort.key !== key) return 'none';
  return sort.dir === 'asc' ? 'ascending' : 'descending';
}

/**
 * A row's checkbox. Named "Select <name>" through the name cell (aria-labelledby), so its
 * own props stay the same when the row shows another dataset: a search keystroke then
 * leaves the input alone, where React rewrites an input's name and type on every update.
 */
const RowCheck = memo(function RowCheck({ checked, index, labelledBy, onToggle }: { checked: boolean; index: number; labelledBy: string; onToggle(visibleIndex: number, range: boolean): void }) {
  return (
    <input
      type="checkbox"
      tabIndex={-1}
      aria-labelledby={labelledBy}
      checked={checked}
      onClick={(e: MouseEvent<HTMLInputElement>) => {
        e.stopPropagation();
        onToggle(index, e.shiftKey);
      }}
      onChange={() => undefined}
    />
  );
});

const Row = memo(function Row({
  index,
  id,
  checked,
  active,
  hidden,
  selectLabelId,
  rowCells,
  onToggle,
  onRowClick,
}: {
  index: number;
  id: string;
  checked: boolean;
  active: boolean;
  /** A position past the end of the list, kept (out of layout and of the accessibility tree) for when the list grows again. */
  hidden: boolean;
  /** The grid's one hidden "Select" word, the first half of each checkbox's name. */
  selectLabelId: string;
  /** Where the row leaves its cells' writer, by position, for the table to show its dataset. */
  rowCells: Map<number, RowCells>;
  onToggle(visibleIndex: number, range: boolean): void;
  onRowClick(visibleIndex: number, how: { add: boolean; range: boolean }): void;
}) {
  // The cells whose contents change with the dataset shown: elements made once per row (a
  // row keeps its position, so its id), which React then leaves alone. The table writes
  // them (RowCells), so a keystroke that shows other datasets renders no row again: React
  // only compares the rows' own attributes.
  const cells = useMemo(() => {
    const el = {} as RowCellElements;
    return {
      el,
      name: <div role="gridcell" id={`${id}-name`} className="ds-c-name ds-name" ref={(e) => void (e && (el.name = e))} />,
      objects: <div role="gridcell" className="ds-c-num" ref={(e) => void (e && (el.objects = e))} />,
      queries: <div role="gridcell" className="ds-c-num ds-c-queries" ref={(e) => void (e && (el.queries = e))} />,
      sources: <div role="gridcell" className="ds-c-sources" ref={(e) => void (e && (el.sources = e))} />,
      health: <div role="gridcell" className="ds-c-health" ref={(e) => void (e && (el.health = e))} />,
      time: <div role="gridcell" className="ds-c-time" ref={(e) => void (e && (el.time = e))} />,
    };
  }, [id]);
  // One writer for the row's life: it adds its text nodes to the cells when made.
  const made = useRef<RowCells | null>(null);
  useLayoutEffect(() => {
    const writer = (made.current ??= new RowCells(cells.el));
    rowCells.set(index, writer);
    return () => {
      if (rowCells.get(index) === writer) rowCells.delete(index);
    };
  }, [cells, index, rowCells]);
  return (
    <div
      role="row"
      id={hidden ? undefined : id}
      aria-rowindex={index + 2}
      aria-selected={checked}
      hidden={hidden}
      className={`ds-row${active ? ' ds-active' : ''}${checked ? ' ds-checked' : ''}`}
      onClick={(e) => onRowClick(index, { add: e.ctrlKey || e.metaKey, range: e.shiftKey })}
    >
      <div role="gridcell" className="ds-c-check">
        <RowCheck checked={checked} index={index} labelledBy={`${selectLabelId} ${id}-name`} onToggle={onToggle} />
      </div>
      {cells.name}
      {cells.objects}
      {cells.queries}
      {cells.sources}
      {cells.health}
      {cells.time}
    </div>
  );
});

/** The header row: its own memo, so a keystroke that leaves the sort and the "select all" box as they were does not draw its icons again. */
const TableHead = memo(function TableHead({
  sort,
  onSort,
  allShown,
  someShown,
  tooMany,
  empty,
  selectAllLimit,
  onToggleAll,
}: {
  sort: Sort;
  onSort(key: SortKey): void;
  allShown: boolean;
  someShown: boolean;
  tooMany: boolean;
  empty: boolean;
  selectAllLimit: number;
  onToggleAll(select: boolean): void;
}) {
  return (
    <div role="rowgroup" className="ds-head">
      <div role="row" aria-rowindex={1} className="ds-row ds-head-row">
        <div role="columnheader" className="ds-c-check">
          <input
            type="checkbox"
            aria-label="Select all shown"
            title={tooMany ? `Narrow the list to ${formatCount(selectAllLimit)} or fewer to select them all` : 'Select all shown'}
            disabled={tooMany || empty}
            checked={allShown}
            ref={(el) => {
              if (el) el.indeterminate = someShown;
            }}
            onChange={() => onToggleAll(!allShown)}
          />
        </div>
        {COLUMNS.map((c) => (
          <div key={c.label} role="columnheader" className={c.className} aria-sort={ariaSort(sort, c.sort)} title={c.title}>
            {c.sort ? (
              <button type="button" className="ds-sort-button" onClick={() => onSort(c.sort!)}>
                {c.label}
                <span className="ds-sort-arrow" aria-hidden="true">
                  {sort.key === c.sort ? sort.dir === 'asc' ? <ArrowUp size={13} /> : <ArrowDown size={13} /> : <ArrowUpDown size={13} />}
                </span>
              </button>
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
    </div>
  );
});

export const DatasetTable = memo(function DatasetTable(props: DatasetTableProps) {
  const { table, visible, sort, onSort, selected, onToggle, onToggleAll, selectAllLimit, activeIndex, onActivate, onRowClick, resetKey, onEscape, now } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const { first, last, slotsEnd, totalSize, scrollToIndex } = useFixedRows({ count: visible.length, rowHeight: ROW_HEIGHT, offset: HEADER_HEIGHT, overscan: 4, changeKey: resetKey, scrollRef });

  // The dataset at the top of the view and how far into it the view is, so rows that
  // arrive (sorting in above it or below) leave it where it is.
  const anchor = useRef<{ dataset: number; offset: number } | null>(null);
  // The scroll position as of the last scroll event: reading el.scrollTop after a render
  // would force a layout in the middle of the keystroke, before the frame's own.
  const scrolledTo = useRef(0);
  const readAnchor = () => {
    const el = scrollRef.current;
    if (!el) return;
    scrolledTo.current = el.scrollTop;
    if (visible.length === 0) return;
    const r = Math.min(visible.length - 1, Math.floor(el.scrollTop / ROW_HEIGHT));
    anchor.current = { dataset: visible[r], offset: el.scrollTop - r * ROW_HEIGHT };
  };

  // A new search, filter or sort starts at the top (unless it came with a dataset to show); a row made active (keyboard, click)
  // is scrolled into view; coming back to the page shows the active row again.
  const shape = useRef<{ resetKey: string; visible: Int32Array; active: number } | null>(null);
  useLayoutEffect(() => {
    const before = shape.current;
    shape.current = { resetKey, visible, active: activeIndex };
    const inRange = activeIndex >= 0 && activeIndex < visible.length;
    const el = scrollRef.current;
    if (!before) {
      if (inRange) scrollToIndex(activeIndex, 'center');
    } else if (before.resetKey !== resetKey) {
      anchor.current = null;
      // A dataset opened from elsewhere (the palette clears the search to show it) is scrolled to.
      if (before.active !== activeIndex && inRange) scrollToIndex(activeIndex, 'center');
      // Only when not there already: setting it forces a layout in the middle of the keystroke.
      else if (el && scrolledTo.current !== 0) el.scrollTop = 0;
    } else if (before.visible !== visible) {
      const a = anchor.current;
      if (el && a && scrolledTo.current > 0) {
        const r = visible.indexOf(a.dataset);
        if (r >= 0) el.scrollTop = r * ROW_HEIGHT + a.offset;
      }
    } else if (before.active !== activeIndex && inRange) {
      scrollToIndex(activeIndex, 'auto');
    }
  }, [activeIndex, visible, resetKey, scrollToIndex]);

  const rowId = (i: number) => `${baseId}-r${i}`;
  const selectLabelId = `${baseId}-select`;

  // The rows of positions not drawn now (past the end of the list, or overscan that waits
  // for idle time), with what they last showed: they stay in the DOM, hidden, so a
  // keystroke that narrows the list and the next that widens it again only change text,
  // where removing and re-creating ~20 elements per row was the slowest kind of
  // keystroke. Positions outside the view are let go.
  const lastShown = useRef(new Map<number, DatasetSummary>());
  const any = last >= first;
  const from = any ? first : Math.max(0, Math.min(visible.length, slotsEnd));
  const to = any ? last : from - 1;
  const spare: Array<[index: number, dataset: DatasetSummary, shown: boolean]> = [];
  for (const [index, dataset] of lastShown.current) {
    if (index < from || index > slotsEnd) lastShown.current.delete(index);
    else if (index > to) spare.push([index, dataset, false]);
  }
  const shown: typeof spare = [];
  for (let index = first; index <= last; index++) {
    const dataset = table.datasets[visible[index]];
    lastShown.current.set(index, dataset);
    shown.push([index, dataset, true]);
  }
  const rendered = activeIndex >= first && activeIndex <= last;
  const rows = [...shown, ...spare];
  // Each row's dataset, written into its cells once the rows are in the DOM (a row's own
  // effect has made its writer by then); a row showing what it showed writes nothing.
  const rowCells = useRef(new Map<number, RowCells>()).current;
  useLayoutEffect(() => {
    for (const [index, dataset] of rows) rowCells.get(index)?.show(dataset, now);
  });

  // Which datasets are shown, as a bitmap: the header checkbox then costs the size of the selection, not of the list.
  const shownMap = useMemo(() => {
    if (!selected.size) return null;
    const map = new Uint8Array(table.datasets.length);
    for (let r = 0; r < visible.length; r++) map[visible[r]] = 1;
    return map;
  }, [table, visible, selected.size > 0]); // eslint-disable-line react-hooks/exhaustive-deps
  let shownSelected = 0;
  if (shownMap) {
    for (const name of selected) {
      const i = indexOfName(table, name);
      if (i >= 0 && shownMap[i]) shownSelected++;
    }
  }
  const allShown = visible.length > 0 && shownSelected === visible.length;
  const someShown = shownSelected > 0 && !allShown;
  const tooMany = visible.length > selectAllLimit;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
    const last = visible.length - 1;
    const move = (to: number) => {
      e.preventDefault();
      if (last < 0) return;
      onActivate(Math.max(0, Math.min(last, to)), false);
    };
    const from = activeIndex < 0 ? -1 : activeIndex;
    switch (e.key) {
      case 'ArrowDown':
        return move(from + 1);
      case 'ArrowUp':
        return move(from < 0 ? 0 : from - 1);
      case 'PageDown':
        return move(from + page);
      case 'PageUp':
        return move(from - page);
      case 'Home':
        return move(0);
      case 'End':
        return move(last);
      case ' ':
        e.preventDefault();
        if (from >= 0) onToggle(from, e.shiftKey);
        return;
      case 'Enter':
        e.preventDefault();
        if (from >= 0) onActivate(from, true);
        return;
      case 'Escape':
        onEscape();
        return;
      case 'a':
      case 'A':
        if ((e.ctrlKey || e.metaKey) && !e.altKey) {
          e.preventDefault();
          if (!tooMany) onToggleAll(!allShown);
        }
        return;
    }
  };

  return (
    <div
      ref={scrollRef}
      className="ds-grid"
      role="grid"
      aria-label="Datasets"
      aria-rowcount={visible.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={rendered ? rowId(activeIndex) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={readAnchor}
    >
      <TableHead sort={sort} onSort={onSort} allShown={allShown} someShown={someShown} tooMany={tooMany} empty={visible.length === 0} selectAllLimit={selectAllLimit} onToggleAll={onToggleAll} />
      <span id={selectLabelId} hidden>
        Select
      </span>
      {/* The body only carries the list's height (the scroll range): the rows sit in one
          block of fixed size, in order, moved to the first of them by a single transform. A
          keystroke changes the body's height and the words in the rows, and the layout it
          costs stays inside the rows whose words changed. */}
      <div role="rowgroup" className="ds-body" style={{ height: totalSize }}>
        <div className="ds-view" style={{ height: Math.max(0, slotsEnd - from + 1) * ROW_HEIGHT, transform: `translateY(${from * ROW_HEIGHT}px)` }}>
          {/* One list, keyed by position: a keystroke that changes which datasets are shown
              updates the rows on screen in place, and a row that goes past the end of the list
              (hidden) or comes back is the same element. */}
          {rows.map(([index, dataset, isShown]) => (
            <Row
              key={index}
              index={index}
              id={rowId(index)}
              checked={isShown && selected.has(dataset.name)}
              active={isShown && index === activeIndex}
              hidden={!isShown}
              selectLabelId={selectLabelId}
              rowCells={rowCells}
              onToggle={onToggle}
              onRowClick={onRowClick}
            />
          ))}
        </div>
      </div>
    </div>
  );
});
