/**
 * The datasets page's data work (renderer/features/datasets/rows.ts, format.ts): folding,
 * natural order, sort orders computed once, filters over 100,000 rows, and time words.
 */
import { describe, expect, it } from 'vitest';
import type { DatasetHealth, DatasetSummary } from '../../preload/contract';
import { formatRelative, humanizeKey } from '../../renderer/features/datasets/format';
import { appendToTable, buildTable, indexOfName, naturalCompare, orderFor, prepareFirstKeystrokes, prepareNextKeystroke, visibleRows, type Sort } from '../../renderer/features/datasets/rows';
import { fold } from '../../renderer/ui/fold';

function ds(name: string, extra: Partial<DatasetSummary> = {}): DatasetSummary {
  return { id: name, name, description: null, numObjects: 0, numQueries: 0, dataSources: [], health: 'healthy', progress: null, lastIndexedAt: null, ...extra };
}

const names = (table: ReturnType<typeof buildTable>, rows: Int32Array) => Array.from(rows, (i) => table.datasets[i].name);

describe('fold', () => {
  it('lower-cases and drops accents, keeps CJK and Cyrillic', () => {
    expect(fold('München Office')).toBe('munchen office');
    expect(fold('Project Ünïcödé')).toBe('project unicode');
    expect(fold('Données clients (FR)')).toBe('donnees clients (fr)');
    expect(fold('財務 レポート')).toBe('財務 レポート');
    expect(fold('Архив')).toBe('архив');
    expect(fold('ＤＳ　０１')).toBe('ds 01');
    expect(fold('데이터')).toBe('데이터');
  });
});

describe('order', () => {
  it('sorts names naturally (2 before 10), case- and accent-insensitively', () => {
    expect(naturalCompare('ds 2', 'ds 10')).toBeLessThan(0);
    expect(naturalCompare('ds 010', 'ds 9')).toBeGreaterThan(0);
    expect(naturalCompare('a', 'a')).toBe(0);
    const table = buildTable([ds('Zeta'), ds('alpha 10'), ds('Alpha 2'), ds('Émile'), ds('beta')]);
    expect(names(table, orderFor(table, { key: 'name', dir: 'asc' }))).toEqual(['Alpha 2', 'alpha 10', 'beta', 'Émile', 'Zeta']);
    expect(names(table, orderFor(table, { key: 'name', dir: 'desc' }))).toEqual(['Zeta', 'Émile', 'beta', 'alpha 10', 'Alpha 2']);
  });

  it('sorts numbers and times either way, never-indexed last, ties by name', () => {
    const table = buildTable([
      ds('b', { numObjects: 5, lastIndexedAt: 100 }),
      ds('a', { numObjects: 5, lastIndexedAt: null }),
      ds('c', { numObjects: 9, lastIndexedAt: 300 }),
      ds('d', { numObjects: 1, lastIndexedAt: 200 }),
    ]);
    expect(names(table, orderFor(table, { key: 'objects', dir: 'desc' }))).toEqual(['c', 'a', 'b', 'd']);
    expect(names(table, orderFor(table, { key: 'objects', dir: 'asc' }))).toEqual(['d', 'a', 'b', 'c']);
    expect(names(table, orderFor(table, { key: 'lastIndexed', dir: 'desc' }))).toEqual(['c', 'd', 'b', 'a']);
    expect(names(table, orderFor(table, { key: 'lastIndexed', dir: 'asc' }))).toEqual(['b', 'd', 'c', 'a']);
  });

  it('computes each order once per list', () => {
    const table = buildTable([ds('b'), ds('a')]);
    const first = orderFor(table, { key: 'objects', dir: 'asc' });
    expect(orderFor(table, { key: 'objects', dir: 'asc' })).toBe(first);
  });
});

