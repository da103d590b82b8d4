/**
 * The dataset table's data work, kept out of React and fast for 500,000 datasets:
 * search keys are folded once per dataset (lower case, accents off), each sort order is
 * computed once and kept, and a keystroke narrows what the previous keystroke found
 * (typing "fin" after "fi" only looks at the rows "fi" matched; Backspace finds the
 * shorter query's rows remembered) — never a re-sort, rarely a pass over everything; the
 * first keystroke of a search, which has nothing to narrow, is answered from lists built
 * in idle time (prepareFirstKeystrokes), and each next one (a character more than the
 * query shown) from lists built in idle time after it (prepareNextKeystroke).
 *
 * A table grows while pages arrive (appendToTable): the new datasets are folded and
 * merged into every order already computed, so arriving pages cost their own size plus
 * one merge, not a rebuild.
 */
import type { DatasetHealth, DatasetSummary } from '../../../preload/contract';
import { fold } from '../../ui/fold';

export type SortKey = 'name' | 'objects' | 'lastIndexed';
export type SortDir = 'asc' | 'desc';
export interface Sort {
  key: SortKey;
  dir: SortDir;
}
export type HealthFilter = 'all' | DatasetHealth;

export interface Table {
  datasets: DatasetSummary[];
  /** Folded names, same index as `datasets`. */
  keys: string[];
  counts: Record<DatasetHealth, number>;
  /** Sort orders computed so far (indices into `datasets`), by `${key}:${dir}`. */
  orders: Map<string, Int32Array>;
  /** name → index, built on first use. */
  byName: Map<string, number> | null;
  /** Recent filter results by sort, health and folded query (see visibleRows). */
  found: Map<string, Int32Array>;
  /** The rows of each one-character query in one sort, built in idle time (prepareFirstKeystrokes). */
  firstKeys?: FirstKeys;
  /** The rows of each query one character longer than the one shown, built in idle time (prepareNextKeystroke). */
  nextKeys?: NextKeys;
}

/**
 * The answers to every one-character-longer query, from the rows a query found: the
 * next keystroke then only picks its list, where narrowing 40,000 rows (the second
 * keystroke at 100,000 datasets) reads every one of their names.
 */
interface NextKeys {
  /** Sort and health, as in `found`'s keys. */
  base: string;
  /** The folded query whose rows these are. */
  q: string;
  from: Int32Array;
  /** How far through `from` the build is. */
  next: number;
  /** By the code unit that follows `q` in a name, the rows (in `from`'s order) where it does. */
  lists: Map<number, number[]>;
  ready: boolean;
}

/**
 * The answer to every one-character search, in one sort's order, built ahead in idle
 * time: the first keystroke of a search is the one that has no earlier result to narrow
 * and has to read every name (a few ms at 100,000, the slowest keystroke there is).
 */
interface FirstKeys {
  sort: string;
  /** How far through the order the build is. */
  next: number;
  /** By character code below 128 (most names), then by character. */
  ascii: number[][];
  other: Map<string, number[]>;
  /** After the pass over the order: the lists still to be made typed arrays, one per step (all at once took 150 ms at 500,000 datasets). */
  left: Array<[string, number[]]> | null;
  built: Map<string, Int32Array>;
  ready: Map<string, Int32Array> | null;
}

/** Accents of Latin, Greek and Cyrillic letters (not kana's (han)dakuten, which change the letter). */
export function buildTable(datasets: DatasetSummary[]): Table {
  const keys = new Array<string>(datasets.length);
  const counts: Record<DatasetHealth, number> = { healthy: 0, indexing: 0, warning: 0, failed: 0, unknown: 0 };
  for (let i = 0; i < datasets.length; i++) {
    keys[i] = fold(datasets[i].name);
    counts[datasets[i].health]++;
  }
  return { datasets, keys, counts, orders: new Map(), byName: null, found: new Map() };
}

/**
 * Builds, a slice at a time while `more()` says there is time, the rows of each
 * one-character search in this sort's order. True once they are ready (visibleRows then
 * answers a first keystroke from them); call again with the same sort to go on.
 */
export function prepareFirstKeystrokes(table: Table, sort: Sort, more: () => boolean): boolean {
  const id = `${sort.key}:${sort.dir}`;
  if (table.firstKeys?.sort !== id) table.firstKeys = { sort: id, next: 0, ascii: Array.from({ length: 128 }, () => []), other: new Map(), left: null, built: new Map(), ready: null };
  const f = table.firstKeys;
  if (f.ready) return true;
  const order = orderFor(table, sort);
  const { keys } = table;
  while (f.next < order.length) {
    const end = Math.min(order.length, f.next + 1000);
    for (; f.next < end; f.next++) {
      const i = order[f.next];
      const key = keys[i];
      for (let c = 0; c < key.length; c++) {
        const code = key.charCodeAt(c);
        let list: number[] | undefined;
        if (code < 128) list = f.ascii[code];
        else if (!(list = f.other.get(key[c]))) f.other.set(key[c], (list = []));
        // A letter twice in one name: that row is already the list's last.
        if (list[list.length - 1] !== i) list.push(i);
      }
    }
    if (f.next < order.length && !more()) return false;
  }
  if (!f.left) {
    const left: Array<[string, number[]]> = [];
    f.ascii.forEach((list, code) => list.length && left.push([String.fromCharCode(code), list]));
    for (const entry of f.other) left.push(entry);
    f.left = left;
    f.ascii = [];
    f.other = new Map();
    if (!more()) return false;
  }
  for (let entry = f.left.pop(); entry; entry = f.left.pop()) {
    f.built.set(entry[0], new Int32Array(entry[1]));
    if (f.left.length && !more()) return false;
  }
  f.ready = f.built;
  return true;
}

