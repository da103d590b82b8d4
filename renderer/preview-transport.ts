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
const NEWLINE = 0x0a;
const decoder = new TextDecoder();

/** The pieces of one line, in one array. */
function joined(pieces: Uint8Array[], length: number, last: Uint8Array): Uint8Array {
  const out = new Uint8Array(length + last.length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  out.set(last, at);
  return out;
}

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
        const reader = response.body.getReader();
        // Lines are cut from the bytes and each is decoded once, whole: a newline byte is
        // never part of a multi-byte UTF-8 character. Decoding as a stream instead made
        // every read a string of its own, and a streamed answer's long line was then
        // glued from them and copied flat again before it could be parsed.
        let held: Uint8Array[] = [];
        let heldBytes = 0;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          let start = 0;
          let newline: number;
          while ((newline = value.indexOf(NEWLINE, start)) >= 0) {
            const line = heldBytes ? joined(held, heldBytes, value.subarray(start, newline)) : value.subarray(start, newline);
            held = [];
            heldBytes = 0;
            start = newline + 1;
            if (!line.length) continue;
            const { channel, payload } = JSON.parse(decoder.decode(line)) as { channel: EventChannel; payload: unknown };
            for (const listener of listeners.get(channel) ?? []) listener(payload);
          }
          if (start < value.length) {
            held.push(value.subarray(start));
            heldBytes += value.length - start;
          }
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
