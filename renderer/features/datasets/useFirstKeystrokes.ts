/**
 * While the page is idle, prepares the answers to one-character searches of the list in
 * its current sort (rows.ts, prepareFirstKeystrokes), so the first keystroke of a search
 * does not read every name. Only idle time is used, a few ms at a time; a new list or
 * sort starts over.
 */
import { useEffect } from 'react';
import { prepareFirstKeystrokes, type Sort, type Table } from './rows';

export function useFirstKeystrokes(table: Table | null, sort: Sort): void {
  useEffect(() => {
    if (!table || typeof requestIdleCallback !== 'function') return;
    let handle = 0;
    const step = (deadline: IdleDeadline) => {
      if (!prepareFirstKeystrokes(table, sort, () => deadline.timeRemaining() > 2)) handle = requestIdleCallback(step);
    };
    handle = requestIdleCallback(step);
    return () => cancelIdleCallback(handle);
  }, [table, sort]);
}
