/**
 * The browser preview's side of the loopback transport: the same contract as IPC, over
 * fetch. The per-run token arrives in the URL fragment (never sent to a server), is kept
 * for this tab only, and goes in a header that a foreign page could not send without a
 * CORS preflight the server never grants.
 */
import type { Transport } from '../preload/bridge';
import type { Envelope, EventChannel } from '../preload/contract';

const CALL_PATH = '/__gaia/call';
const EVENTS_PATH = '/__gaia/events';
const TOKEN_HEADER = 'x-gaia-token';
const TOKEN_KEY = 'gaia-preview-token';

function takeToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function createPreviewTransport(): Transport | null {
  const token = takeToken();
  if (!token) return null;
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let streaming = false;

  const stream = async () => {
    streaming = true;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(EVENTS_PATH, { headers: { [TOKEN_HEADER]: token }, cache: 'no-store' });
        if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
        attempt = 0;
        let buffer = '';
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          // What is held has no newline: only the new text is searched, so a long line (a
          // streamed answer's text read together) is not scanned again on every read, and
          // the rest is cut off once per read rather than once per line.
          let from = buffer.length;
          buffer += value;
          let start = 0;
          let newline: number;
          while ((newline = buffer.indexOf('\n', from)) >= 0) {
            const line = buffer.slice(start, newline);
            start = from = newline + 1;
            if (!line) continue;
            const { channel, payload } = JSON.parse(line) as { channel: EventChannel; payload: unknown };
            for (const listener of listeners.get(channel) ?? []) listener(payload);
          }
          if (start > 0) buffer = buffer.slice(start);
        }
      } catch {
        // The preview server restarted or the network blinked: reconnect with backoff.
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 200 * 2 ** attempt)));
    }
  };

  return {
    async invoke(channel, request) {
      try {
        const response = await fetch(CALL_PATH, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify({ channel, request }),
          cache: 'no-store',
        });
        if (!response.ok) throw new Error(`${response.status}`);
        return (await response.json()) as Envelope<unknown>;
      } catch {
        return {
          ok: false,
          error: {
            kind: 'network',
            message: 'The preview lost touch with the Gaia Desktop core.',
            action: 'Check that `npm run preview` is still running, then reload this page.',
          },
        };
      }
    },
    subscribe(channel, listener) {
      if (!streaming) void stream();
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  };
}
