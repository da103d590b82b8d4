/**
 * Which rows of a fixed-height list are in view: arithmetic on the scroll position, so a
 * new row count costs nothing. (A general virtualizer keeps a measurement per row and
 * rebuilds them all when the count changes — at 100,000 datasets that was most of a
 * search keystroke's time, measured with `npm run bench`.)
 */
import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';

export function useFixedRows(o: {
  count: number;
  rowHeight: number;
  offset: number;
  overscan: number;
  /**
   * Changes when other rows are asked for (a search keystroke): the render that answers
   * it draws the rows in view and no more, and the overscan follows when the page is idle
   * — rows nobody sees yet are no part of the keystroke's frame.
   */
  changeKey: string;
  scrollRef: RefObject<HTMLDivElement | null>;
}) {
  const { count, rowHeight, offset, scrollRef, changeKey } = o;
  const [view, setView] = useState({ top: 0, height: 0 });
  const [settledKey, setSettledKey] = useState(changeKey);
  const overscan = settledKey === changeKey ? o.overscan : 0;
  useEffect(() => {
    if (settledKey === changeKey) return;
    const settle = () => setSettledKey(changeKey);
    if (typeof requestIdleCallback !== 'function') return void settle();
    const handle = requestIdleCallback(settle, { timeout: 300 });
    return () => cancelIdleCallback(handle);
  }, [changeKey, settledKey]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const read = () => setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    read();
    el.addEventListener('scroll', read, { passive: true });
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      observer.disconnect();
    };
  }, [scrollRef]);

  // Row i spans offset + i·rowHeight to offset + (i+1)·rowHeight; the view shows top + offset
  // (under the sticky header) to top + height. Exactly those rows: each one more drawn was
  // about a sixteenth of a keystroke.
  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((view.top + view.height - offset) / rowHeight) - 1 + overscan);
  // The positions the view could show whatever the count: a list that shrinks keeps its
  // row elements (hidden) for these, so the next keystroke that widens it fills them in
  // again instead of building new ones.
  const slotsEnd = Math.ceil((view.top + view.height - offset) / rowHeight) + o.overscan;

  /** Scrolls row `index` into view: centred, or only as far as needed ('auto'); the sticky header covers `offset`. */
  const scrollToIndex = useCallback(
    (index: number, align: 'center' | 'auto') => {
      const el = scrollRef.current;
      if (!el) return;
      const top = offset + index * rowHeight;
      let next = el.scrollTop;
      if (align === 'center') next = top - offset - (el.clientHeight - offset - rowHeight) / 2;
      else if (top - offset < el.scrollTop) next = top - offset;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) next = top + rowHeight - el.clientHeight;
      next = Math.max(0, Math.round(next));
      if (next !== el.scrollTop) el.scrollTop = next;
      setView({ top: el.scrollTop, height: el.clientHeight });
    },
    [scrollRef, offset, rowHeight],
  );

  /** `first`..`last` (inclusive; none when last < first): the rows to draw, at `offset + index * rowHeight`. */
  return { first, last, slotsEnd, totalSize: count * rowHeight, scrollToIndex };
}
