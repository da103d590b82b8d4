/**
 * Server-sent events from raw bytes. Network chunks split wherever they like — inside
 * a line, between the CR and LF of a CRLF, inside a multi-byte UTF-8 character — so
 * bytes are decoded in streaming mode (a split character waits for its other bytes)
 * and lines are left to eventsource-parser, which knows CR, LF, CRLF and comments.
 *
 * A stream's one common event can skip the parser: `quick` (optional) is offered the
 * decoded text wherever the parser stands between two events — it has just taken a text
 * ending in a blank line, so nothing of a line or an event is pending in it — and takes
 * whole events from there itself. The stream's start (a byte-order mark) and every event
 * `quick` leaves, up to its blank line, still go through the parser.
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

export interface SseDecoderOptions {
  maxBufferChars?: number;
  /**
   * Takes whole events from `text` at `at`, an event's first character, doing with each
   * what onEvent would; returns where the events it took end (`at` when it took none).
   * It must not take a part of an event.
   */
  quick?: (text: string, at: number) => number;
}

const BLANK_LINE = '\n\n';

export class SseOverflowError extends Error {
  constructor() {
    super('an event grew beyond the buffer limit');
    this.name = 'SseOverflowError';
  }
}

export function createSseDecoder(onEvent: (e: SseEvent) => void, opts: SseDecoderOptions = {}): SseDecoder {
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
  const { quick } = opts;
  /**
   * The parser stands between two events: what it was fed last ended in "\n\n". Whatever
   * came before, the last of those is then a blank line it has acted on (it cannot be the
   * second half of a CRLF, a CR does not precede it), so it holds no line, field or event.
   * False at the start, where the parser still looks for a byte-order mark.
   */
  let between = false;
  const push = (text: string) => {
    if (!quick || !text) return feed(text);
    let at = 0;
    for (;;) {
      if (between) {
        at = quick(text, at);
        if (at === text.length) return;
      }
      // Up to the next blank line through the parser, which then stands between events again.
      const blank = text.indexOf(BLANK_LINE, at);
      if (blank < 0) break;
      const end = blank + BLANK_LINE.length;
      feed(at === 0 && end === text.length ? text : text.slice(at, end));
      between = true;
      at = end;
      if (at === text.length) return;
    }
    between = false;
    feed(at === 0 ? text : text.slice(at));
  };
  return {
    push: (chunk) => push(decoder.decode(chunk, { stream: true })),
    end: () => {
      feed(decoder.decode());
      // Two newlines finish whatever is pending — a line without its newline, a lone CR
      // waiting for its LF, an event without its blank line — and add nothing otherwise.
      feed('\n\n');
    },
  };
}
