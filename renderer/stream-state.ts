/**
 * Whether this tab receives the preview's events (answers as they stream, progress, menu
 * commands). The preview allows a fixed number of event streams at once
 * (main/preview/server.ts: MAX_STREAMS); when other tabs or programs hold them all, its
 * transport keeps trying, and the shell says so (ui/StreamNotice.tsx) instead of leaving
 * answers that never arrive unexplained. In Electron nothing sets it: always 'ok'.
 */
export type StreamState = 'ok' | 'full';

let state: StreamState = 'ok';
const listeners = new Set<() => void>();

export const streamState = {
  get: (): StreamState => state,
  set(next: StreamState): void {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