describe('visibleRows', () => {
  const table = buildTable([
    ds('München Office', { health: 'indexing' }),
    ds('Tokyo 東京 Office'),
    ds('Legal/Contracts 2024', { health: 'failed' }),
    ds('Finance Reports'),
  ]);
  const byName = { key: 'name', dir: 'asc' } as const;

  it('finds by any part of the name, ignoring case and accents; CJK and slashes too', () => {
    expect(names(table, visibleRows(table, byName, 'office', 'all'))).toEqual(['München Office', 'Tokyo 東京 Office']);
    expect(names(table, visibleRows(table, byName, 'MUNCHEN', 'all'))).toEqual(['München Office']);
    expect(names(table, visibleRows(table, byName, '東京', 'all'))).toEqual(['Tokyo 東京 Office']);
    expect(names(table, visibleRows(table, byName, 'l/c', 'all'))).toEqual(['Legal/Contracts 2024']);
    expect(names(table, visibleRows(table, byName, '  ', 'all'))).toHaveLength(4);
  });

  it('filters by health, with or without a search', () => {
    expect(names(table, visibleRows(table, byName, '', 'failed'))).toEqual(['Legal/Contracts 2024']);
    expect(names(table, visibleRows(table, byName, 'office', 'indexing'))).toEqual(['München Office']);
    expect(visibleRows(table, byName, 'nothing like this', 'all')).toHaveLength(0);
    expect(table.counts).toEqual({ healthy: 2, indexing: 1, warning: 0, failed: 1, unknown: 0 });
  });

  it('finds a row by name', () => {
    expect(table.datasets[indexOfName(table, 'Legal/Contracts 2024')].name).toBe('Legal/Contracts 2024');
    expect(indexOfName(table, 'nope')).toBe(-1);
  });

  it('handles 100,000 datasets: one sort per order, then filters without re-sorting', () => {
    const health: DatasetHealth[] = ['healthy', 'indexing', 'warning', 'failed', 'unknown'];
    const many = Array.from({ length: 100_000 }, (_, i) => ds(`DS ${String((i * 7919) % 100_000).padStart(6, '0')} Research`, { health: health[i % 5], numObjects: i }));
    const big = buildTable(many);
    const sorted = orderFor(big, byName);
    expect(big.datasets[sorted[0]].name).toBe('DS 000000 Research');
    expect(big.datasets[sorted[99_999]].name).toBe('DS 099999 Research');
    const hits = visibleRows(big, byName, '00012', 'all');
    expect(names(big, hits)).toEqual(['DS 000012 Research', ...Array.from({ length: 10 }, (_, k) => `DS 00012${k} Research`)]);
    // The filter keeps the sort's order and does not replace the cached order.
    expect(orderFor(big, byName)).toBe(sorted);
  });
});

describe('format', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);
  it('says how long ago, narrow for cells and long for sentences', () => {
    expect(formatRelative(now - 3 * 3_600_000, now)).toMatch(/^3\s?h/);
    expect(formatRelative(now - 3 * 3_600_000, now, 'long')).toBe('3 hours ago');
    expect(formatRelative(now - 2 * 86_400_000, now, 'long')).toBe('2 days ago');
    expect(formatRelative(now - 45_000, now, 'long')).toBe('45 seconds ago');
    expect(formatRelative(now - 2000, now, 'long')).toBe('just now');
    expect(formatRelative(now + 3000, now, 'long')).toBe('just now');
  });

  it('turns stats keys into words', () => {
    expect(humanizeKey('numDocumentsIndexed')).toBe('Documents indexed');
    expect(humanizeKey('lastUpdatedUsecs')).toBe('Last updated');
    expect(humanizeKey('numErrors')).toBe('Errors');
  });
});

