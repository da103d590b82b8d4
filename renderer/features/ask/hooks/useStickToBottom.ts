/**
 * Keeps the newest text in view while an answer grows, unless the reader scrolled up;
 * scrolling back to the bottom sticks again. Only an answer being written is followed:
 * what the reader opens once it is done (a source's details) stays where they put it.
 */
import { useEffect, useRef, type UIEvent } from 'react';

/** How long after an answer ends its last pieces (sources, follow-ups) are still followed. */
const SETTLE_MS = 600;

export function useStickToBottom(resetOn: unknown, writing: boolean) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const innerRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const following = useRef(writing);
  const writingRef = useRef(writing);
  useEffect(() => {
    writingRef.current = writing;
  });
  useEffect(() => {
    const outer = scrollRef.current;
    const inner = innerRef.current;
    if (!outer || !inner) return;
    const observer = new ResizeObserver(() => {
      if (stick.current && following.current) outer.scrollTop = outer.scrollHeight;
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    stick.current = true;
    const outer = scrollRef.current;
    if (outer) outer.scrollTop = outer.scrollHeight;
    // An opened conversation is followed while its answers lay out.
    if (writingRef.current) return;
    following.current = true;
    const settle = window.setTimeout(() => (following.current = writingRef.current), SETTLE_MS);
    return () => window.clearTimeout(settle);
  }, [resetOn]);
  useEffect(() => {
    if (writing) {
      // A new question is followed even if the reader had scrolled up in the last answer.
      following.current = true;
      stick.current = true;
      return;
    }
    const settle = window.setTimeout(() => (following.current = writingRef.current), SETTLE_MS);
    return () => window.clearTimeout(settle);
  }, [writing]);
  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };
  return { scrollRef, innerRef, onScroll };
}