/**
 * Builds, a slice at a time while `more()` says there is time, the rows of every query
 * one character longer than `query` (with this sort and health). True once they are
 * ready (visibleRows then answers such a query from them); call again with the same
 * arguments to go on. A new query starts over: only the latest shown one is kept.
 */
export function prepareNextKeystroke(table: Table, sort: Sort, query: string, health: HealthFilter, more: () => boolean): boolean {
  const q = fold(query.trim());
  // The empty query's next keystrokes are the first ones (prepareFirstKeystrokes).
  if (!q) return true;
  const base = `${sort.key}:${sort.dir}|${health}|`;
  let n = table.nextKeys;
  if (n?.base !== base || n.q !== q) n = table.nextKeys = { base, q, from: visibleRows(table, sort, query, health), next: 0, lists: new Map(), ready: false };
  if (n.ready) return true;
  const { keys } = table;
  const { from, lists } = n;
  const len = q.length;
  while (n.next < from.length) {
    const end = Math.min(from.length, n.next + 1000);
    for (; n.next < end; n.next++) {
      const i = from[n.next];
      const key = keys[i];
      for (let at = key.indexOf(q); at >= 0 && at + len < key.length; at = key.indexOf(q, at + 1)) {
        const code = key.charCodeAt(at + len);
        let list = lists.get(code);
        if (!list) lists.set(code, (list = []));
        // The same next character twice in one name: that row is already the list's last.
        if (list[list.length - 1] !== i) list.push(i);
      }
    }
    if (n.next < from.length && !more()) return false;
  }
  n.ready = true;
  return true;
}

/**
 * The table with `more` datasets after the ones it has: a new Table (React sees a new
 * list) that shares the grown arrays — the previous one must not be used afterwards.
 * Each order already computed gets the new rows merged in at their places.
 */
export function appendToTable(table: Table, more: readonly DatasetSummary[]): Table {
  if (more.length === 0) return table;
  const start = table.datasets.length;
  const { datasets, keys } = table;
  const counts = { ...table.counts };
  for (const d of more) {
    datasets.push(d);
    keys.push(fold(d.name));
    counts[d.health]++;
  }
  if (table.byName) for (let i = start; i < datasets.length; i++) table.byName.set(datasets[i].name, i);
  const grown: Table = { datasets, keys, counts, orders: new Map(), byName: table.byName, found: new Map() };
  if (table.orders.size) {
    const added = Int32Array.from({ length: more.length }, (_, k) => start + k);
    // Name first: the other orders break ties by name rank.
    const byName = table.orders.get('name:asc');
    if (byName) grown.orders.set('name:asc', merge(byName, added.sort(nameCompare(grown)), nameCompare(grown)));
    for (const [id, order] of table.orders) {
      if (id === 'name:asc') continue;
      const [key, dir] = id.split(':') as [SortKey, SortDir];
      const compare = compareFor(grown, { key, dir });
      grown.orders.set(id, merge(order, added.slice().sort(compare), compare));
    }
  }
  return grown;
}

function merge(a: Int32Array, b: Int32Array, compare: (x: number, y: number) => number): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(b[j], a[i]) < 0 ? b[j++] : a[i++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Natural order on folded names: "ds 2" before "ds 10", digit runs compared by value.
 * Much faster than Intl.Collator over 100,000 names, and the same for what people type.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      // Skip leading zeros, then the longer run is the larger number.
      let si = i;
      let sj = j;
      while (si < ei - 1 && a.charCodeAt(si) === 48) si++;
      while (sj < ej - 1 && b.charCodeAt(sj) === 48) sj++;
      const la = ei - si;
      const lb = ej - sj;
      if (la !== lb) return la - lb;
      for (let k = 0; k < la; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
        if (d) return d;
      }
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

const nameCompare = (table: Table) => {
  const { keys, datasets } = table;
  return (x: number, y: number) => naturalCompare(keys[x], keys[y]) || (datasets[x].name < datasets[y].name ? -1 : datasets[x].name > datasets[y].name ? 1 : x - y);
};

function nameOrder(table: Table): Int32Array {
  const cached = table.orders.get('name:asc');
  if (cached) return cached;
  const order = Int32Array.from({ length: table.keys.length }, (_, i) => i);
  const compare = nameCompare(table);
  // Gaia usually sends names in order: one pass tells, and saves the sort (~100 ms at 100,000).
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) sorted = compare(i - 1, i) < 0;
  if (!sorted) order.sort(compare);
  table.orders.set('name:asc', order);
  return order;
}