describe('growing while pages arrive', () => {
  const byName = { key: 'name', dir: 'asc' } as const;
  const health: DatasetHealth[] = ['healthy', 'indexing', 'warning', 'failed', 'unknown'];
  const make = (i: number) => ds(`DS ${String((i * 7919) % 5000).padStart(5, '0')}`, { health: health[i % 5], numObjects: (i * 31) % 97, lastIndexedAt: i % 7 ? i * 1000 : null });

  it('every order computed so far equals the order of the whole list built at once', () => {
    const all = Array.from({ length: 5000 }, (_, i) => make(i));
    let table = buildTable(all.slice(0, 99));
    const sorts = [byName, { key: 'name', dir: 'desc' }, { key: 'objects', dir: 'desc' }, { key: 'lastIndexed', dir: 'asc' }] as const;
    for (const sort of sorts) orderFor(table, sort);
    for (let at = 99; at < all.length; at += 990) table = appendToTable(table, all.slice(at, at + 990));
    const whole = buildTable(all.slice());
    for (const sort of sorts) expect(names(table, orderFor(table, sort))).toEqual(names(whole, orderFor(whole, sort)));
    expect(table.counts).toEqual(whole.counts);
    expect(names(table, visibleRows(table, byName, '0012', 'failed'))).toEqual(names(whole, visibleRows(whole, byName, '0012', 'failed')));
  });

  it('finds a row by name after it arrived, and search covers what has arrived', () => {
    let table = buildTable([ds('Alpha')]);
    expect(indexOfName(table, 'Beta')).toBe(-1);
    expect(visibleRows(table, byName, 'beta', 'all')).toHaveLength(0);
    table = appendToTable(table, [ds('Beta')]);
    expect(table.datasets[indexOfName(table, 'Beta')].name).toBe('Beta');
    expect(names(table, visibleRows(table, byName, 'beta', 'all'))).toEqual(['Beta']);
  });
});

describe('narrowing keystroke by keystroke', () => {
  const byName = { key: 'name', dir: 'asc' } as const;
  it('typing on and erasing give the same rows as a fresh search, for every query', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ds(`DS ${String((i * 7919) % 20_000).padStart(6, '0')} ${['Archive', 'Finance', 'Legal'][i % 3]}`, { health: i % 4 ? 'healthy' : 'failed' }));
    const table = buildTable(many);
    const fresh = (q: string, h: 'all' | 'failed') => names(table, visibleRows(buildTable(many.slice()), byName, q, h));
    let query = '';
    for (const key of [...'01234', 'Back', 'Back', ...'9f', 'Back', 'Back', 'Back']) {
      query = key === 'Back' ? query.slice(0, -1) : query + key;
      for (const h of ['all', 'failed'] as const) expect(names(table, visibleRows(table, byName, query, h))).toEqual(fresh(query, h));
    }
    // A query seen before is answered with the same rows, not searched again.
    expect(visibleRows(table, byName, '01', 'all')).toBe(visibleRows(table, byName, '01', 'all'));
  });
});

describe('first keystrokes prepared in idle time', () => {
  const names = ['München Office', 'Tokyo 東京 Office', 'ＤＳ　０１', 'Legal/Contracts 2024', 'Données clients (FR)', 'Архив', '데이터', 'a', '', 'IT Tickets #helpdesk', 'Lab Results 100%', 'ab ba', '😀 emoji'];
  const list = Array.from({ length: 3000 }, (_, i) => ds(`${names[i % names.length]} ${i % 7 === 0 ? '' : i}`, { health: (['healthy', 'failed', 'indexing'] as const)[i % 3], numObjects: (i * 37) % 101 }));

  it('answer every one-character search exactly as reading every name would, in each sort, a slice at a time', () => {
    const chars = new Set(list.flatMap((d) => [...fold(d.name)]).filter((c) => c.length === 1));
    chars.add('z').add('0');
    for (const sort of [{ key: 'name', dir: 'asc' }, { key: 'objects', dir: 'desc' }] as Sort[]) {
      const plain = buildTable(list.slice());
      const prepared = buildTable(list.slice());
      let slices = 0;
      while (!prepareFirstKeystrokes(prepared, sort, () => false)) slices++;
      expect(slices).toBeGreaterThan(0);
      expect(prepared.firstKeys?.ready).toBeTruthy();
      for (const c of chars) {
        expect(Array.from(visibleRows(prepared, sort, c, 'all')), `"${c}" by ${sort.key}`).toEqual(Array.from(visibleRows(plain, sort, c, 'all')));
        // Upper case and accents fold to the same key; health filters still read the rows.
        expect(Array.from(visibleRows(prepared, sort, c.toUpperCase(), 'failed'))).toEqual(Array.from(visibleRows(plain, sort, c.toUpperCase(), 'failed')));
      }
    }
  });

  it('are answered from the prepared lists, and only for the sort they were built in', () => {
    const table = buildTable(list.slice());
    const byName = { key: 'name', dir: 'asc' } as Sort;
    expect(prepareFirstKeystrokes(table, byName, () => true)).toBe(true);
    const ready = table.firstKeys!.ready!;
    expect(visibleRows(table, byName, 'o', 'all')).toBe(ready.get('o'));
    expect(visibleRows(table, { key: 'objects', dir: 'asc' }, 'o', 'all')).not.toBe(ready.get('o'));
  });

  it('after reading the names, make each list ready in a step of its own (all of them at once held the page 150 ms at 500,000)', () => {
    const table = buildTable(list.slice());
    const byName = { key: 'name', dir: 'asc' } as Sort;
    // One step of reading: the whole list is under the 1,000 rows a step reads.
    const small = buildTable(list.slice(0, 900));
    let steps = 1;
    while (!prepareFirstKeystrokes(small, byName, () => false)) steps++;
    const lists = small.firstKeys!.ready!.size;
    expect(lists).toBeGreaterThan(10);
    // Reading, the hand-over, then one list per step.
    expect(steps).toBe(1 + lists);
    expect(prepareFirstKeystrokes(table, byName, () => true)).toBe(true);
  });
});

