/**
 * How much of a growing answer to show in this frame. Text can arrive faster than the
 * page parses and lays it out (a fast model, a busy or slow machine): every frame then
 * carried more text than the one before it, and parsing, shaping and laying it out ran
 * past 50 ms — a long task, a page that stops answering input. So each frame adds at most
 * what fits a time budget, judged by time, not by a count: the last frames' cost (from
 * the render to the first task after that frame was drawn) per character they added sets
 * how many the next may add; the rest follows in the frames after. Only growth is paced:
 * what is there when the answer is first shown (an answer opened later) shows at once.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/** The main thread's time one frame of a growing answer may take, leaving room for input and for a machine slower than measured. */
const FRAME_BUDGET_MS = 20;
/** Never less: an answer always moves on, however slow the frames. */
const MIN_CHARS = 256;
/** As live.ts's updates: a frame's fixed cost (the answer's blocks reconciled, laid out) paid at most ~30 times a second. */
const MIN_FRAME_GAP_MS = 32;
const MAX_CHARS = 1 << 20;
const START_CHARS = 2048;

interface Pace {
  /** Characters shown by the last committed render. */
  shown: number;
  /** Characters one frame may add. */
  perFrame: number;
  /** The render being measured: when it began and how many characters it added. */
  measuring: { at: number; added: number } | null;
  committedAt: number;
}

/** `text` as far as this frame shows it; the whole of it once the view has caught up. */
export function usePacedText(text: string): string {
  const pace = useRef<Pace | null>(null);
  pace.current ??= { shown: text.length, perFrame: START_CHARS, measuring: null, committedAt: 0 };
  const p = pace.current;
  const [, setFrame] = useState(0);
  // Read while rendering on purpose: the pace is written only once a frame is committed
  // (below), so every render reads what the last committed one left.
  // eslint-disable-next-line react-hooks/refs
  const length = Math.min(text.length, p.shown + p.perFrame);

  useLayoutEffect(() => {
    const added = length - p.shown;
    // Renders come in an animation frame (live.ts, the catch-up below): its start, so the
    // cost counts the render too, not only what follows it.
    const frameAt = Number(document.timeline.currentTime ?? performance.now());
    p.shown = length;
    p.committedAt = frameAt;
    if (added <= 0 || p.measuring) return;
    const measuring = { at: frameAt, added };
    p.measuring = measuring;
    // A message posted now is handled once this frame's style, layout and paint are done.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (p.measuring !== measuring) return;
      p.measuring = null;
      const cost = Math.max(1, performance.now() - measuring.at);
      // Only a frame that used its allowance, or overran, says what a frame can take.
      if (measuring.added < p.perFrame && cost <= FRAME_BUDGET_MS) return;
      const fits = (measuring.added * FRAME_BUDGET_MS) / cost;
      p.perFrame = Math.round(Math.min(MAX_CHARS, Math.max(MIN_CHARS, (p.perFrame + fits) / 2)));
    };
    channel.port2.postMessage(null);
  });

  const behind = length < text.length;
  useEffect(() => {
    if (!behind) return;
    // The rest follows frame by frame, also once no more text arrives.
    let frame = 0;
    const next = () => {
      if (performance.now() - p.committedAt < MIN_FRAME_GAP_MS) frame = window.requestAnimationFrame(next);
      else setFrame((n) => n + 1);
    };
    frame = window.requestAnimationFrame(next);
    return () => window.cancelAnimationFrame(frame);
  });

  return behind ? text.slice(0, length) : text;
}
