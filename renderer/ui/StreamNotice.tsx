import { useSyncExternalStore } from 'react';
import type { AppErrorInfo } from '../../preload/contract';
import { streamState } from '../stream-state';
import { ErrorNotice } from './ErrorNotice';

/** Worded here, not by the core: it is the tab's own connection to the core that is refused. */
export const STREAMS_FULL: AppErrorInfo = {
  kind: 'network',
  message: 'This tab is not receiving live updates — answers as they stream, loading progress — because other browser tabs or programs hold all of the preview’s connections.',
  action:
    'Close the other tabs of this preview; this one reconnects by itself. If none are open, another program is using this preview’s address: stop the preview (Ctrl+C in its terminal) and start it again, then open the new address it prints — the old one stops working.',
};

/** Shown above the page while the preview refuses this tab an event stream (stream-state.ts). */
export function StreamNotice() {
  const state = useSyncExternalStore(streamState.subscribe, streamState.get);
  return state === 'full' ? <ErrorNotice error={STREAMS_FULL} /> : null;
}