describe('next keystrokes prepared in idle time', () => {
  const samples = ['München Office', 'Tokyo 東京 Office', 'ＤＳ　０１', 'Legal/Contracts 2024', 'Données clients (FR)', 'Архив', 'ab ba', '😀 emoji', 'off off offline'];
  const list = Array.from({ length: 3000 }, (_, i) => ds(`${samples[i % samples.length]} ${i % 7 === 0 ? '' : i}`, { health: (['healthy', 'failed', 'indexing'] as const)[i % 3], numObjects: (i * 37) % 101 }));
  const chars = [...new Set(list.flatMap((d) => fold(d.name).split('')))].concat(['z', 'É', 'Ｏ']);

  it('answer every one-character-longer query exactly as narrowing would, in each sort and health, a slice at a time', () => {
    for (const sort of [{ key: 'name', dir: 'asc' }, { key: 'objects', dir: 'desc' }] as Sort[]) {
      for (const health of ['all', 'failed'] as const) {
        const plain = buildTable(list.slice());
        for (const query of ['o', 'Of', '1', ' d', '\ud83d']) {
          const prepared = buildTable(list.slice());
          let slices = 0;
          while (!prepareNextKeystroke(prepared, sort, query, health, () => false)) slices++;
          if (visibleRows(prepared, sort, query, health).length > 1000) expect(slices).toBeGreaterThan(0);
          for (const c of chars) {
            expect(Array.from(visibleRows(prepared, sort, query + c, health)), `"${query}" + "${c}", ${sort.key}, ${health}`).toEqual(Array.from(visibleRows(plain, sort, query + c, health)));
          }
        }
      }
    }
  });

  it('are answered from the prepared lists only for the query, sort and health they were built for', () => {
    const byName = { key: 'name', dir: 'asc' } as Sort;
    const table = buildTable(list.slice());
    expect(prepareNextKeystroke(table, byName, 'of', 'all', () => true)).toBe(true);
    // A name changed behind the table's back shows which answers come from the lists.
    const offline = table.datasets.findIndex((d) => d.name.startsWith('off off'));
    table.keys[offline] = 'nothing';
    expect(names(table, visibleRows(table, byName, 'off', 'all'))).toContain(table.datasets[offline].name);
    expect(names(table, visibleRows(table, { key: 'objects', dir: 'asc' }, 'off', 'all'))).not.toContain(table.datasets[offline].name);
    expect(table.datasets[offline].health).toBe('indexing');
    expect(names(table, visibleRows(table, byName, 'off', 'indexing'))).not.toContain(table.datasets[offline].name);
  });
});

describe('name order of a list that arrives sorted', () => {
  it('is the same as sorting it, and a list out of order is still sorted', () => {
    const inOrder = buildTable(['a 1', 'a 2', 'a 10', 'b'].map((n) => ds(n)));
    expect(names(inOrder, orderFor(inOrder, { key: 'name', dir: 'asc' }))).toEqual(['a 1', 'a 2', 'a 10', 'b']);
    const almost = buildTable(['a 1', 'a 2', 'b', 'a 10'].map((n) => ds(n)));
    expect(names(almost, orderFor(almost, { key: 'name', dir: 'asc' }))).toEqual(['a 1', 'a 2', 'a 10', 'b']);
  });
});
