/**
 * Keeps the newest text in view while an answer grows, unless the reader scrolled up;
 * scrolling back to the bottom sticks again.
 */
import { useEffect, useRef, type UIEvent } from 'react';

export function useStickToBottom(resetOn: unknown) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const innerRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const outer = scrollRef.current;
    const inner = innerRef.current;
    if (!outer || !inner) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) outer.scrollTop = outer.scrollHeight;
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    stick.current = true;
    const outer = scrollRef.current;
    if (outer) outer.scrollTop = outer.scrollHeight;
  }, [resetOn]);
  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };
  return { scrollRef, innerRef, onScroll };
}
