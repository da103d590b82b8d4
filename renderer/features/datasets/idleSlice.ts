/**
 * How long a slice of idle-time work (the lists of useFirstKeystrokes and useNextKeystroke)
 * may go on: while the idle period lasts, no more than a few ms, and not once input is
 * waiting. Idle periods last up to 50 ms, and a keystroke that arrives while a slice runs
 * waits for it: that wait was the slowest keystrokes of a search.
 */
const SLICE_MS = 4;

interface Scheduling {
  isInputPending?: () => boolean;
}

export function idleSlice(deadline: IdleDeadline): () => boolean {
  const until = performance.now() + SLICE_MS;
  const scheduling = (navigator as Navigator & { scheduling?: Scheduling }).scheduling;
  return () => deadline.timeRemaining() > 1 && performance.now() < until && !scheduling?.isInputPending?.();
}
