/**
 * While the page is idle after a search keystroke, prepares the answers to the next one
 * (the query with one character more; rows.ts, prepareNextKeystroke), so typing on does
 * not read the names the last keystroke found. A slice at a time; a new query, sort,
 * health or list starts over, and a list still arriving is not prepared (the page passes null).
 */
import { useEffect } from 'react';
import { idleSlice } from './idleSlice';
import { prepareNextKeystroke, type HealthFilter, type Sort, type Table } from './rows';

export function useNextKeystroke(table: Table | null, sort: Sort, query: string, health: HealthFilter): void {
  useEffect(() => {
    if (!table || !query.trim() || typeof requestIdleCallback !== 'function') return;
    let handle = 0;
    const step = (deadline: IdleDeadline) => {
      if (!prepareNextKeystroke(table, sort, query, health, idleSlice(deadline))) handle = requestIdleCallback(step);
    };
    handle = requestIdleCallback(step);
    return () => cancelIdleCallback(handle);
  }, [table, sort, query, health]);
}
