/**
 * While the page is idle, prepares the answers to one-character searches of the list in
 * its current sort (rows.ts, prepareFirstKeystrokes), so the first keystroke of a search
 * does not read every name. Idle time is used, a slice at a time; a new list or sort
 * starts over, and a list still arriving is not prepared (the page passes null).
 */
import { useEffect } from 'react';
import { idleSlice } from './idleSlice';
import { prepareFirstKeystrokes, type Sort, type Table } from './rows';

export function useFirstKeystrokes(table: Table | null, sort: Sort): void {
  useEffect(() => {
    if (!table || typeof requestIdleCallback !== 'function') return;
    let handle = 0;
    // A busy page still gets a slice (one step) every so often, so the lists are ready soon after the list is.
    const step = (deadline: IdleDeadline) => {
      if (!prepareFirstKeystrokes(table, sort, idleSlice(deadline))) handle = requestIdleCallback(step, { timeout: 200 });
    };
    handle = requestIdleCallback(step, { timeout: 200 });
    return () => cancelIdleCallback(handle);
  }, [table, sort]);
}
