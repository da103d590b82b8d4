/** A Chromium trace's events on one thread, split into what the main thread spent its time on (trace-keystrokes.ts, trace-ask.ts). */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  id2?: { local?: string };
  args?: Record<string, unknown>;
}

/** Event names by what they are; the rest ("task", scheduler) is "other". */
export const BUCKETS: Array<[bucket: string, test: RegExp]> = [
  // Case-sensitive: /gc/i would also take InsertText and friends.
  ['gc', /GC|Scavenge|MarkCompact|Sweep/],
  ['style', /^(UpdateLayoutTree|RecalculateStyles|ScheduleStyleRecalculation|ParseAuthorStyleSheet|StyleInvalidatorInvalidationTracking)$/],
  ['layout', /^(Layout|UpdateLayout|LocalFrameView::layout|LocalFrameView::performLayout|InlineNode::|InvalidateLayout|IntersectionObserverController::computeIntersections|ResizeObserver)/],
  ['paint', /^(Paint|PrePaint|PaintImage|UpdateLayer|UpdateLayerTree|Layerize|PaintArtifactCompositor|HitTest)/],
  ['commit', /^(Commit|CompositeLayers|ProxyMain::BeginMainFrame::commit|ScrollbarAnimator|LayerTreeHost::)/],
  ['script', /^(FunctionCall|EvaluateScript|EventDispatch|TimerFire|FireAnimationFrame|RunMicrotasks|V8\.|v8\.|FireIdleCallback|XHRReadyStateChange|ParseHTML|MutationObserver|FrameRequestCallback)/],
];
export const bucketOf = (name: string) => BUCKETS.find(([, re]) => re.test(name))?.[0] ?? 'other';

/** Exclusive time of each complete event on one thread, by bucket, within [from, to] (µs). */
export function selfTimes(events: TraceEvent[], from: number, to: number): Record<string, number> & { names: Record<string, number> } {
  const out: Record<string, number> = {};
  const names: Record<string, number> = {};
  const xs = events.filter((e) => e.ph === 'X' && e.dur !== undefined && e.ts < to && e.ts + e.dur! > from).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const stack: Array<{ e: TraceEvent; end: number; child: number }> = [];
  const close = (s: { e: TraceEvent; end: number; child: number }) => {
    const start = Math.max(from, s.e.ts);
    const end = Math.min(to, s.end);
    const self = Math.max(0, end - start - s.child);
    const b = bucketOf(s.e.name);
    out[b] = (out[b] ?? 0) + self;
    names[s.e.name] = (names[s.e.name] ?? 0) + self;
    const parent = stack[stack.length - 1];
    if (parent) parent.child += Math.max(0, end - start);
  };
  for (const e of xs) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) close(stack.pop()!);
    stack.push({ e, end: e.ts + e.dur!, child: 0 });
  }
  while (stack.length) close(stack.pop()!);
  return Object.assign(out, { names });
}