/** The comparator of a sort other than name ascending (ties by name; never-indexed last either way). */
function compareFor(table: Table, sort: Sort): (x: number, y: number) => number {
  if (sort.key === 'name') {
    const byName = nameCompare(table);
    return sort.dir === 'asc' ? byName : (x, y) => byName(y, x);
  }
  const names = nameOrder(table);
  const n = names.length;
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[names[r]] = r;
  // Values in a typed array (NaN for "never"), so the comparator touches no objects.
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = table.datasets[i];
    const v = sort.key === 'objects' ? d.numObjects : d.lastIndexedAt;
    values[i] = v === null ? NaN : v;
  }
  const sign = sort.dir === 'asc' ? 1 : -1;
  return (x, y) => {
    const a = values[x];
    const b = values[y];
    if (a !== a || b !== b) return a !== a && b !== b ? rank[x] - rank[y] : a !== a ? 1 : -1;
    return (a - b) * sign || rank[x] - rank[y];
  };
}

/** Indices of `datasets` in this order, computed once per list and sort. */
export function orderFor(table: Table, sort: Sort): Int32Array {
  const id = `${sort.key}:${sort.dir}`;
  const cached = table.orders.get(id);
  if (cached) return cached;
  const byName = nameOrder(table);
  if (sort.key === 'name' && sort.dir === 'asc') return byName;
  const order = sort.key === 'name' ? byName.slice().reverse() : byName.slice().sort(compareFor(table, sort));
  table.orders.set(id, order);
  return order;
}

let scratch = new Int32Array(0);

/** Filter results kept per table: enough for words typed and erased, within a memory budget (rows, 4 bytes each). */
const FOUND_KEPT = 48;
const FOUND_BUDGET_ROWS = 3_000_000;

/**
 * The rows to show, in the sort's order. The search narrows the closest earlier result
 * (the same query shorter, e.g. "fi" for "fin"), so most keystrokes look at the rows
 * the previous one found, and a query seen recently (Backspace) is answered at once.
 */
export function visibleRows(table: Table, sort: Sort, query: string, health: HealthFilter): Int32Array {
  const order = orderFor(table, sort);
  const q = fold(query.trim());
  if (!q && health === 'all') return order;
  const base = `${sort.key}:${sort.dir}|${health}|`;
  const hit = table.found.get(base + q);
  if (hit) {
    // Most recently used last, so the oldest is dropped first.
    table.found.delete(base + q);
    table.found.set(base + q, hit);
    return hit;
  }
  const first = table.firstKeys;
  if (q.length === 1 && health === 'all' && first?.ready && first.sort === `${sort.key}:${sort.dir}`) return first.ready.get(q) ?? new Int32Array(0);
  const next = table.nextKeys;
  if (next?.ready && next.base === base && q.length === next.q.length + 1 && q.startsWith(next.q)) {
    const list = next.lists.get(q.charCodeAt(q.length - 1));
    return remember(table, base + q, list ? Int32Array.from(list) : new Int32Array(0));
  }
  let from: Int32Array = order;
  let filterHealth = health !== 'all';
  for (let len = q.length - 1; len >= 0; len--) {
    const earlier = table.found.get(base + q.slice(0, len));
    if (earlier) {
      from = earlier;
      filterHealth = false;
      break;
    }
  }
  const { keys, datasets } = table;
  // Matches go to a buffer kept between keystrokes, and only the result is copied out: a
  // keystroke at 500,000 datasets would otherwise allocate 2 MB it throws away at once.
  if (scratch.length < from.length) scratch = new Int32Array(from.length);
  const out = scratch;
  let n = 0;
  for (let r = 0; r < from.length; r++) {
    const i = from[r];
    if (filterHealth && datasets[i].health !== health) continue;
    if (q && !keys[i].includes(q)) continue;
    out[n++] = i;
  }
  return remember(table, base + q, out.slice(0, n));
}

/** Keeps a filter result for its query (Backspace, and narrowing the next keystroke), within FOUND_KEPT and FOUND_BUDGET_ROWS. */
function remember(table: Table, id: string, result: Int32Array): Int32Array {
  table.found.set(id, result);
  let rows = 0;
  for (const r of table.found.values()) rows += r.length;
  for (const [key, r] of table.found) {
    if (table.found.size <= FOUND_KEPT && rows <= FOUND_BUDGET_ROWS) break;
    if (r === result) break;
    table.found.delete(key);
    rows -= r.length;
  }
  return result;
}

export function indexOfName(table: Table, name: string): number {
  if (!table.byName) {
    table.byName = new Map();
    for (let i = 0; i < table.datasets.length; i++) table.byName.set(table.datasets[i].name, i);
  }
  return table.byName.get(name) ?? -1;
}
