/**
 * Which of the page's sections the user is reading, so the contents list can mark it (as
 * the settings of desktop apps do): the first one whose start is in the upper part of the
 * view, by an IntersectionObserver (no scroll handler reading layout). A jump from the
 * list names its section outright — a last section may never scroll up that far — until
 * the user scrolls by hand again (wheel, keys, pointer).
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export function useCurrentSection(ids: readonly string[]): [string | null, (id: string) => void] {
  const [current, setCurrent] = useState<string | null>(ids[0] ?? null);
  const jumped = useRef(false);
  useEffect(() => {
    const visible = new Set<string>();
    const pick = () => {
      const first = ids.find((id) => visible.has(id));
      if (first && !jumped.current) setCurrent(first);
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (e.isIntersecting) visible.add(e.target.id);
          else visible.delete(e.target.id);
        }
        pick();
      },
      // "In view" is the upper part of the window: a section counts once its start has scrolled up there.
      { rootMargin: '0px 0px -55% 0px' },
    );
    for (const id of ids) {
      const el = document.getElementById(id);
      if (el) observer.observe(el);
    }
    const byHand = () => {
      if (!jumped.current) return;
      jumped.current = false;
      pick();
    };
    const events = ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, byHand, { passive: true, capture: true });
    return () => {
      observer.disconnect();
      for (const e of events) window.removeEventListener(e, byHand, { capture: true });
    };
  }, [ids]);
  const jump = useCallback((id: string) => {
    jumped.current = true;
    setCurrent(id);
  }, []);
  return [current, jump];
}
