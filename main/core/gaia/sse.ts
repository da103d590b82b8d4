/**
 * Server-sent events from raw bytes. Network chunks split wherever they like — inside
 * a line, between the CR and LF of a CRLF, inside a multi-byte UTF-8 character — so
 * bytes are decoded in streaming mode (a split character waits for its other bytes)
 * and lines are left to eventsource-parser, which knows CR, LF, CRLF and comments.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` field; 'message' when the server sent none (as browsers do). */
  event: string;
  data: string;
  id?: string;
}

export interface SseDecoder {
  push(chunk: Uint8Array): void;
  /**
   * The body ended cleanly. An event the server finished with a single newline (no
   * blank line after it) is still delivered: a clean end is the server's last word.
   */
  end(): void;
}

export class SseOverflowError extends Error {
  constructor() {
    super('an event grew beyond the buffer limit');
    this.name = 'SseOverflowError';
  }
}

export function createSseDecoder(onEvent: (e: SseEvent) => void, opts: { maxBufferChars?: number } = {}): SseDecoder {
  const decoder = new TextDecoder('utf-8');
  let overflow = false;
  const parser: EventSourceParser = createParser({
    // One object per event, not two: an answer can be tens of thousands of events.
    onEvent: (e) => onEvent(e.id !== undefined ? { event: e.event || 'message', data: e.data, id: e.id } : { event: e.event || 'message', data: e.data }),
    onError: (err) => {
      if (err.type === 'max-buffer-size-exceeded') overflow = true;
    },
    maxBufferSize: opts.maxBufferChars ?? 8 * 1024 * 1024,
  });
  const feed = (text: string) => {
    if (!text) return;
    parser.feed(text);
    if (overflow) throw new SseOverflowError();
  };
  return {
    push: (chunk) => feed(decoder.decode(chunk, { stream: true })),
    end: () => {
      feed(decoder.decode());
      // Two newlines finish whatever is pending — a line without its newline, a lone CR
      // waiting for its LF, an event without its blank line — and add nothing otherwise.
      feed('\n\n');
    },
  };
}
