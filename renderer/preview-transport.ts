/**
 * The browser preview's side of the loopback transport: the same contract as IPC, over
 * fetch. The per-run token arrives in the URL fragment (never sent to a server), is kept
 * for this tab only, and goes in a header that a foreign page could not send without a
 * CORS preflight the server never grants.
 */
import type { Transport } from '../preload/bridge';
import type { Envelope, EventChannel } from '../preload/contract';
import { streamState } from './stream-state';

const CALL_PATH = '/__gaia/call';
const EVENTS_PATH = '/__gaia/events';
const TOKEN_HEADER = 'x-gaia-token';
const TOKEN_KEY = 'gaia-preview-token';
const NEWLINE = 0x0a;
const decoder = new TextDecoder();
// A raw string is decoded as it was written: a leading U+FEFF is text, not a byte-order mark.
const rawDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

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

/** An event's line, waiting for the raw strings that follow it (main/preview/event-frame.ts). */
interface Waiting {
  channel: EventChannel;
  payload: Record<string, unknown>;
  raw: Array<[path: string[], bytes: number]>;
  /** The raw string being read: its index, and its bytes so far. */
  index: number;
  pieces: Uint8Array[];
  got: number;
}

/** Puts a raw string back where its line left "" (only there: the line says where). */
function place(payload: Record<string, unknown>, path: string[], text: string): boolean {
  let target: Record<string, unknown> = payload;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(target, key) ? target[key] : undefined;
    if (typeof next !== 'object' || next === null) return false;
    target = next as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (!Object.hasOwn(target, last) || target[last] !== '') return false;
  target[last] = text;
  return true;
}

/**
 * The event stream's bytes → events. Lines are cut from the bytes and each is decoded
 * once, whole: a newline byte is never part of a multi-byte UTF-8 character. Decoding
 * as a stream instead made every read a string of its own, and a streamed answer's long
 * line was then glued from them and copied flat again before it could be parsed. A line
 * that names raw strings is followed by their bytes, counted, then a newline.
 */
export function createEventReader(deliver: (channel: EventChannel, payload: unknown) => void): { push(bytes: Uint8Array): void } {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let waiting: Waiting | null = null;

  const line = (bytes: Uint8Array) => {
    const message = JSON.parse(decoder.decode(bytes)) as { channel: EventChannel; payload: Record<string, unknown>; raw?: Waiting['raw'] };
    if (message.raw?.length) waiting = { channel: message.channel, payload: message.payload, raw: message.raw, index: 0, pieces: [], got: 0 };
    else deliver(message.channel, message.payload);
  };

  /** Takes what it can of the raw string being read from `value` at `start`; returns where it stopped. */
  const rawBytes = (w: Waiting, value: Uint8Array, start: number): number => {
    const want = w.raw[w.index][1] - w.got;
    const take = Math.min(want, value.length - start);
    w.pieces.push(value.subarray(start, start + take));
    w.got += take;
    if (w.got < w.raw[w.index][1]) return start + take;
    const last = w.pieces[w.pieces.length - 1];
    const bytes = w.pieces.length === 1 ? last : joined(w.pieces.slice(0, -1), w.got - last.length, last);
    const complete = place(w.payload, w.raw[w.index][0], rawDecoder.decode(bytes));
    w.index++;
    w.pieces = [];
    w.got = 0;
    if (!complete) throw new Error('a raw string the event has no place for');
    if (w.index === w.raw.length) {
      waiting = null;
      deliver(w.channel, w.payload);
    }
    return start + take;
  };

  return {
    push(value) {
      let start = 0;
      while (start < value.length) {
        if (waiting) {
          start = rawBytes(waiting, value, start);
          continue;
        }
        const newline = value.indexOf(NEWLINE, start);
        if (newline < 0) {
          held.push(value.subarray(start));
          heldBytes += value.length - start;
          return;
        }
        const bytes = heldBytes ? joined(held, heldBytes, value.subarray(start, newline)) : value.subarray(start, newline);
        held = [];
        heldBytes = 0;
        start = newline + 1;
        if (bytes.length) line(bytes);
      }
    },
  };
}

/** What a token can be: the server makes it base64url. Anything else kept in the tab's storage is not one. */
const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The token from the address, or the one this tab kept. Storage is the page's to write (and
 * may be off): a stored value that is no token counts as none, and storage that throws never
 * stops the start — the token in the address still works for this load.
 */
function takeToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{1,256})(?:&|$)/.exec(location.hash);
  if (match) {
    try {
      sessionStorage.setItem(TOKEN_KEY, match[1]);
    } catch {
      // Not kept: a reload of this tab shows the no-token page, which says how to open the app.
    }
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  let stored: unknown;
  try {
    stored = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
  return typeof stored === 'string' && TOKEN.test(stored) ? stored : null;
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
        // Every stream the preview allows is taken (other tabs, or a program holding the token): say so while retrying.
        if (response.status === 429) streamState.set('full');
        if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
        streamState.set('ok');
        attempt = 0;
        const reader = response.body.getReader();
        const events = createEventReader((channel, payload) => {
          for (const listener of listeners.get(channel) ?? []) listener(payload);
        });
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          events.push(value);
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
